package org.stsrelay.received;

import java.util.List;
import java.util.Optional;

/** What a report message held: its report part, or why none could be taken. */
sealed interface ReportPart {

    /**
     * The report part, transfer-decoded.
     *
     * @param body      the part's content
     * @param mediaType the media type to take it as
     * @param submitter the message's {@code TLS-Report-Submitter} (RFC 8460 §5.3), if any
     * @param notes     quirks tolerated in finding it
     */
    record Found(byte[] body, String mediaType, Optional<String> submitter, List<String> notes) implements ReportPart {
        public Found {
            notes = List.copyOf(notes);
        }
    }

    /** No report part: the reason, one line. */
    record Missing(String reason) implements ReportPart {}
}
