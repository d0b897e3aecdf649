package org.stsrelay.spool;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the relay knows about a message apart from its content: what the client said in the
 * SMTP transaction, how it connected, and what kind of message the relay made it. Immutable; written to the
 * spool together with the content.
 *
 * @param id         the queue id
 * @param sender     the reverse-path without angle brackets; empty for the null sender {@code <>}
 * @param recipients the accepted recipients, in the order they were given
 * @param params     the MAIL FROM parameters
 * @param client     facts about the submitting client
 * @param arrival    when the message was accepted
 * @param kind       whether the relay made it as one of its own TLS reports (or a DSN about one); set only by
 *                   the relay itself, never from anything a client sends
 */
public record Envelope(
        QueueId id,
        String sender,
        List<Recipient> recipients,
        MailParams params,
        ClientInfo client,
        Instant arrival,
        Kind kind) {

    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
        Objects.requireNonNull(kind, "kind");
    }

    /** The envelope of an ordinary message: every message a client submits, and DSNs about them. */
    public Envelope(
            QueueId id,
            String sender,
            List<Recipient> recipients,
            MailParams params,
            ClientInfo client,
            Instant arrival) {
        this(id, sender, recipients, params, client, arrival, Kind.ORDINARY);
    }

    /**
     * What the relay knows a message to be. Header fields cannot say it: a client can write any of them
     * (a {@code TLS-Report-Domain} field included), so only the relay's own submissions carry a kind
     * other than {@link #ORDINARY}.
     */
    public enum Kind {
        /** Mail a client submitted, and DSNs about it. */
        ORDINARY,
        /** A TLS report the relay queued for a {@code mailto:} rua (RFC 8460 §5.3). */
        TLS_REPORT,
        /** A DSN the relay queued about one of its TLS reports. */
        TLS_REPORT_DSN;

        /** Whether the message is one of the relay's own TLS reports or a DSN about one. */
        public boolean ownTlsReport() {
            return this != ORDINARY;
        }
    }

    /**
     * One forward-path with its RFC 3461 DSN parameters.
     *
     * @param address the forward-path without angle brackets
     * @param notifyOn NOTIFY values; empty when the client gave none (the default: FAILURE,DELAY)
     * @param orcpt   ORCPT as given (addr-type;xtext), if any
     */
    public record Recipient(String address, Set<Notify> notifyOn, Optional<String> orcpt) {
        public Recipient {
            notifyOn = Set.copyOf(notifyOn);
        }

        /** A recipient without DSN parameters. */
        public static Recipient of(String address) {
            return new Recipient(address, Set.of(), Optional.empty());
        }
    }

    /** RFC 3461 NOTIFY keywords. */
    public enum Notify {
        NEVER,
        SUCCESS,
        FAILURE,
        DELAY
    }

    /** RFC 3461 RET keywords. */
    public enum Ret {
        FULL,
        HDRS
    }

    /** RFC 6152 BODY values; SEVEN_BIT when the client gave none. */
    public enum Body {
        SEVEN_BIT,
        EIGHT_BITMIME
    }

    /**
     * MAIL FROM parameters.
     *
     * @param body         BODY=
     * @param smtpUtf8     SMTPUTF8 was given (RFC 6531)
     * @param ret          RET=
     * @param envid        ENVID= (xtext as given)
     * @param requireTls   REQUIRETLS was given (RFC 8689)
     * @param declaredSize SIZE= as given, 0 when absent
     */
    public record MailParams(
            Body body,
            boolean smtpUtf8,
            Optional<Ret> ret,
            Optional<String> envid,
            boolean requireTls,
            long declaredSize) {

        /** Parameters of a plain {@code MAIL FROM:<...>} with no extensions used. */
        public static MailParams none() {
            return new MailParams(Body.SEVEN_BIT, false, Optional.empty(), Optional.empty(), false, 0);
        }
    }

    /**
     * How the client connected.
     *
     * @param address     client IP address as text
     * @param helo        the EHLO/HELO argument
     * @param tlsProtocol e.g. TLSv1.3, when STARTTLS was used
     * @param tlsCipher   the cipher suite, when STARTTLS was used
     * @param authUser    the authenticated user, when AUTH was used
     */
    public record ClientInfo(
            String address,
            String helo,
            Optional<String> tlsProtocol,
            Optional<String> tlsCipher,
            Optional<String> authUser) {}
}
