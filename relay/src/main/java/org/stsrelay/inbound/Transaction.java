package org.stsrelay.inbound;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.Envelope.ClientInfo;
import org.stsrelay.spool.Envelope.Recipient;
import org.stsrelay.spool.QueueId;

/** The mail transaction in progress (RFC 5321 §3.3): reverse-path, then forward-paths. */
final class Transaction {

    private MailFrom mail;
    private final List<Recipient> recipients = new ArrayList<>();

    /** Whether MAIL was accepted and the transaction is open. */
    boolean isOpen() {
        return mail != null;
    }

    /** Opens the transaction with its reverse-path. */
    void begin(MailFrom mail) {
        this.mail = mail;
    }

    /** Adds an accepted forward-path. */
    void add(Recipient recipient) {
        recipients.add(recipient);
    }

    /** The accepted reverse-path and parameters; null when no transaction is open. */
    MailFrom mail() {
        return mail;
    }

    /** The accepted forward-paths, in order. */
    List<Recipient> recipients() {
        return List.copyOf(recipients);
    }

    /** Forgets everything (RSET, end of DATA, new EHLO, STARTTLS). */
    void clear() {
        mail = null;
        recipients.clear();
    }

    /** The envelope that goes to the spool with the content. */
    Envelope envelope(QueueId id, ClientInfo client, Instant arrival) {
        return new Envelope(id, mail.sender(), recipients, mail.params(), client, arrival);
    }
}
