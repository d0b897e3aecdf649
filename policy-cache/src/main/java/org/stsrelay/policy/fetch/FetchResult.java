package org.stsrelay.policy.fetch;

import org.stsrelay.policy.ResultType;

/** The outcome of fetching a policy file: the body, or a failure mapped to an RFC 8460 result type. */
public sealed interface FetchResult {

    /** Returns what was observed on the way. */
    FetchInfo info();

    /** HTTP 200 with an acceptable media type and a body within the size limit, decoded as UTF-8. */
    record Fetched(String body, FetchInfo info) implements FetchResult {}

    /**
     * The fetch failed, with the RFC 8460 §4.3.2.2 result type the failure maps to.
     *
     * @param resultType the RFC 8460 §4.3.2.2 result type
     * @param detail a sentence an operator can act on, e.g. "HTTP 404"
     * @param info what was observed before the failure
     */
    record Failed(ResultType resultType, String detail, FetchInfo info) implements FetchResult {}
}
