package org.stsrelay.cli;

import java.util.List;

/**
 * Everything a {@code check} of one domain found.
 *
 * @param domain the domain checked, normalised
 * @param items the findings, in the order they are shown
 */
record CheckReport(String domain, List<CheckItem> items) {

    /** Exit code when everything could be checked and nothing failed. */
    static final int GOOD = 0;
    /** Exit code when at least one item failed. */
    static final int PROBLEMS = 1;
    /** Exit code when at least one item could not be checked, or the command line was unusable. */
    static final int COULD_NOT_CHECK = 2;

    CheckReport {
        items = List.copyOf(items);
    }

    /** 2 if something could not be checked (the verdict is incomplete), else 1 if something failed, else 0. */
    int exitCode() {
        if (count(CheckVerdict.UNKNOWN) > 0) {
            return COULD_NOT_CHECK;
        }
        return count(CheckVerdict.FAIL) > 0 ? PROBLEMS : GOOD;
    }

    long count(CheckVerdict verdict) {
        return items.stream().filter(item -> item.verdict() == verdict).count();
    }

    /** The closing line: the overall verdict in words. */
    String conclusion() {
        return switch (exitCode()) {
            case GOOD ->
                domain + ": no problems found"
                        + (count(CheckVerdict.WARN) > 0 ? " (" + count(CheckVerdict.WARN) + " warning(s))" : "");
            case PROBLEMS -> domain + ": " + count(CheckVerdict.FAIL) + " problem(s) found";
            default ->
                domain + ": " + count(CheckVerdict.UNKNOWN) + " item(s) could not be checked, "
                        + count(CheckVerdict.FAIL) + " problem(s) found";
        };
    }
}
