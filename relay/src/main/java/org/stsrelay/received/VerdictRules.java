package org.stsrelay.received;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a domain is ready for MTA-STS {@code enforce}, and says why not.
 *
 * <p>Ready means: reports on at least {@code ready-days} distinct UTC days of the window in which senders applied the
 * domain's policy in {@code testing} mode ({@code policy-type} {@code sts}, {@code policy-string} {@code mode:
 * testing}), from at least {@code ready-organisations} distinct organisations, and no failure that enforcement would
 * turn into a refused delivery.
 *
 * <p>Which failures block, decided from RFC 8460 §4.3 and RFC 8461 §5:
 *
 * <ul>
 *   <li>Blockers, when reported under an {@code sts} policy: the negotiation failures of RFC 8460 §4.3.1
 *       ({@code starttls-not-supported}, {@code certificate-host-mismatch}, {@code certificate-expired},
 *       {@code certificate-not-trusted}) and the general {@code validation-failure} of §4.3.1/§4.3.3. In
 *       {@code testing} the sender delivers anyway; under {@code enforce} RFC 8461 §5 has it refuse to deliver to
 *       that MX, so each such session would become mail that waits and bounces. A result type not in the RFC 8460
 *       §6.6 registry is treated the same: §4.3.3 sends unclassified negotiation failures there.
 *   <li>Noted, not blockers: the policy failures of RFC 8460 §4.3.2.2 ({@code sts-policy-fetch-error},
 *       {@code sts-policy-invalid}, {@code sts-webpki-invalid}). A sender that cannot fetch, parse or authenticate
 *       the policy and has none cached delivers as though the domain published no policy at all (RFC 8461 §5), so
 *       enforce refuses nothing there; the policy simply does not protect those senders, which the owner should fix.
 *   <li>Noted, not blockers: the DANE failures of RFC 8460 §4.3.2.1 ({@code tlsa-invalid}, {@code dnssec-invalid},
 *       {@code dane-required}) and failures under {@code tlsa} or {@code no-policy-found} policies: DANE is enforced
 *       whatever the MTA-STS mode (RFC 7672 §2.2), so moving to {@code enforce} does not change them.
 * </ul>
 *
 * <p>A domain whose published policy is {@code enforce} already is not "ready": the verdict says it is enforced.
 * Senders that still apply an older policy are a note: they catch up within the policy's {@code max_age}.
 */
final class VerdictRules {

    private static final Set<String> NOT_BLOCKING = Set.of(
            "sts-policy-fetch-error",
            "sts-policy-invalid",
            "sts-webpki-invalid",
            "tlsa-invalid",
            "dnssec-invalid",
            "dane-required");
    private static final int LISTED_FAILURES = 20;

    private final int readyDays;
    private final int readyOrganisations;

    VerdictRules(int readyDays, int readyOrganisations) {
        this.readyDays = readyDays;
        this.readyOrganisations = readyOrganisations;
    }

    /** Whether a failure, as reported, would refuse mail under {@code enforce}. */
    static boolean blocks(FailureRow failure) {
        return failure.policyType().equalsIgnoreCase("sts") && !NOT_BLOCKING.contains(failure.resultType());
    }

    /** The verdict for one domain over the window of {@code windowDays} days. */
    Verdict decide(
            List<Applied> applied,
            List<FailureRow> failures,
            PublishedLookup lookup,
            List<StaleSender> stale,
            int windowDays) {
        Optional<PublishedPolicy> published =
                lookup instanceof PublishedLookup.Found found ? Optional.of(found.policy()) : Optional.empty();
        Set<LocalDate> days = new TreeSet<>();
        Set<String> organisations = new TreeSet<>();
        for (Applied a : applied) {
            if (a.isSts()
                    && PolicyLines.mode(a.policy().policyStrings())
                            .filter("testing"::equals)
                            .isPresent()) {
                days.add(a.day());
                organisations.add(a.organisation());
            }
        }
        List<String> blockers = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (applied.isEmpty()) {
            blockers.add("no reports in the last " + windowDays + " days");
        }
        enforced(applied, published).ifPresent(blockers::add);
        if (days.size() < readyDays) {
            blockers.add("too few days of reports in testing: " + days.size() + " of " + readyDays
                    + (windowDays < readyDays ? " (the window is only " + windowDays + " days)" : ""));
        }
        if (organisations.size() < readyOrganisations) {
            blockers.add(
                    "too few organisations reporting testing: " + organisations.size() + " of " + readyOrganisations);
        }
        failureLines(failures, blockers, notes);
        if (lookup instanceof PublishedLookup.Unknown unknown) {
            notes.add(
                    "published policy unknown, so senders of an older policy were not looked for: " + unknown.reason());
        }
        if (!stale.isEmpty()) {
            notes.add(stale.size() + " sender-days applied an older policy than the one published");
        }
        return new Verdict(
                blockers.isEmpty(), days.size(), readyDays, organisations.size(), readyOrganisations, blockers, notes);
    }

    private static Optional<String> enforced(List<Applied> applied, Optional<PublishedPolicy> published) {
        if (published.isPresent()) {
            return published
                    .get()
                    .mode()
                    .filter("enforce"::equals)
                    .map(m -> "already enforce: the published policy" + " ("
                            + published.get().source() + ") is mode: enforce");
        }
        // Not known what is published: the newest report a sender made says what it applies.
        return applied.stream()
                .filter(Applied::isSts)
                .max(Comparator.comparing(Applied::day))
                .filter(a -> PolicyLines.mode(a.policy().policyStrings())
                        .filter("enforce"::equals)
                        .isPresent())
                .map(a -> "already enforce: " + a.organisation() + " applied mode: enforce on " + a.day());
    }

    private static void failureLines(List<FailureRow> failures, List<String> blockers, List<String> notes) {
        List<FailureRow> blocking =
                failures.stream().filter(VerdictRules::blocks).toList();
        blocking.stream()
                .limit(LISTED_FAILURES)
                .map(f -> "failures: " + describe(f))
                .forEach(blockers::add);
        if (blocking.size() > LISTED_FAILURES) {
            blockers.add("failures: " + (blocking.size() - LISTED_FAILURES) + " more, see the failure table");
        }
        long other = failures.stream()
                .filter(f -> !blocks(f))
                .mapToLong(FailureRow::count)
                .sum();
        if (other > 0) {
            notes.add(other + " failed sessions that enforce would not refuse (policy fetch/validation or DANE),"
                    + " see the failure table");
        }
    }

    /** One failure row in words. */
    static String describe(FailureRow f) {
        return f.organisation() + " on " + f.day() + ": " + f.count() + " x " + f.resultType() + " at "
                + (f.mxHost().isEmpty() ? "(no MX named)" : f.mxHost())
                + (f.ip().isEmpty() ? "" : " (" + f.ip() + ")")
                + (f.reasons().isEmpty() ? "" : ": " + f.reasons());
    }
}
