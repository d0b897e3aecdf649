package org.stsrelay.plan;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.MxPattern;

/**
 * The records and policy file to publish for one domain, in the order they are published, with what the operator
 * should know.
 *
 * @param domain the policy domain
 * @param mode the policy's mode
 * @param mx the policy's mx patterns
 * @param maxAgeSeconds the policy's max_age
 * @param rua the TLS-RPT reporting URIs
 * @param tlsRpt the {@code _smtp._tls} record, published first
 * @param policyText the policy file, CRLF line endings
 * @param policyUrl where the policy file is served
 * @param ownerSiteFile where this relay's owner site reads the policy file
 * @param ownerSiteEnabled whether the owner site listens in this configuration
 * @param mtaSts the {@code _mta-sts} record, published after the policy file is reachable
 * @param id the policy id in {@code mtaSts}
 * @param idKept whether the id is the one published now
 * @param notes what was decided and why, and what could not be read
 * @param warnings what would go wrong if the plan were published as it is
 * @param steps the rollout, in order
 */
public record Plan(
        String domain,
        Mode mode,
        List<MxPattern> mx,
        long maxAgeSeconds,
        List<URI> rua,
        TxtRecord tlsRpt,
        String policyText,
        String policyUrl,
        Path ownerSiteFile,
        boolean ownerSiteEnabled,
        TxtRecord mtaSts,
        String id,
        boolean idKept,
        List<String> notes,
        List<String> warnings,
        List<String> steps) {

    /** Copies the lists. */
    public Plan {
        mx = List.copyOf(mx);
        rua = List.copyOf(rua);
        notes = List.copyOf(notes);
        warnings = List.copyOf(warnings);
        steps = List.copyOf(steps);
    }

    /** The host that must serve the policy file: {@code mta-sts.<domain>} (RFC 8461 §3.3). */
    public String policyHost() {
        return "mta-sts." + domain;
    }

    /** This plan with {@code moreNotes} and {@code moreWarnings} added after its own. */
    Plan with(List<String> moreNotes, List<String> moreWarnings) {
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(moreNotes);
        List<String> allWarnings = new ArrayList<>(warnings);
        allWarnings.addAll(moreWarnings);
        return new Plan(
                domain,
                mode,
                mx,
                maxAgeSeconds,
                rua,
                tlsRpt,
                policyText,
                policyUrl,
                ownerSiteFile,
                ownerSiteEnabled,
                mtaSts,
                id,
                idKept,
                allNotes,
                allWarnings,
                steps);
    }
}
