package org.stsrelay.received;

/** A report with no clear meaning: control flow inside the parser, so it carries no stack trace. */
final class MalformedReport extends Exception {

    private static final long serialVersionUID = 1L;

    MalformedReport(String message) {
        super(message, null, false, false);
    }
}
