package org.stsrelay.plan;

import java.io.PrintWriter;
import java.util.List;

/** Prints a {@link Plan} for a person: the records in publishing order, then notes, warnings and steps. */
public final class PlanText {

    private static final String INDENT = "   ";

    private PlanText() {}

    /** Prints {@code plan} to {@code out}. */
    public static void print(Plan plan, PrintWriter out) {
        out.println("MTA-STS and TLS-RPT plan for " + plan.domain() + ": mode "
                + plan.mode().token() + ", max_age " + plan.maxAgeSeconds() + ", id " + plan.id()
                + (plan.idKept() ? " (kept)" : " (new)"));
        out.println();
        out.println("1. TLS-RPT record (RFC 8460 §3):");
        out.println(INDENT + plan.tlsRpt().zoneLine());
        out.println();
        policy(plan, out);
        out.println();
        out.println("3. Policy host (RFC 8461 §3.3): " + plan.policyHost()
                + " needs an A/AAAA record, or a CNAME, to the host that serves the policy, with a certificate valid "
                + "for " + plan.policyHost() + ".");
        out.println();
        out.println("4. MTA-STS record (RFC 8461 §3.1), published only once the policy file is reachable "
                + "(RFC 8461 §8.1):");
        out.println(INDENT + plan.mtaSts().zoneLine());
        list("Notes:", plan.notes(), out);
        list("Warnings:", plan.warnings(), out);
        out.println();
        out.println("Steps:");
        for (int i = 0; i < plan.steps().size(); i++) {
            out.println(INDENT + (i + 1) + ". " + plan.steps().get(i));
        }
    }

    private static void policy(Plan plan, PrintWriter out) {
        out.println("2. Policy file (RFC 8461 §3.2), served at " + plan.policyUrl());
        out.println(INDENT + "as text/plain with HTTP 200, never a redirect (RFC 8461 §3.3); CRLF line endings:");
        out.println(INDENT + "--- mta-sts.txt ---");
        // Unindented, so that a copied policy does not gain leading whitespace.
        out.print(plan.policyText().replace("\r\n", System.lineSeparator()));
        out.println(INDENT + "--- end ---");
        out.println(INDENT + "sts-relay's owner site serves it from " + plan.ownerSiteFile() + ", beside cert.pem and "
                + "key.pem for " + plan.policyHost()
                + (plan.ownerSiteEnabled() ? "." : " (set owner-site.listen in the configuration to turn it on)."));
    }

    private static void list(String heading, List<String> lines, PrintWriter out) {
        if (lines.isEmpty()) {
            return;
        }
        out.println();
        out.println(heading);
        lines.forEach(line -> out.println(INDENT + "- " + line));
    }
}
