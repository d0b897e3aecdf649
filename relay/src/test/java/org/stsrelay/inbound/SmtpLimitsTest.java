package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SmtpLimitsTest {

    private SmtpHarness harness;
    private SmtpHarness.Client client;

    @BeforeEach
    void connect() {
        harness = new SmtpHarness();
        client = harness.connect();
        client.replies();
    }

    @Test
    @DisplayName("RFC 5321 §4.5.3.1.4: a command line over 512 octets is 500 5.5.2 and its rest is discarded")
    void commandLineTooLong() {
        assertThat(client.send("NOOP " + "x".repeat(600))).isEqualTo("500 5.5.2 Line too long\r\n");
        assertThat(client.send("y".repeat(2000) + "MAIL FROM:<a@example.org>\r\nNOOP\r\n"))
                .isEqualTo("250 2.0.0 Ok\r\n");
    }

    @Test
    @DisplayName(
            "RFC 5321 §4.5.3.1.4, RFC 2920 §3.1: a command pipelined behind an over-long line in one segment is answered")
    void commandAfterOverLongLineInTheSameSegment() {
        assertThat(client.send("NOOP " + "x".repeat(600) + "\r\nNOOP\r\n"))
                .isEqualTo("500 5.5.2 Line too long\r\n250 2.0.0 Ok\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.5.3.1.4: a command line of exactly 512 octets with CRLF is accepted")
    void commandLineAtLimit() {
        assertThat(client.send("NOOP " + "x".repeat(505) + "\r\n")).isEqualTo("250 2.0.0 Ok\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.5.3.1.10: recipients over the limit get 452 4.5.3")
    void tooManyRecipients() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\n");
        client.send("RCPT TO:<b1@example.com>\r\nRCPT TO:<b2@example.com>\r\nRCPT TO:<b3@example.com>\r\n");
        assertThat(client.send("RCPT TO:<b4@example.com>\r\n")).isEqualTo("452 4.5.3 Too many recipients\r\n");
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "too_many_recipients"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 1870 §6.2: MAIL with SIZE above the maximum is 552 5.3.4")
    void declaredSizeTooBig() {
        client.send("EHLO c.example.org\r\n");
        assertThat(client.send("MAIL FROM:<a@example.org> SIZE=10001\r\n")).startsWith("552 5.3.4 ");
    }

    @Test
    @DisplayName("RFC 5321 §4.5.3.2: too many bad commands get 421 4.7.0 and the connection is closed")
    void tooManyErrors() {
        String replies = client.send("A\r\nB\r\nC\r\nD\r\nE\r\nF\r\n");
        assertThat(replies)
                .endsWith("500 5.5.1 Command unrecognized\r\n421 4.7.0 Too many errors, closing connection\r\n");
        assertThat(replies.split("\r\n")).hasSize(6);
        assertThat(client.channel.isOpen()).isFalse();
    }

    @Test
    @DisplayName("RFC 5321 §4.5.3.2.7: no command within the timeout gets 421 4.4.2 and a close")
    void commandTimeout() {
        client.channel.advanceTimeBy(5, TimeUnit.MINUTES);
        client.channel.runScheduledPendingTasks();
        assertThat(client.replies()).isEqualTo("421 4.4.2 Timeout, closing connection\r\n");
        assertThat(client.channel.isOpen()).isFalse();
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "timeout"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 5321 §4.5.3.2.5: DATA blocks use the data timeout")
    void dataTimeout() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
        client.channel.advanceTimeBy(3, TimeUnit.MINUTES);
        client.channel.runScheduledPendingTasks();
        assertThat(client.replies()).isEqualTo("421 4.4.2 Timeout, closing connection\r\n");
        assertThat(harness.spool.messages.get(0).discarded).isTrue();
    }

    @Test
    @DisplayName(
            "RFC 5321 §4.5.3.2: DATA dripped a byte a minute, each within the idle timeout, is cut off by the total DATA limit with 421 4.4.2; nothing is spooled and its memory is released")
    void drippingDataIsCutOff() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
        StringBuilder replies = new StringBuilder();
        for (int minute = 0; minute < 30 && client.channel.isOpen(); minute++) {
            replies.append(client.send("x"));
            assertThat(harness.spool.held())
                    .as("content held while DATA goes on")
                    .isPositive();
            client.channel.advanceTimeBy(1, TimeUnit.MINUTES);
            client.channel.runScheduledPendingTasks();
            replies.append(client.replies());
        }
        assertThat(replies.toString()).isEqualTo("421 4.4.2 DATA took too long, closing connection\r\n");
        assertThat(client.channel.isOpen()).isFalse();
        assertThat(harness.spool.commits).isEmpty();
        assertThat(harness.spool.messages.get(0).discarded).isTrue();
        assertThat(harness.spool.held()).isZero();
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "data_too_slow"))
                .isEqualTo(1);
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "timeout"))
                .isZero();
    }

    @Test
    @DisplayName("The total DATA limit ends with the DATA: the session goes on past it")
    void dataLimitEndsWithTheData() {
        client.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
        assertThat(client.send("Subject: hi\r\n\r\nhello\r\n.\r\n")).startsWith("250 2.0.0 Ok: queued as ");
        for (int i = 0; i < 4; i++) {
            client.channel.advanceTimeBy(4, TimeUnit.MINUTES);
            client.channel.runScheduledPendingTasks();
            assertThat(client.send("NOOP\r\n")).isEqualTo("250 2.0.0 Ok\r\n");
        }
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "data_too_slow"))
                .isZero();
    }

    @Test
    @DisplayName(
            "RFC 5321 §4.5.3.2.7: clients that never speak are closed with 421 4.4.2 and their connection slots are freed")
    void silentClientsFreeTheirSlots() {
        SmtpHarness.Client second = harness.connect();
        assertThat(second.replies()).startsWith("220 ");
        SmtpHarness.Client refused = harness.connect();
        assertThat(refused.replies()).isEqualTo("421 4.7.0 Too many connections, try again later\r\n");
        for (SmtpHarness.Client silent : List.of(client, second)) {
            silent.channel.advanceTimeBy(5, TimeUnit.MINUTES);
            silent.channel.runScheduledPendingTasks();
            assertThat(silent.replies()).isEqualTo("421 4.4.2 Timeout, closing connection\r\n");
            assertThat(silent.channel.isOpen()).isFalse();
        }
        assertThat(harness.limiter.open()).isZero();
        SmtpHarness.Client next = harness.connect();
        assertThat(next.replies()).startsWith("220 ");
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "timeout"))
                .isEqualTo(2);
    }

    @Test
    @DisplayName("Not an open relay: a client outside allowedNetworks gets 554 5.7.1 at RCPT")
    void relayDenied() {
        SmtpHarness.Client stranger = harness.connect(SmtpHarness.STRANGER);
        stranger.replies();
        stranger.send("EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\n");
        assertThat(stranger.send("RCPT TO:<b@example.com>\r\n")).startsWith("554 5.7.1 Relay access denied");
        assertThat(stranger.send("DATA\r\n")).isEqualTo("554 5.5.1 No valid recipients\r\n");
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "relay_denied"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("Connection limit per client IP: the connection over it gets 421 4.7.0 and is closed")
    void perAddressLimit() {
        harness.connect();
        SmtpHarness.Client third = harness.connect();
        assertThat(third.replies()).isEqualTo("421 4.7.0 Too many connections, try again later\r\n");
        assertThat(third.channel.isOpen()).isFalse();
        assertThat(harness.count("sts.relay.inbound.rejections", "reason", "connection_limit"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("Connection limit per client IP: a closed connection frees its slot")
    void limitSlotFreed() {
        client.channel.close();
        SmtpHarness.Client again = harness.connect();
        harness.connect();
        assertThat(again.replies()).startsWith("220 ");
        assertThat(harness.limiter.open()).isEqualTo(2);
    }

    @Test
    @DisplayName("Sessions are counted: total and active")
    void sessionMetrics() {
        assertThat(harness.count("sts.relay.inbound.sessions")).isEqualTo(1);
        assertThat(harness.registry
                        .find("sts.relay.inbound.sessions.active")
                        .gauge()
                        .value())
                .isEqualTo(1);
        client.channel.close();
        assertThat(harness.registry
                        .find("sts.relay.inbound.sessions.active")
                        .gauge()
                        .value())
                .isZero();
    }
}
