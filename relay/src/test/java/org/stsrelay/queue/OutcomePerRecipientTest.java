package org.stsrelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.delivery.DeliveryRequest;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.RecipientState;

class OutcomePerRecipientTest {

    @TempDir
    Path directory;

    QueueHarness harness;

    @BeforeEach
    void open() {
        harness = new QueueHarness(directory);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    @DisplayName("one message to two domains → one request per domain; each outcome touches its own recipients only")
    void eachDestinationDomainIsItsOwnAttempt() throws Exception {
        harness.start();
        harness.delivery.reply("b.example", FakeDelivery.Reply.deferred("4.7.5", "MTA-STS enforce: no valid MX"));
        QueueId id = harness.submit("alice@example.org", "x@A.Example", "y@b.example", "z@a.example");

        List<DeliveryRequest> requests = harness.delivery.requestsFor(id);
        assertThat(requests).extracting(DeliveryRequest::domain).containsExactlyInAnyOrder("a.example", "b.example");
        assertThat(requests)
                .filteredOn(r -> r.domain().equals("a.example"))
                .singleElement()
                .extracting(DeliveryRequest::recipients)
                .isEqualTo(List.of(0, 2));
        assertThat(harness.state(id).recipients())
                .extracting(RecipientState::status)
                .containsExactly(
                        RecipientState.Status.DELIVERED,
                        RecipientState.Status.PENDING,
                        RecipientState.Status.DELIVERED);

        harness.advance(Duration.ofMinutes(5));
        assertThat(harness.delivery.requestsFor(id))
                .hasSize(3)
                .last()
                .satisfies(r -> assertThat(r.recipients()).containsExactly(1));
    }

    @Test
    @DisplayName("RFC 3464: a 5xx for one of many recipients → one bounce DSN listing just that recipient")
    void permanentFailureOfOneRecipientBouncesOnlyIt() throws Exception {
        harness.start();
        harness.delivery.replyTo("nobody@example.com", FakeDelivery.Reply.failed(550, "5.1.1", "no such user"));
        Envelope envelope = harness.envelope(
                "alice@example.org",
                List.of(
                        Envelope.Recipient.of("bob@example.com"),
                        new Envelope.Recipient(
                                "nobody@example.com", java.util.Set.of(), Optional.of("rfc822;nobody+2Bx@example.com")),
                        Envelope.Recipient.of("carol@example.com")),
                new Envelope.MailParams(
                        Envelope.Body.SEVEN_BIT,
                        false,
                        Optional.of(Envelope.Ret.FULL),
                        Optional.of("env+2B42"),
                        false,
                        0));
        QueueId id = harness.submit(envelope, "Subject: hello\r\nMessage-ID: <m1@example.org>\r\n\r\nBody text\r\n");

        assertThat(harness.spool.find(id)).isEmpty();
        assertThat(harness.delivery.dsns()).hasSize(1);
        Mime dsn = Mime.parse(harness.delivery.dsns().get(0));
        assertThat(dsn.header("From")).isEqualTo("Mail Delivery System <MAILER-DAEMON@relay.example.net>");
        assertThat(dsn.header("To")).isEqualTo("<alice@example.org>");
        assertThat(dsn.header("Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(dsn.header("Message-ID")).matches("<[0-9A-Z]{16}\\.\\d+@relay\\.example\\.net>");
        assertThat(dsn.header("Date")).isNotBlank();
        assertThat(dsn.header("Content-Type")).startsWith("multipart/report; report-type=delivery-status;");

        List<Mime> parts = dsn.parts();
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(parts.get(0).body())
                .contains("<nobody@example.com>: no such user")
                .doesNotContain("bob@example.com");
        assertThat(parts.get(1).header("Content-Type")).isEqualTo("message/delivery-status");
        List<Map<String, String>> groups = parts.get(1).statusGroups();
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0))
                .containsEntry("reporting-mta", "dns; relay.example.net")
                .containsEntry("original-envelope-id", "env+42")
                .containsKey("arrival-date");
        assertThat(groups.get(1))
                .containsEntry("final-recipient", "rfc822; nobody@example.com")
                .containsEntry("original-recipient", "rfc822; nobody+x@example.com")
                .containsEntry("action", "failed")
                .containsEntry("status", "5.1.1")
                .containsEntry("remote-mta", "dns; mx.example.com")
                .containsEntry("diagnostic-code", "smtp; 550 5.1.1 no such user")
                .containsKey("last-attempt-date")
                .doesNotContainKey("will-retry-until");
        // RET=FULL and small: the whole message comes back.
        assertThat(parts.get(2).header("Content-Type")).isEqualTo("message/rfc822");
        assertThat(parts.get(2).body()).contains("Subject: hello").contains("Body text");
    }

    @Test
    void returnsOnlyTheHeadersByDefaultAndKeepsUtf8Intact() throws Exception {
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.failed(550, "5.1.1", "unbekannt: Jürgen"));
        QueueId id = harness.submit(
                harness.envelope(
                        "alice@example.org",
                        List.of(Envelope.Recipient.of("jürgen@example.com")),
                        Envelope.MailParams.none()),
                "Subject: Grüße\r\n\r\nsecret body\r\n");
        assertThat(harness.spool.find(id)).isEmpty();
        Envelope dsnEnvelope = harness.delivery.requests.get(1).envelope();
        assertThat(dsnEnvelope.sender()).isEmpty();
        assertThat(dsnEnvelope.params().body()).isEqualTo(Envelope.Body.EIGHT_BITMIME);
        List<Mime> parts = Mime.parse(harness.delivery.dsns().get(0)).parts();
        assertThat(parts.get(0).body()).contains("unbekannt: Jürgen");
        assertThat(parts.get(1).header("Content-Type")).isEqualTo("message/global-delivery-status");
        assertThat(parts.get(1).statusGroups().get(1)).containsEntry("final-recipient", "utf-8; jürgen@example.com");
        assertThat(parts.get(2).header("Content-Type")).isEqualTo("text/rfc822-headers");
        assertThat(parts.get(2).body()).contains("Subject: Grüße").doesNotContain("secret body");
    }

    @Test
    @DisplayName("RFC 3461 §5.2.2 / RFC 5321 §4.5.5: no DSN for the null sender")
    void noDsnForTheNullSender() throws Exception {
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.failed(550, "5.1.1", "no such user"));
        QueueId id = harness.submit("", "bob@example.com");
        assertThat(harness.spool.find(id)).isEmpty();
        assertThat(harness.delivery.requests).hasSize(1);
        assertThat(harness.spool.size()).isZero();
        assertThat(harness.registry.get("sts.relay.queue.bounces").counter().count())
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 3461 §4.1: NOTIFY=NEVER → no DSN")
    void noDsnWhenTheRecipientSaysNever() throws Exception {
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.failed(550, "5.1.1", "no such user"));
        harness.submit(
                harness.envelope(
                        "alice@example.org",
                        List.of(QueueHarness.notify("bob@example.com", Envelope.Notify.NEVER)),
                        Envelope.MailParams.none()),
                "Subject: x\r\n\r\nx\r\n");
        assertThat(harness.spool.size()).isZero();
        assertThat(harness.delivery.dsns()).isEmpty();
    }

    @Test
    @DisplayName("RFC 3461 §4.1: NOTIFY=SUCCESS → a DSN with Action: delivered")
    void successDsnWhenAskedFor() throws Exception {
        harness.start();
        harness.submit(
                harness.envelope(
                        "alice@example.org",
                        List.of(QueueHarness.notify("bob@example.com", Envelope.Notify.SUCCESS)),
                        Envelope.MailParams.none()),
                "Subject: x\r\n\r\nx\r\n");
        assertThat(harness.delivery.dsns()).hasSize(1);
        Mime dsn = Mime.parse(harness.delivery.dsns().get(0));
        assertThat(dsn.header("Subject")).isEqualTo("Successful Mail Delivery Report");
        assertThat(dsn.parts().get(1).statusGroups().get(1))
                .containsEntry("action", "delivered")
                .containsEntry("status", "2.0.0");
    }

    @Test
    @DisplayName("RFC 3464 Action: delayed — sent once per message after delivery.delay-notice")
    void delayDsnIsSentOnce() throws Exception {
        harness.config = QueueHarness.config(
                List.of(Duration.ofMinutes(5), Duration.ofMinutes(10)),
                Duration.ofDays(5),
                Duration.ofMinutes(12),
                false,
                10,
                2);
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.deferred("4.4.1", "connection timed out"));
        QueueId id = harness.submit("alice@example.org", "bob@example.com");
        harness.advance(Duration.ofMinutes(5));
        assertThat(harness.delivery.dsns()).isEmpty();
        harness.advance(Duration.ofMinutes(10));
        assertThat(harness.delivery.dsns()).hasSize(1);
        assertThat(harness.state(id).delayNoticeSent()).isTrue();
        assertThat(harness.registry
                        .get("sts.relay.queue.dsn")
                        .tag("action", "delayed")
                        .counter()
                        .count())
                .isEqualTo(1);
        harness.advance(Duration.ofMinutes(10));
        harness.advance(Duration.ofMinutes(10));
        harness.restart();
        harness.advance(Duration.ofMinutes(10));
        assertThat(harness.delivery.requestsFor(id)).hasSize(6);
        assertThat(harness.delivery.dsns()).hasSize(1);

        Mime dsn = Mime.parse(harness.delivery.dsns().get(0));
        assertThat(dsn.header("Subject")).isEqualTo("Delayed Mail (still being retried)");
        assertThat(dsn.parts().get(1).statusGroups().get(1))
                .containsEntry("action", "delayed")
                .containsEntry("status", "4.4.1")
                .containsKey("will-retry-until");
    }
}
