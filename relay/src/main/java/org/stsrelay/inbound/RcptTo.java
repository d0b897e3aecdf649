package org.stsrelay.inbound;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.stsrelay.mail.Xtext;
import org.stsrelay.spool.Envelope.Notify;
import org.stsrelay.spool.Envelope.Recipient;

/** Parses RCPT TO with its RFC 3461 NOTIFY and ORCPT parameters (RFC 5321 §4.1.1.3). */
final class RcptTo {

    private RcptTo() {}

    /** The recipient named by the argument of RCPT; throws {@link RejectException} with the reply. */
    static Recipient parse(String argument, boolean smtpUtf8) {
        PathArguments parsed = PathArguments.parse(argument, "TO:", Replies.BAD_RECIPIENT);
        String address = parsed.path();
        // RFC 5321 §4.1.1.3: "Postmaster" without a domain must be accepted.
        // equalsIgnoreCase alone would also take "po\u017Ftmaster" (U+017F upper-cases to "S").
        if (!(Mailbox.isAscii(address) && address.equalsIgnoreCase("postmaster"))) {
            MailFrom.checkAddress(address, smtpUtf8, Replies.BAD_RECIPIENT);
        }
        Set<Notify> notify = Set.of();
        Optional<String> orcpt = Optional.empty();
        for (PathArguments.Param p : parsed.params()) {
            switch (p.keyword()) {
                case "NOTIFY" -> notify = notify(p);
                case "ORCPT" -> orcpt = Optional.of(orcpt(p, smtpUtf8));
                default -> throw new RejectException(Replies.UNKNOWN_PARAMETER.with(p.keyword()));
            }
        }
        return new Recipient(address, notify, orcpt);
    }

    // RFC 3461 §4.1: "NEVER" or a comma-separated list of SUCCESS, FAILURE, DELAY.
    private static Set<Notify> notify(PathArguments.Param p) {
        if (p.value() == null || p.value().isEmpty()) {
            throw new RejectException(Replies.SYNTAX);
        }
        Set<Notify> values = EnumSet.noneOf(Notify.class);
        for (String word : p.keywordValue().split(",", -1)) {
            try {
                values.add(Notify.valueOf(word));
            } catch (IllegalArgumentException e) {
                throw new RejectException(Replies.SYNTAX);
            }
        }
        if (values.contains(Notify.NEVER) && values.size() > 1) {
            throw new RejectException(Replies.SYNTAX);
        }
        return values;
    }

    // RFC 3461 §4.2: addr-type ";" xtext, at most 500 characters.
    private static String orcpt(PathArguments.Param p, boolean smtpUtf8) {
        String value = p.value();
        int semi = value == null ? -1 : value.indexOf(';');
        if (semi <= 0
                || value.length() > 500
                || !Xtext.isValid(value.substring(semi + 1), smtpUtf8)
                || !value.substring(0, semi)
                        .chars()
                        .allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '-'))) {
            throw new RejectException(Replies.SYNTAX);
        }
        return value;
    }
}
