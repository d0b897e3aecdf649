package org.stsrelay.policy;

import java.util.concurrent.CompletionStage;

/** Answers which MTA-STS policy applies to a policy domain; what delivery depends on. */
public interface PolicySource {

    /**
     * Looks up the policy of {@code policyDomain}, the next-hop domain (RFC 8461 §3.4), never its parent.
     * The stage never completes exceptionally for an expected failure; those are {@link PolicyLookup.NoPolicy}.
     */
    CompletionStage<PolicyLookup> lookup(String policyDomain);
}
