package org.stsrelay.spool;

/** The identifier a message gets when accepted: 16 characters of [0-9A-Z], unique within a spool. */
public record QueueId(String value) {

    public QueueId {
        if (value == null || value.length() != 16 || !allAllowed(value)) {
            throw new IllegalArgumentException("not a queue id: " + value);
        }
    }

    /** Parses user input such as a {@code queue delete} argument; returns null when it is not an id. */
    public static QueueId parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        String upper = text.trim().toUpperCase(java.util.Locale.ROOT);
        return upper.length() == 16 && allAllowed(upper) ? new QueueId(upper) : null;
    }

    // A loop rather than a stream: every record of a spool scan makes an id (200,000 for a deep queue).
    private static boolean allAllowed(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!allowed(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    }

    @Override
    public String toString() {
        return value;
    }
}
