package org.stsrelay.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stsrelay.spool.Envelope;

class SmtpDataTest {

    private static final String TRANSACTION =
            "EHLO c.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n";

    private SmtpHarness harness;
    private SmtpHarness.Client client;

    @BeforeEach
    void connect() {
        harness = new SmtpHarness();
        client = harness.connect();
        client.replies();
    }

    @Test
    @DisplayName("RFC 2920 §3.1: a command pipelined after the final dot leaves the message's bytes intact")
    void pipelinedCommandAfterDataKeepsContentIntact() {
        client.send(TRANSACTION);
        String body = "Subject: pipelined\r\n\r\n" + "A".repeat(90) + "\r\n" + "B".repeat(90) + "\r\n";
        String replies = client.send(body + ".\r\nMAIL FROM:<next@example.org>\r\n");
        assertThat(replies).startsWith("250 2.0.0 Ok: queued as").contains("250 2.1.0");
        assertThat(harness.spool.commits.get(0).content()).endsWith(body);
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.4: DATA answers 354, and 250 queued as <id> after the commit")
    void acceptsMessage() {
        assertThat(client.send(TRANSACTION)).endsWith("354 End data with <CR><LF>.<CR><LF>\r\n");
        assertThat(client.send("Subject: hi\r\n\r\nbody\r\n.\r\n"))
                .isEqualTo("250 2.0.0 Ok: queued as 0000000000000001\r\n");
        assertThat(harness.spool.committed()).hasSize(1);
        assertThat(harness.spool.commits.get(0).content()).endsWith("Subject: hi\r\n\r\nbody\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.4: the envelope carries sender, recipients and client facts")
    void envelope() {
        client.send(TRANSACTION + "x\r\n.\r\n");
        Envelope env = harness.spool.commits.get(0).envelope();
        assertThat(env.sender()).isEqualTo("a@example.org");
        assertThat(env.recipients()).containsExactly(Envelope.Recipient.of("b@example.com"));
        assertThat(env.client().address()).isEqualTo("10.0.0.5");
        assertThat(env.client().helo()).isEqualTo("c.example.org");
        assertThat(env.arrival()).isEqualTo(SmtpHarness.CLOCK.instant());
    }

    @Test
    @DisplayName("messages of one client share its description; another EHLO name gets its own")
    void clientDescriptionIsShared() {
        // QUIT after each: a client may hold only two connections at once.
        client.send(TRANSACTION + "x\r\n.\r\nQUIT\r\n");
        SmtpHarness.Client second = harness.connect();
        second.replies();
        second.send(TRANSACTION + "y\r\n.\r\nQUIT\r\n");
        SmtpHarness.Client other = harness.connect();
        other.replies();
        other.send(TRANSACTION.replace("EHLO c.example.org", "EHLO d.example.org") + "z\r\n.\r\n");

        List<Envelope.ClientInfo> clients = harness.spool.commits.stream()
                .map(commit -> commit.envelope().client())
                .toList();
        assertThat(clients).hasSize(3);
        assertThat(clients.get(1)).isSameAs(clients.get(0));
        assertThat(clients.get(2)).isNotEqualTo(clients.get(0));
        assertThat(clients.get(2).helo()).isEqualTo("d.example.org");
    }

    @Test
    @DisplayName("RFC 5321 §4.4: a Received header with from, by, with, id, for and the date is prepended")
    void receivedHeader() {
        client.send(TRANSACTION + "Subject: hi\r\n\r\nbody\r\n.\r\n");
        assertThat(harness.spool.commits.get(0).content())
                .startsWith("Received: from c.example.org ([10.0.0.5])\r\n"
                        + "\tby relay.example.net (sts-relay) with ESMTP id 0000000000000001\r\n"
                        + "\tfor <b@example.com>;\r\n"
                        + "\tTue, 1 Oct 2024 10:00:00 +0000\r\n"
                        + "Subject: hi\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.5.2: a leading dot is removed (dot-unstuffing)")
    void dotUnstuffing() {
        client.send(TRANSACTION + "\r\n..line\r\n...\r\n.\r\n");
        assertThat(harness.spool.commits.get(0).content()).endsWith("\r\n\r\n.line\r\n..\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.4: an empty message (just the terminator) is accepted")
    void emptyMessage() {
        client.send(TRANSACTION);
        assertThat(client.send(".\r\n")).startsWith("250 2.0.0 Ok: queued as ");
    }

    @ParameterizedTest(name = "RFC 5321 §4.1.1.4: only <CRLF>.<CRLF> ends DATA, not {0}")
    @ValueSource(strings = {"<LF>.<LF>", "<CR>.<CR>", "<LF>.<CR><LF>", "<CR><LF>.<LF>", "<CR><LF>.<CR>"})
    void smugglingSequencesNeitherEndNorInject(String sequence) {
        String fake = sequence.replace("<CR>", "\r").replace("<LF>", "\n");
        client.send(TRANSACTION);
        String smuggled = "MAIL FROM:<evil@example.org>\r\nRCPT TO:<v@example.com>\r\nDATA\r\n";
        assertThat(client.send("Subject: x\r\n\r\nhello" + fake + smuggled)).isEmpty();
        String replies = client.send("more\r\n.\r\n");
        assertThat(replies).startsWith("550 5.6.0 Message rejected: bare ").doesNotContain("250");
        assertThat(replies.split("\r\n")).hasSize(1);
        assertThat(harness.spool.commits).isEmpty();
    }

    @Test
    @DisplayName("RFC 5321 §2.3.8: a bare LF anywhere in DATA rejects the message with 550 5.6.0")
    void bareLf() {
        client.send(TRANSACTION);
        assertThat(client.send("a\nb\r\n.\r\n")).startsWith("550 5.6.0 ");
        assertThat(harness.spool.commits).isEmpty();
        assertThat(harness.spool.messages.get(0).discarded).isTrue();
        assertThat(harness.count("sts.relay.inbound.messages", "result", "rejected", "reason", "bare_lf"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 5321 §2.3.8: a bare CR anywhere in DATA rejects the message with 550 5.6.0")
    void bareCr() {
        client.send(TRANSACTION);
        assertThat(client.send("a\rb\r\n.\r\n")).startsWith("550 5.6.0 ");
        assertThat(harness.spool.commits).isEmpty();
    }

    @Test
    @DisplayName("RFC 5321 §4.5.2: NUL in DATA rejects the message with 550 5.6.0")
    void nul() {
        client.send(TRANSACTION);
        assertThat(client.send("a\0b\r\n.\r\n"))
                .isEqualTo("550 5.6.0 Message rejected: NUL character in message content\r\n");
        assertThat(harness.spool.commits).isEmpty();
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.4: after a rejected message the session accepts the next one")
    void recoversAfterRejection() {
        client.send(TRANSACTION + "a\nb\r\n.\r\n");
        assertThat(client.send("MAIL FROM:<a@example.org>\r\n")).isEqualTo("250 2.1.0 Sender OK\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.5.3.1.6: a DATA line over the limit is 552 5.3.4 and nothing is queued")
    void dataLineTooLong() {
        client.send(TRANSACTION);
        assertThat(client.send("x".repeat(101) + "\r\n.\r\n")).startsWith("552 5.3.4 ");
        assertThat(harness.spool.commits).isEmpty();
    }

    @Test
    @DisplayName("RFC 5321 §4.5.3.1.6: a DATA line exactly at the limit is accepted")
    void dataLineAtLimit() {
        client.send(TRANSACTION);
        assertThat(client.send("x".repeat(100) + "\r\n.\r\n")).startsWith("250 2.0.0 ");
    }

    @Test
    @DisplayName("RFC 1870 §6.3: a message over the maximum size is 552 5.3.4 and nothing is queued")
    void messageTooBig() {
        client.send(TRANSACTION);
        String line = "x".repeat(98) + "\r\n";
        assertThat(client.send(line.repeat(101) + ".\r\n")).startsWith("552 5.3.4 Message size exceeds");
        assertThat(harness.spool.commits).isEmpty();
        assertThat(harness.count("sts.relay.inbound.messages", "result", "rejected", "reason", "too_big"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 5321 §6.3: more than 100 Received headers is a loop, 554 5.4.6")
    void mailLoop() {
        client.send(TRANSACTION);
        assertThat(client.send("Received: from x\r\n".repeat(101) + "\r\nbody\r\n.\r\n"))
                .startsWith("554 5.4.6 ");
        assertThat(harness.spool.commits).isEmpty();
    }

    @Test
    @DisplayName("RFC 5321 §6.3: Received in the body does not count towards the loop limit")
    void receivedInBodyIsNotALoop() {
        harness = new SmtpHarness(SmtpHarness.config(100_000, 100, 3, 5));
        client = harness.connect();
        client.send(TRANSACTION);
        assertThat(client.send("Subject: x\r\n\r\n" + "Received: from x\r\n".repeat(101) + ".\r\n"))
                .startsWith("250 2.0.0 ");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.4: 250 waits for the spool commit; a failed commit is 451 4.3.0")
    void spoolFailure() {
        harness.spool.failCommits = true;
        client.send(TRANSACTION);
        assertThat(client.send("x\r\n.\r\n"))
                .isEqualTo("451 4.3.0 Requested action aborted: local error in processing\r\n");
        assertThat(harness.spool.committed()).isEmpty();
        assertThat(client.channel.isOpen()).isTrue();
        assertThat(harness.count("sts.relay.inbound.messages", "result", "rejected", "reason", "spool_error"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 2920 §3.1: MAIL, RCPT, RCPT, DATA in one packet are answered in order")
    void pipelinedTransaction() {
        assertThat(client.send("EHLO c.example.org\r\n")).startsWith("250-");
        assertThat(client.send(
                        "MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n"))
                .isEqualTo("250 2.1.0 Sender OK\r\n250 2.1.5 Recipient OK\r\n250 2.1.5 Recipient OK\r\n"
                        + "354 End data with <CR><LF>.<CR><LF>\r\n");
    }

    @Test
    @DisplayName("RFC 2920 §3.1: a command pipelined after the message is answered only after its 250")
    void pipelinedAfterDataWaitsForCommit() {
        harness.spool.commitManually = true;
        client.send(TRANSACTION);
        assertThat(client.send("x\r\n.\r\nMAIL FROM:<a@example.org>\r\n")).isEmpty();
        harness.spool.complete(0);
        assertThat(client.replies()).isEqualTo("250 2.0.0 Ok: queued as 0000000000000001\r\n250 2.1.0 Sender OK\r\n");
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.4: content waits (reading stops) while the spool is slow to take it")
    void backpressure() {
        harness.spool.appendGate = new java.util.concurrent.CompletableFuture<>();
        client.send(TRANSACTION);
        client.send("line one\r\n.\r\nNOOP\r\n");
        assertThat(client.channel.config().isAutoRead()).isFalse();
        harness.spool.appendGate.complete(null);
        assertThat(client.replies()).isEqualTo("250 2.0.0 Ok: queued as 0000000000000001\r\n250 2.0.0 Ok\r\n");
    }

    @Test
    @DisplayName("RFC 6152 §3: 8-bit content is accepted and kept as is")
    void eightBit() {
        client.send(
                "EHLO c.example.org\r\nMAIL FROM:<a@example.org> BODY=8BITMIME\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
        assertThat(client.send("Subject: caf\u00e9\r\n\r\n\u00fcber\r\n.\r\n")).startsWith("250 2.0.0 ");
        assertThat(harness.spool.commits.get(0).content()).endsWith("\u00fcber\r\n");
        assertThat(harness.spool.commits.get(0).envelope().params().body()).isEqualTo(Envelope.Body.EIGHT_BITMIME);
    }

    @Test
    @DisplayName("RFC 5321 §4.1.1.4: accepted messages count their bytes")
    void acceptedMetrics() {
        client.send(TRANSACTION + "x\r\n.\r\n");
        assertThat(harness.count("sts.relay.inbound.messages", "result", "accepted", "reason", "none"))
                .isEqualTo(1);
        assertThat(harness.count("sts.relay.inbound.bytes"))
                .isEqualTo(harness.spool.commits.get(0).content().length());
    }
}
