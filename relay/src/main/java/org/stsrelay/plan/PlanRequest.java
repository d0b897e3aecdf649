package org.stsrelay.plan;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.MxPattern;
import org.stsrelay.policy.PolicyParser;

/**
 * What the operator asked for, validated; an empty or absent value means "decide from the domain's current state".
 *
 * @param domain the policy domain, normalised
 * @param mode the mode asked for; empty: testing
 * @param mx the mx patterns asked for, without repeats; empty: from the current policy or the MX records
 * @param maxAgeSeconds the max_age asked for; empty: the default for the mode
 * @param rua the reporting URIs asked for, without repeats; empty: from the current record, or a default
 * @param ownerSite where this relay's owner site reads each domain's files, and whether it is on
 */
public record PlanRequest(
        String domain,
        Optional<Mode> mode,
        List<MxPattern> mx,
        Optional<Long> maxAgeSeconds,
        List<URI> rua,
        OwnerSite ownerSite) {

    /**
     * The owner site as the plan mentions it.
     *
     * @param domainsDirectory one directory per domain with {@code mta-sts.txt}, {@code cert.pem}, {@code key.pem}
     * @param enabled whether the owner site listens in this configuration
     */
    public record OwnerSite(Path domainsDirectory, boolean enabled) {
        /** Checks for null. */
        public OwnerSite {
            Objects.requireNonNull(domainsDirectory, "domainsDirectory");
        }
    }

    /** Checks the invariants {@link PlanOptions} establishes. */
    public PlanRequest {
        if (!DomainNames.isNormal(domain)) {
            throw new IllegalArgumentException("not a normalised domain: " + domain);
        }
        Objects.requireNonNull(mode, "mode");
        mx = List.copyOf(mx);
        rua = List.copyOf(rua);
        Objects.requireNonNull(ownerSite, "ownerSite");
        maxAgeSeconds.ifPresent(seconds -> {
            if (seconds < 1 || seconds > PolicyParser.MAX_AGE_LIMIT) {
                throw new IllegalArgumentException("max_age out of range: " + seconds);
            }
        });
    }
}
