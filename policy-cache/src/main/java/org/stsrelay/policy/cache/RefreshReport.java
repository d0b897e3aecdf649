package org.stsrelay.policy.cache;

import java.util.Optional;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.resolve.Discovery;
import org.stsrelay.policy.resolve.Retrieval;

/**
 * What a forced refresh did, for {@code policy refresh}.
 *
 * @param discovery the TXT step
 * @param retrieval the fetch, present when a record was discovered
 * @param now the lookup answer after the refresh (a failed refresh leaves a valid cached policy in force)
 */
public record RefreshReport(Discovery discovery, Optional<Retrieval> retrieval, PolicyLookup now) {}
