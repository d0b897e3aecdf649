package org.stsrelay.policy.resolve;

import java.util.Optional;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.fetch.FetchResult;

/**
 * Every step of an MTA-STS check of one domain, for {@code check}: discovery, fetch and parse, each as observed.
 *
 * @param domain the policy domain
 * @param discovery the TXT step
 * @param fetch the HTTPS step, attempted whatever the TXT step found
 * @param parse the parse of the fetched body, or null if nothing was fetched
 */
public record Diagnosis(String domain, Discovery discovery, FetchResult fetch, ParseResult parse) {

    /** Returns the parse step if a body was fetched. */
    public Optional<ParseResult> parseResult() {
        return Optional.ofNullable(parse);
    }
}
