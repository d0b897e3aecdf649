package org.stsrelay.received;

/** Finds the MTA-STS policy a domain publishes now. */
public interface PublishedPolicies {

    /** The published policy of a normalised domain, or why it is not known; never throws for a failed lookup. */
    PublishedLookup find(String domain);
}
