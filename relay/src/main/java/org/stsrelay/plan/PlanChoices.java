package org.stsrelay.plan;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.MxPattern;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.dns.MxRecord;

/**
 * The policy's values decided from the request and the current state, each with a note saying where it came from.
 *
 * @param mode the mode
 * @param mx the mx patterns; empty only when nothing named a host
 * @param maxAgeSeconds the max_age
 * @param rua the reporting URIs
 * @param notes one sentence per decision worth explaining
 * @param warnings what the operator chose that senders will handle badly
 */
record PlanChoices(
        Mode mode, List<MxPattern> mx, long maxAgeSeconds, List<URI> rua, List<String> notes, List<String> warnings) {

    /** One day: the guides' max_age while testing and for a first enforce, so a mistake is undone within a day. */
    static final long FIRST_MAX_AGE = 86_400;

    /** Two weeks: the guides' max_age once enforce is stable (RFC 8461 §3.2 recommends "weeks or greater"). */
    static final long STABLE_MAX_AGE = 1_209_600;

    PlanChoices {
        mx = List.copyOf(mx);
        rua = List.copyOf(rua);
        notes = List.copyOf(notes);
        warnings = List.copyOf(warnings);
    }

    /** Decides every value; nothing here fails, a plan without mx patterns is refused by the caller. */
    static PlanChoices decide(PlanRequest request, CurrentState state) {
        List<String> notes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Mode mode = request.mode().orElse(Mode.TESTING);
        List<MxPattern> mx = mx(request, state, notes);
        long maxAge = maxAge(request, state.policy(), mode, notes, warnings);
        List<URI> rua = rua(request, state, notes);
        return new PlanChoices(mode, mx, maxAge, rua, notes, warnings);
    }

    private static List<MxPattern> mx(PlanRequest request, CurrentState state, List<String> notes) {
        if (!request.mx().isEmpty()) {
            return request.mx();
        }
        Optional<PolicyDocument> current = state.policy().filter(p -> !p.mx().isEmpty());
        if (current.isPresent()) {
            notes.add("mx patterns kept from the policy served now; name others with --mx");
            return current.get().mx();
        }
        List<MxPattern> patterns = new ArrayList<>();
        for (MxRecord host : state.mxHosts()) {
            Optional<MxPattern> pattern = MxPattern.parse(host.host());
            if (pattern.isEmpty()) {
                notes.add("MX host " + host.host() + " is not a host name a policy can name; left out");
            } else if (!patterns.contains(pattern.get())) {
                patterns.add(pattern.get());
            }
        }
        if (!patterns.isEmpty()) {
            notes.add("mx patterns are the MX host names; name others (e.g. a \"*.\" wildcard) with --mx");
        }
        return patterns;
    }

    private static long maxAge(
            PlanRequest request,
            Optional<PolicyDocument> current,
            Mode mode,
            List<String> notes,
            List<String> warnings) {
        long maxAge = request.maxAgeSeconds()
                .orElseGet(() -> current.filter(p -> mode == Mode.ENFORCE && p.mode() == Mode.ENFORCE)
                        .map(PolicyDocument::maxAgeSeconds)
                        .orElse(FIRST_MAX_AGE));
        if (request.maxAgeSeconds().isEmpty() && maxAge != FIRST_MAX_AGE) {
            notes.add("max_age " + maxAge + " kept from the enforce policy served now");
        }
        if (maxAge < FIRST_MAX_AGE) {
            warnings.add("max_age " + maxAge + " is under a day: a sender that cannot refetch the policy in time "
                    + "is left without one (RFC 8461 §3.2 recommends weeks or greater)");
        }
        if (mode == Mode.ENFORCE && maxAge < STABLE_MAX_AGE) {
            notes.add("once enforce is stable, raise max_age to weeks: --max-age 2w (" + STABLE_MAX_AGE
                    + ") or more, at most 31557600 (one year, RFC 8461 §3.2)");
        }
        return maxAge;
    }

    private static List<URI> rua(PlanRequest request, CurrentState state, List<String> notes) {
        if (!request.rua().isEmpty()) {
            return request.rua();
        }
        if (!state.rua().isEmpty()) {
            notes.add("rua kept from the _smtp._tls record published now; name others with --rua");
            return state.rua();
        }
        String domain = request.domain();
        notes.add("rua is mailto:tlsrpt@" + domain + ": make sure that mailbox exists and import what it receives "
                + "with `sts-relay received import`, or let this relay's owner site receive the reports: "
                + "--rua https://mta-sts." + domain + "/tlsrpt");
        return List.of(URI.create("mailto:tlsrpt@" + domain));
    }
}
