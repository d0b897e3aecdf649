package org.stsrelay.queue;

import java.util.Locale;
import java.util.Set;
import org.stsrelay.spool.Envelope;

/** The RFC 3464 §2.3.3 actions the queue reports, with the RFC 3461 NOTIFY keyword that asks for each. */
enum DsnAction {
    FAILED(Envelope.Notify.FAILURE, "Undelivered Mail Returned to Sender"),
    DELAYED(Envelope.Notify.DELAY, "Delayed Mail (still being retried)"),
    DELIVERED(Envelope.Notify.SUCCESS, "Successful Mail Delivery Report");

    /**
     * RFC 3461 §4.1: without NOTIFY an MTA acts as if NOTIFY=FAILURE or NOTIFY=FAILURE,DELAY had been
     * given; we take the latter (the delay notice itself can be switched off with delivery.delay-notice: 0).
     */
    private static final Set<Envelope.Notify> DEFAULT_NOTIFY = Set.of(Envelope.Notify.FAILURE, Envelope.Notify.DELAY);

    private final Envelope.Notify notify;
    private final String subject;

    DsnAction(Envelope.Notify notify, String subject) {
        this.notify = notify;
        this.subject = subject;
    }

    /** The Action field value (RFC 3464 §2.3.3) and the metric tag. */
    String field() {
        return name().toLowerCase(Locale.ROOT);
    }

    String subject() {
        return subject;
    }

    /**
     * Whether the envelope asks for this kind of DSN for {@code recipient}: never for the null sender
     * (RFC 5321 §6.1, §4.5.5: no notification about a notification), never with NOTIFY=NEVER.
     */
    boolean wanted(Envelope envelope, Envelope.Recipient recipient) {
        if (envelope.sender().isEmpty()) {
            return false;
        }
        Set<Envelope.Notify> asked = recipient.notifyOn().isEmpty() ? DEFAULT_NOTIFY : recipient.notifyOn();
        return !asked.contains(Envelope.Notify.NEVER) && asked.contains(notify);
    }
}
