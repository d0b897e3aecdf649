package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SmtpSessionTest {

    private SmtpHarness harness;
    private SmtpHarness.Client client;

    @BeforeEach
    void connect() {
        harness = new SmtpHarness();
        client = harness.connect();
    }

    @Test
    @DisplayName("RFC 5321 §4.2: the greeting is 220 <hostname> ESMTP")
    void greeting() {
        assertThat(client.replies()).isEqualTo("220 relay.example.net ESMTP sts-relay\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.1: EHLO lists the extensions, last line without hyphen")
    void ehloListsExtensions() {
        client.replies();
        assertThat(client.send("EHLO client.example.org\r\n"))
                .isEqualTo("250-relay.example.net\r\n"
                        + "250-PIPELINING\r\n250-SIZE 10000\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
                        + "250-ENHANCEDSTATUSCODES\r\n250-DSN\r\n250 HELP\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.1: HELO answers 250 <hostname>")
    void helo() {
        client.replies();
        assertThat(client.send("HELO client.example.org\r\n")).isEqualTo("250 relay.example.net\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.1: EHLO without a domain is 501 5.5.4")
    void ehloWithoutDomain() {
        client.replies();
        assertThat(client.send("EHLO\r\n")).startsWith("501 5.5.4 ");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.4: MAIL before EHLO is 503 5.5.1")
    void mailBeforeEhlo() {
        client.replies();
        assertThat(client.send("MAIL FROM:<a@example.org>\r\n")).startsWith("503 5.5.1 ");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.4: RCPT before MAIL is 503 5.5.1")
    void rcptBeforeMail() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("RCPT TO:<b@example.com>\r\n")).isEqualTo("503 5.5.1 Need MAIL before RCPT\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.4: a second MAIL in a transaction is 503 5.5.1")
    void nestedMail() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\n");
        assertThat(client.send("MAIL FROM:<a@example.org>\r\n")).startsWith("503 5.5.1 ");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.4: DATA without MAIL is 503 5.5.1")
    void dataWithoutMail() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("DATA\r\n")).startsWith("503 5.5.1 ");
    }

    @Test
    @DisplayName("RFC 2920 §3.1: DATA when every RCPT failed is 554 5.5.1 No valid recipients")
    void dataWithoutValidRecipients() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<bad address>\r\n");
        assertThat(client.send("DATA\r\n")).isEqualTo("554 5.5.1 No valid recipients\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.2: MAIL FROM answers 250 2.1.0")
    void mailAccepted() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("MAIL FROM:<a@example.org>\r\n")).isEqualTo("250 2.1.0 Sender OK\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.5.5: the null reverse-path <> is accepted")
    void nullSender() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("MAIL FROM:<>\r\n")).isEqualTo("250 2.1.0 Sender OK\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.2: a malformed sender is 501 5.1.7")
    void badSender() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("MAIL FROM:<a@@example.org>\r\n")).startsWith("501 5.1.7 ");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.2: a malformed recipient is 501 5.1.3")
    void badRecipient() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\n");
        assertThat(client.send("RCPT TO:<b@-example.com>\r\n")).startsWith("501 5.1.3 ");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.3: RCPT TO answers 250 2.1.5")
    void rcptAccepted() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\n");
        assertThat(client.send("RCPT TO:<b@example.com>\r\n")).isEqualTo("250 2.1.5 Recipient OK\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.3: RCPT TO:<Postmaster> without a domain is accepted")
    void postmaster() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\n");
        assertThat(client.send("RCPT TO:<Postmaster>\r\n")).isEqualTo("250 2.1.5 Recipient OK\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.5: RSET answers 250 2.0.0 and ends the transaction")
    void rset() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\n");
        assertThat(client.send("RSET\r\n")).isEqualTo("250 2.0.0 Ok\r\n");
        assertThat(client.send("RCPT TO:<b@example.com>\r\n")).startsWith("503 5.5.1 ");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.9: NOOP answers 250 2.0.0")
    void noop() {
        client.replies();
        assertThat(client.send("NOOP\r\n")).isEqualTo("250 2.0.0 Ok\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.10: QUIT answers 221 2.0.0 and closes")
    void quit() {
        client.replies();
        assertThat(client.send("QUIT\r\n")).isEqualTo("221 2.0.0 Bye\r\n");
        assertThat(client.channel.isOpen()).isFalse();
    }

    @Test
    @DisplayName("RFC 5321 §3.5.3: VRFY answers 252 2.1.5 without verifying")
    void vrfy() {
        client.replies();
        assertThat(client.send("VRFY someone\r\n"))
                .isEqualTo("252 2.1.5 Cannot VRFY user, but will accept message\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.8: HELP answers 214 2.0.0")
    void help() {
        client.replies();
        assertThat(client.send("HELP\r\n")).startsWith("214 2.0.0 ");
    }

    @Test
    @DisplayName("RFC 5321 §4.2.4: an unknown verb is 500 5.5.1")
    void unknownVerb() {
        client.replies();
        assertThat(client.send("FROB\r\n")).isEqualTo("500 5.5.1 Command unrecognized\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §2.4: verbs are case-insensitive")
    void caseInsensitiveVerbs() {
        client.replies();
        assertThat(client.send("ehlo c.example.org\r\nmail from:<a@example.org>\r\n"))
                .endsWith("250 2.1.0 Sender OK\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.1: EHLO resets a transaction in progress")
    void ehloResetsTransaction() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\nEHLO c.example.org\r\n");
        assertThat(client.send("RCPT TO:<b@example.com>\r\n")).startsWith("503 5.5.1 ");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1: control characters in a command are 501 5.5.2")
    void controlCharacters() {
        client.replies();
        assertThat(client.send("EHLO a\u0001b\r\n")).startsWith("501 5.5.2 ");
    }

    @Test
    @DisplayName("RFC 8689 §2: REQUIRETLS without TLS is refused with 530 5.7.10")
    void requireTlsWithoutTls() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("MAIL FROM:<a@example.org> REQUIRETLS\r\n")).startsWith("530 5.7.10 ");
    }

    @Test
    @DisplayName("RFC 3207 §4: STARTTLS is 502 5.5.1 when no certificate is configured")
    void startTlsNotConfigured() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("STARTTLS\r\n")).startsWith("502 5.5.1 ");
    }

    @Test
    @DisplayName("RFC 4954 §4: AUTH is 502 5.5.1 when no users file is configured")
    void authNotConfigured() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("AUTH PLAIN\r\n")).startsWith("502 5.5.1 ");
    }
}
