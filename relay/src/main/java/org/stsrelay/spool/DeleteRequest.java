package org.stsrelay.spool;

/** What {@link SpoolInspector#requestDelete} did. */
public enum DeleteRequest {
    /** A delete request was recorded; the relay removes the message within a second while it runs, else at its next start. */
    REQUESTED,
    /** A delete request for this message was already pending. */
    ALREADY_REQUESTED,
    /** No such message is in the spool. */
    NOT_FOUND
}
