package org.stsrelay.inbound;

import java.util.Optional;
import java.util.regex.Pattern;
import org.stsrelay.mail.Xtext;
import org.stsrelay.spool.Envelope.Body;
import org.stsrelay.spool.Envelope.MailParams;
import org.stsrelay.spool.Envelope.Ret;

/**
 * A validated MAIL FROM: the reverse-path and its parameters (RFC 5321 §4.1.1.2, RFC 1870 SIZE,
 * RFC 6152 BODY, RFC 6531 SMTPUTF8, RFC 3461 RET/ENVID, RFC 8689 REQUIRETLS, RFC 4954 §5 AUTH).
 *
 * @param sender the reverse-path without brackets; empty for the null sender
 */
record MailFrom(String sender, MailParams params) {

    private static final Pattern SIZE = Pattern.compile("\\d{1,18}");

    /** What the session offers, which decides which parameters are acceptable. */
    record Offer(long maxSize, boolean tlsActive, boolean authOffered) {}

    /** Parses and validates the argument of MAIL; throws {@link RejectException} with the reply. */
    static MailFrom parse(String argument, Offer offer) {
        PathArguments parsed = PathArguments.parse(argument, "FROM:", Replies.BAD_SENDER);
        MailParams params = params(parsed, offer);
        String sender = parsed.path();
        if (!sender.isEmpty()) {
            checkAddress(sender, params.smtpUtf8(), Replies.BAD_SENDER);
        }
        return new MailFrom(sender, params);
    }

    /** Rejects a malformed address, or a non-ASCII one without SMTPUTF8 (RFC 6531 §3.4: 553 5.6.7). */
    static void checkAddress(String address, boolean smtpUtf8, Reply bad) {
        if (!Mailbox.isValid(address, true)) {
            throw new RejectException(bad);
        }
        if (!smtpUtf8 && !Mailbox.isAscii(address)) {
            throw new RejectException(Replies.UTF8_NEEDS_SMTPUTF8);
        }
    }

    private static MailParams params(PathArguments parsed, Offer offer) {
        Body body = Body.SEVEN_BIT;
        boolean smtpUtf8 = false;
        boolean requireTls = false;
        Optional<Ret> ret = Optional.empty();
        Optional<String> envid = Optional.empty();
        long size = 0;
        for (PathArguments.Param p : parsed.params()) {
            switch (p.keyword()) {
                case "SIZE" -> size = size(p, offer.maxSize());
                case "BODY" -> body = body(p);
                case "SMTPUTF8" -> smtpUtf8 = flag(p);
                case "RET" -> ret = Optional.of(ret(p));
                case "ENVID" -> envid = Optional.of(envid(p));
                case "REQUIRETLS" -> requireTls = requireTls(p, offer);
                case "AUTH" -> auth(p, offer);
                default -> throw new RejectException(Replies.UNKNOWN_PARAMETER.with(p.keyword()));
            }
        }
        return new MailParams(body, smtpUtf8, ret, envid, requireTls, size);
    }

    private static long size(PathArguments.Param p, long max) {
        if (p.value() == null || !SIZE.matcher(p.value()).matches()) {
            throw new RejectException(Replies.SYNTAX);
        }
        long size = Long.parseLong(p.value());
        if (size > max) {
            // RFC 1870 §6.1: a declared size above the fixed maximum is refused at MAIL.
            throw new RejectException(Replies.TOO_BIG);
        }
        return size;
    }

    // RFC 3461 §4.4: ENVID is xtext of at most 100 characters.
    private static String envid(PathArguments.Param p) {
        if (p.value() == null || p.value().length() > 100 || !Xtext.isValid(p.value(), false)) {
            throw new RejectException(Replies.SYNTAX);
        }
        return p.value();
    }

    private static Body body(PathArguments.Param p) {
        return switch (p.keywordValue()) {
            case "7BIT" -> Body.SEVEN_BIT;
            case "8BITMIME" -> Body.EIGHT_BITMIME;
            default -> throw new RejectException(Replies.SYNTAX);
        };
    }

    private static Ret ret(PathArguments.Param p) {
        return switch (p.keywordValue()) {
            case "FULL" -> Ret.FULL;
            case "HDRS" -> Ret.HDRS;
            default -> throw new RejectException(Replies.SYNTAX);
        };
    }

    private static boolean flag(PathArguments.Param p) {
        if (p.value() != null) {
            throw new RejectException(Replies.SYNTAX);
        }
        return true;
    }

    private static boolean requireTls(PathArguments.Param p, Offer offer) {
        if (!offer.tlsActive()) {
            // RFC 8689 §2: REQUIRETLS is offered only on a TLS-protected session.
            throw new RejectException(Replies.REQUIRETLS_NEEDS_TLS);
        }
        return flag(p);
    }

    private static void auth(PathArguments.Param p, Offer offer) {
        if (!offer.authOffered()) {
            throw new RejectException(Replies.UNKNOWN_PARAMETER.with(p.keyword()));
        }
        // RFC 4954 §5: the AUTH= identity is accepted and may be ignored; it is not trusted here.
        if (p.value() == null || !(p.value().equals("<>") || Xtext.isValid(p.value(), false))) {
            throw new RejectException(Replies.SYNTAX);
        }
    }
}
