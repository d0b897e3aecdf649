package org.stsrelay.received;

/** What looking up a domain's published policy found. */
public sealed interface PublishedLookup {

    /** The policy published now. */
    record Found(PublishedPolicy policy) implements PublishedLookup {}

    /** Not known: no file and no policy could be fetched, with why, one line. */
    record Unknown(String reason) implements PublishedLookup {}
}
