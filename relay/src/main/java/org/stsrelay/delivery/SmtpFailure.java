package org.stsrelay.delivery;

/**
 * A conversation with an MX that broke off: closed, silent past its timeout, or an I/O error. A control-flow
 * exception between the futures of one conversation; it becomes a recipient result, never escapes delivery.
 */
final class SmtpFailure extends Exception {

    private static final long serialVersionUID = 1L;

    SmtpFailure(String reason) {
        super(reason, null, false, false);
    }

    /** Unwraps completion wrappers to the reason a person can read. */
    static String reasonOf(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof SmtpFailure)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
