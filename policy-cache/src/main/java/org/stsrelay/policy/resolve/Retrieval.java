package org.stsrelay.policy.resolve;

import org.stsrelay.policy.Policy;
import org.stsrelay.policy.ResultType;
import org.stsrelay.policy.fetch.FetchInfo;

/** The outcome of fetching and parsing a policy for a known {@code id}. */
public sealed interface Retrieval {

    /** Returns what the fetch observed. */
    FetchInfo fetch();

    /** A valid policy was fetched. */
    record Retrieved(Policy policy, FetchInfo fetch) implements Retrieval {}

    /** No valid policy could be had; {@code resultType} is what TLS-RPT reports (RFC 8460 §4.3.2.2). */
    record NotRetrieved(ResultType resultType, String detail, FetchInfo fetch) implements Retrieval {}
}
