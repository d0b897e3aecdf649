package org.stsrelay.plan;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.dns.MxRecord;

/** Decides a domain's plan from the request and the current state; pure, so every input is a test case. */
final class Planner {

    /** The outcome: a plan, or why none can be made. */
    sealed interface Decision {
        /** A plan. */
        record Planned(Plan plan) implements Decision {}

        /** No plan: {@code message} says what the operator must add. */
        record Refused(String message) implements Decision {}
    }

    private Planner() {}

    static Decision plan(PlanRequest request, CurrentState state, Instant now) {
        PlanChoices choices = PlanChoices.decide(request, state);
        String domain = request.domain();
        // RFC 8461 §3.2: mx is required unless the mode is none.
        if (choices.mx().isEmpty() && choices.mode() != Mode.NONE) {
            return new Decision.Refused("--mx: " + domain + " has no MX host to name and no policy to keep them "
                    + "from; name the hosts that receive its mail, e.g. --mx mx1." + domain
                    + (state.notes().isEmpty() ? "" : " (" + String.join("; ", state.notes()) + ")"));
        }
        List<String> lines = PolicyFile.lines(choices.mode(), choices.mx(), choices.maxAgeSeconds());
        PolicyIds.Choice id = PolicyIds.choose(state.id(), state.policy(), lines, now);
        List<String> notes = new ArrayList<>(state.notes());
        notes.addAll(choices.notes());
        notes.add(idNote(id, state.policy().isPresent()));
        modeNote(choices.mode(), state.policy()).ifPresent(notes::add);
        List<String> warnings = new ArrayList<>(choices.warnings());
        warnings.addAll(uncovered(choices, state.mxHosts()));
        state.delegatedTo()
                .ifPresent(target -> warnings.add("_mta-sts." + domain + " is a CNAME to " + target + ": the policy is "
                        + "delegated (RFC 8461 §8.2), so the provider publishes the id and serves the policy; give "
                        + "them this policy, or remove the CNAME before publishing the _mta-sts record below (a CNAME "
                        + "cannot stand beside other records)"));
        if (id.kept() && !state.policy().map(p -> p.lines().equals(lines)).orElse(false)) {
            warnings.add("the id " + id.id() + " published now is kept although the policy text changes: senders "
                    + "would keep the old policy (RFC 8461 §3.1)");
        }
        return new Decision.Planned(new Plan(
                domain,
                choices.mode(),
                choices.mx(),
                choices.maxAgeSeconds(),
                choices.rua(),
                new TxtRecord("_smtp._tls." + domain, tlsRptValue(choices.rua())),
                PolicyFile.text(lines),
                "https://mta-sts." + domain + "/.well-known/mta-sts.txt",
                ownerSiteFile(request.ownerSite().domainsDirectory(), domain),
                request.ownerSite().enabled(),
                new TxtRecord("_mta-sts." + domain, "v=STSv1; id=" + id.id()),
                id.id(),
                id.kept(),
                notes,
                warnings,
                PlanSteps.of(domain, choices.mode(), choices.maxAgeSeconds(), state.policy())));
    }

    // RFC 8461 §3.1: senders refetch the policy only when they see a new id.
    private static String idNote(PolicyIds.Choice id, boolean served) {
        if (id.kept()) {
            return "id " + id.id() + " kept: the policy is the one served now, so senders keep their cached copy";
        }
        return "new id " + id.id()
                + (served
                        ? ": the policy differs from the one served now, and senders refetch it when they see the new id "
                                + "(RFC 8461 §3.1)"
                        : ": no valid policy is served now");
    }

    // RFC 8460 §3: "v=TLSRPTv1;" then rua with the URIs separated by commas.
    private static String tlsRptValue(List<URI> rua) {
        return "v=TLSRPTv1; rua=" + rua.stream().map(URI::toString).collect(Collectors.joining(","));
    }

    private static Path ownerSiteFile(Path directory, String domain) {
        return directory.resolve(domain).resolve("mta-sts.txt");
    }

    // RFC 8461 §4.1: a sender applying the policy delivers only to MX hosts that match a pattern.
    private static List<String> uncovered(PlanChoices choices, List<MxRecord> hosts) {
        if (choices.mode() == Mode.NONE) {
            return List.of();
        }
        return hosts.stream()
                .filter(mx -> choices.mx().stream().noneMatch(pattern -> pattern.matches(mx.host())))
                .map(mx -> "MX host " + mx.host() + " (preference " + mx.preference() + ") matches no mx pattern: "
                        + (choices.mode() == Mode.ENFORCE
                                ? "senders applying the policy will not deliver there"
                                : "senders will report every delivery there as a failure")
                        + " (RFC 8461 §4.1); add it with --mx")
                .toList();
    }

    private static Optional<String> modeNote(Mode mode, Optional<PolicyDocument> current) {
        if (mode == Mode.NONE) {
            return Optional.of(current.filter(p -> p.mode() != Mode.NONE)
                    .map(p -> "mode none withdraws MTA-STS safely (RFC 8461 §8.3): senders that cached the "
                            + p.mode().token() + " policy keep applying it until its max_age (" + p.maxAgeSeconds()
                            + " s) runs out, so keep this policy and its record published at least that long after "
                            + "you publish them, and only then remove the _mta-sts record and the policy file")
                    .orElse("mode none: senders treat the domain as having no MTA-STS policy (RFC 8461 §5); "
                            + "it is the step before removing MTA-STS (RFC 8461 §8.3)"));
        }
        boolean tested = current.map(p -> p.mode() == Mode.TESTING || p.mode() == Mode.ENFORCE)
                .orElse(false);
        if (mode == Mode.ENFORCE && !tested) {
            return Optional.of("enforce without a testing policy served now: the guides run testing for at least "
                    + "two weeks and read the TLS-RPT reports before enforcing");
        }
        return Optional.empty();
    }
}
