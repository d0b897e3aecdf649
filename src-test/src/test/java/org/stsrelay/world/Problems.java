package org.stsrelay.world;

import java.util.List;

/**
 * Reports a list of discrepancies found across many messages in one failure, capped, because a
 * systematic defect repeated for 2,000 messages buries its own first line.
 */
public final class Problems {

    private static final int SHOWN = 25;

    private Problems() {}

    /** Throws AssertionError naming {@code what}, the count and the first problems, unless there are none. */
    public static void assertNone(String what, List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        List<String> shown = problems.subList(0, Math.min(SHOWN, problems.size()));
        throw new AssertionError(what + ": " + problems.size() + " problem(s)"
                + (problems.size() > SHOWN ? ", the first " + SHOWN : "") + ":\n  " + String.join("\n  ", shown));
    }
}
