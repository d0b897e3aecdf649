package org.stsrelay.cli;

/** The verdict on one item of a {@code check}, from best to worst for the exit code. */
enum CheckVerdict {
    /** As it should be. */
    OK("[ OK ]"),
    /** Worth knowing, not a problem. */
    INFO("[INFO]"),
    /** Works, but weaker than it should be. */
    WARN("[WARN]"),
    /** A problem: senders will not get the protection the domain intends, or will not deliver. */
    FAIL("[FAIL]"),
    /** The item could not be checked (DNS unreachable, port 25 blocked, ...). */
    UNKNOWN("[ ?? ]");

    private final String label;

    CheckVerdict(String label) {
        this.label = label;
    }

    /** The six-character prefix of the item's line. */
    String label() {
        return label;
    }
}
