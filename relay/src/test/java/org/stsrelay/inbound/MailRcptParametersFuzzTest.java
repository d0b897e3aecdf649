package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.stsrelay.mail.Xtext;
import org.stsrelay.spool.Envelope.Body;
import org.stsrelay.spool.Envelope.MailParams;
import org.stsrelay.spool.Envelope.Notify;
import org.stsrelay.spool.Envelope.Recipient;

/**
 * MAIL FROM and RCPT TO arguments with their parameters (xtext, ORCPT, NOTIFY, SIZE, BODY, SMTPUTF8,
 * RET, ENVID, REQUIRETLS, AUTH). Input: one octet of flags (bit 0: RCPT rather than MAIL, bit 1: TLS,
 * bit 2: AUTH offered, bit 3: SMTPUTF8 given on MAIL), then the argument as the client sends it.
 */
class MailRcptParametersFuzzTest {

    private static final long MAX_SIZE = 10_000_000;

    /** RFC 5321 §4.1.2, RFC 3461 §4, RFC 1870, RFC 6531: accept only what re-reads the same; reject with a code. */
    @FuzzTest(maxDuration = "10s")
    void argumentsAreAcceptedCanonicallyOrRejectedWithAReply(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int flags = input[0];
        String argument = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        if ((flags & 1) != 0) {
            rcpt(argument, (flags & 8) != 0);
        } else {
            mail(argument, new MailFrom.Offer(MAX_SIZE, (flags & 2) != 0, (flags & 4) != 0));
        }
    }

    private static void mail(String argument, MailFrom.Offer offer) {
        MailFrom mail;
        try {
            mail = MailFrom.parse(argument, offer);
        } catch (RejectException rejected) {
            checkRejection(rejected.reply());
            return;
        }
        MailParams params = mail.params();
        assertThat(mail.sender().isEmpty() || Mailbox.isValid(mail.sender(), true))
                .isTrue();
        assertThat(params.smtpUtf8() || Mailbox.isAscii(mail.sender())).isTrue();
        assertThat(params.declaredSize()).isBetween(0L, offer.maxSize());
        assertThat(!params.requireTls() || offer.tlsActive()).isTrue();
        params.envid()
                .ifPresent(envid -> assertThat(Xtext.isValid(envid, false) && envid.length() <= 100)
                        .isTrue());
        // Keywords and keyword-like values are ASCII (RFC 5321 §4.1.2 esmtp-keyword; RFC 1870, 6152, 3461).
        assertThat(Mailbox.isAscii(parameters(argument, "FROM:")))
                .as("parameters of %s", argument)
                .isTrue();
        assertThat(MailFrom.parse(format(mail), offer)).isEqualTo(mail);
    }

    private static void rcpt(String argument, boolean smtpUtf8) {
        Recipient recipient;
        try {
            recipient = RcptTo.parse(argument, smtpUtf8);
        } catch (RejectException rejected) {
            checkRejection(rejected.reply());
            return;
        }
        String address = recipient.address();
        assertThat(address.equalsIgnoreCase("postmaster") || Mailbox.isValid(address, true))
                .isTrue();
        assertThat(smtpUtf8 || Mailbox.isAscii(address)).isTrue();
        assertThat(recipient.notifyOn().size() <= 1 || !recipient.notifyOn().contains(Notify.NEVER))
                .isTrue();
        recipient.orcpt().ifPresent(orcpt -> {
            assertThat(orcpt.length()).isLessThanOrEqualTo(500);
            assertThat(orcpt.indexOf(';')).isPositive();
        });
        if (!smtpUtf8) {
            assertThat(Mailbox.isAscii(parameters(argument, "TO:")))
                    .as("parameters of %s", argument)
                    .isTrue();
        }
        assertThat(RcptTo.parse(format(recipient), smtpUtf8)).isEqualTo(recipient);
    }

    /** Every rejection carries a failure code and a matching RFC 3463 enhanced status code. */
    private static void checkRejection(Reply reply) {
        assertThat(reply.code()).isBetween(400, 599);
        assertThat(reply.enhanced()).matches("[45]\\.\\d{1,3}\\.\\d{1,3}");
        assertThat(reply.enhanced().charAt(0))
                .isEqualTo(Integer.toString(reply.code()).charAt(0));
        assertThat(reply.lines()).allMatch(line -> Command.isClean(line) || line.contains("\uFFFD"));
    }

    /** The text after the path's closing bracket (the parameters) of an accepted argument. */
    private static String parameters(String argument, String prefix) {
        String rest = argument.substring(prefix.length()).stripLeading();
        return rest.substring(PathArguments.closingBracket(rest) + 1);
    }

    private static String format(MailFrom mail) {
        MailParams p = mail.params();
        StringBuilder text = new StringBuilder("FROM:<").append(mail.sender()).append('>');
        if (p.body() == Body.EIGHT_BITMIME) {
            text.append(" BODY=8BITMIME");
        }
        if (p.smtpUtf8()) {
            text.append(" SMTPUTF8");
        }
        p.ret().ifPresent(ret -> text.append(" RET=").append(ret.name()));
        p.envid().ifPresent(envid -> text.append(" ENVID=").append(envid));
        if (p.requireTls()) {
            text.append(" REQUIRETLS");
        }
        if (p.declaredSize() > 0) {
            text.append(" SIZE=").append(p.declaredSize());
        }
        return text.toString();
    }

    private static String format(Recipient recipient) {
        StringBuilder text =
                new StringBuilder("TO:<").append(recipient.address()).append('>');
        if (!recipient.notifyOn().isEmpty()) {
            text.append(" NOTIFY=")
                    .append(recipient.notifyOn().stream().map(Enum::name).collect(Collectors.joining(",")));
        }
        recipient.orcpt().ifPresent(orcpt -> text.append(" ORCPT=").append(orcpt));
        return text.toString();
    }
}
