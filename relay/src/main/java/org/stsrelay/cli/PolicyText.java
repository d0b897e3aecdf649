package org.stsrelay.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import org.stsrelay.policy.MxPattern;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.cache.RefreshReport;
import org.stsrelay.policy.cache.StoredPolicy;
import org.stsrelay.policy.fetch.FetchInfo;
import org.stsrelay.policy.resolve.Discovery;
import org.stsrelay.policy.resolve.Retrieval;

/** How {@code policy show} and {@code policy refresh} print a stored policy and a refresh, for people and as JSON. */
final class PolicyText {

    private PolicyText() {}

    /** Prints a stored policy as labelled lines, then its raw text indented. */
    static void print(StoredPolicy stored, Instant now, PrintWriter out) {
        Policy p = stored.policy();
        out.printf("%s: stored MTA-STS policy%n", p.domain());
        out.printf("  mode          %s%n", p.mode().token());
        out.printf("  id            %s%n", p.id());
        out.printf(
                "  max_age       %d s (%s)%n",
                p.document().maxAgeSeconds(), humanDuration(p.document().maxAgeSeconds()));
        out.printf(
                "  mx            %s%n",
                p.mx().isEmpty()
                        ? "(none)"
                        : String.join(
                                ", ", p.mx().stream().map(MxPattern::pattern).toList()));
        out.printf("  fetched at    %s%n", p.fetchedAt());
        out.printf("  validated at  %s%n", stored.validatedAt());
        out.printf(
                "  expires at    %s (%s)%n",
                stored.expiresAt(), stored.isValidAt(now) ? "in force" : "expired: the next lookup fetches anew");
        out.println("  policy text");
        p.document().lines().forEach(line -> out.println("    " + line));
    }

    /** The stored policy as a JSON object. */
    static ObjectNode json(ObjectMapper mapper, StoredPolicy stored, Instant now) {
        Policy p = stored.policy();
        ObjectNode o = mapper.createObjectNode();
        o.put("mode", p.mode().token());
        o.put("id", p.id());
        o.put("max_age", p.document().maxAgeSeconds());
        var mx = o.putArray("mx");
        p.mx().forEach(pattern -> mx.add(pattern.pattern()));
        o.put("fetched_at", p.fetchedAt().toString());
        o.put("validated_at", stored.validatedAt().toString());
        o.put("expires_at", stored.expiresAt().toString());
        o.put("in_force", stored.isValidAt(now));
        o.put("text", p.text());
        return o;
    }

    /** Prints what a forced refresh did, step by step; tells whether a new policy was stored. */
    static boolean print(String domain, RefreshReport report, PrintWriter out) {
        Discovery discovery = report.discovery();
        if (discovery instanceof Discovery.Discovered found) {
            out.printf(
                    "%s: _mta-sts TXT record found, id %s%n",
                    domain, found.record().id());
        } else {
            out.printf("%s: no usable _mta-sts TXT record: %s%n", domain, ((Discovery.Unavailable) discovery).reason());
        }
        boolean stored = false;
        if (report.retrieval().isPresent()) {
            Retrieval retrieval = report.retrieval().get();
            FetchInfo info = retrieval.fetch();
            if (retrieval instanceof Retrieval.Retrieved retrieved) {
                out.printf(
                        "%s: fetched %s: HTTP %s, %d bytes%n",
                        domain,
                        info.url(),
                        info.status().isPresent() ? info.status().getAsInt() : "-",
                        info.bodyBytes());
                out.printf(
                        "%s: stored the new policy: mode %s, id %s, max_age %d s%n",
                        domain,
                        retrieved.policy().mode().token(),
                        retrieved.policy().id(),
                        retrieved.policy().document().maxAgeSeconds());
                stored = true;
            } else {
                Retrieval.NotRetrieved failed = (Retrieval.NotRetrieved) retrieval;
                out.printf(
                        "%s: fetching %s failed (%s): %s%n",
                        domain, info.url(), failed.resultType().token(), failed.detail());
            }
        }
        printInForce(domain, report.now(), stored, out);
        return stored;
    }

    // RFC 8461 §3.3, §10.2: a failed refresh never replaces a valid stored policy with nothing; say so.
    private static void printInForce(String domain, PolicyLookup now, boolean refreshed, PrintWriter out) {
        if (now instanceof PolicyLookup.Found found) {
            if (!refreshed) {
                out.printf(
                        "%s: the stored policy stays in force (mode %s, id %s) until %s%n",
                        domain, found.policy().mode().token(), found.policy().id(), found.expiresAt());
            } else {
                out.printf("%s: in force until %s unless refreshed%n", domain, found.expiresAt());
            }
        } else {
            out.printf("%s: no policy in force: %s%n", domain, ((PolicyLookup.NoPolicy) now).reason());
        }
    }

    static String humanDuration(long seconds) {
        if (seconds >= 86_400 && seconds % 86_400 == 0) {
            return seconds / 86_400 + " d";
        }
        if (seconds >= 3_600) {
            return String.format(java.util.Locale.ROOT, "%.1f h", seconds / 3_600.0);
        }
        return seconds / 60 + " min";
    }
}
