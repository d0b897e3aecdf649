package org.stsrelay.spool;

import java.io.IOException;

/** A spool that cannot be opened or read, with a message an operator can act on. */
public final class SpoolException extends IOException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public SpoolException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
