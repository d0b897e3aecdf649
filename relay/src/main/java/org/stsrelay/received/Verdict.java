package org.stsrelay.received;

import java.util.List;

/**
 * Whether a domain may move its MTA-STS policy to {@code enforce}, with the evidence.
 *
 * @param ready                 ready for enforce: no blockers
 * @param testingDays           distinct UTC days with reports of senders applying the policy in {@code testing}
 * @param requiredDays          days required ({@code received.ready-days})
 * @param organisations         distinct organisations that reported applying it in {@code testing}
 * @param requiredOrganisations organisations required ({@code received.ready-organisations})
 * @param blockers              why it is not ready, one line each
 * @param notes                 what is worth knowing but does not block, one line each
 */
public record Verdict(
        boolean ready,
        int testingDays,
        int requiredDays,
        int organisations,
        int requiredOrganisations,
        List<String> blockers,
        List<String> notes) {

    /** Copies the lists; a verdict with blockers is never ready. */
    public Verdict {
        blockers = List.copyOf(blockers);
        notes = List.copyOf(notes);
        if (ready && !blockers.isEmpty()) {
            throw new IllegalArgumentException("a verdict with blockers is not ready");
        }
    }

    /** The verdict in words, as the CLI and the page show it. */
    public String headline() {
        return ready ? "ready for enforce" : "not ready for enforce";
    }

    /** The evidence in one line, e.g. "15 days in testing (14 needed), 3 organisations (2 needed), 40 reports". */
    public String evidence(int reports) {
        return testingDays + " days in testing (" + requiredDays + " needed), " + organisations + " organisations ("
                + requiredOrganisations + " needed), " + reports + " reports";
    }
}
