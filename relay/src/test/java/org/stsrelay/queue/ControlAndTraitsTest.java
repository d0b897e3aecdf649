package org.stsrelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stsrelay.config.DeliveryConfig;
import org.stsrelay.delivery.DeliveryRequest;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.QueueId;

class ControlAndTraitsTest {

    @TempDir
    Path directory;

    QueueHarness harness;
    QueueControl control;

    @BeforeEach
    void open() {
        harness = new QueueHarness(directory);
        control = new QueueControl(directory);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private double gauge(String state) {
        return harness.registry
                .get("sts.relay.queue.recipients")
                .tag("state", state)
                .gauge()
                .value();
    }

    @Test
    void queueGaugesKeepReadingAfterGarbageCollection() throws Exception {
        harness.start();
        harness.queue.hold(Optional.empty());
        harness.advance(Duration.ofSeconds(1));
        harness.submit("alice@example.org", "bob@example.com");
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        assertThat(gauge("held")).isEqualTo(1);
        assertThat(harness.registry.get("sts.relay.queue.oldest.age").gauge().value())
                .isNotNaN();
    }

    @Test
    void holdStopsAllAttemptsWhileAcceptanceGoesOnAndReleaseResumes() throws Exception {
        harness.start();
        harness.queue.hold(Optional.empty());
        harness.advance(Duration.ofSeconds(1));
        QueueId id = harness.submit("alice@example.org", "bob@example.com");
        harness.advance(Duration.ofMinutes(10));
        assertThat(harness.delivery.requests).isEmpty();
        assertThat(gauge("held")).isEqualTo(1);
        assertThat(control.holds().all()).as("the hold is kept across restarts").isTrue();

        harness.queue.release(Optional.empty(), true);
        harness.advance(Duration.ofSeconds(1));
        assertThat(harness.delivery.requestsFor(id)).hasSize(1);
        assertThat(harness.spool.find(id)).isEmpty();
    }

    @Test
    void holdOfOneDomainLeavesTheOthersGoing() throws Exception {
        harness.start();
        harness.queue.hold(Optional.of("b.example"));
        harness.advance(Duration.ofSeconds(1));
        QueueId id = harness.submit("alice@example.org", "x@a.example", "y@b.example");
        assertThat(harness.delivery.requestsFor(id))
                .extracting(DeliveryRequest::domain)
                .containsExactly("a.example");
        assertThat(gauge("held")).isEqualTo(1);

        harness.queue.release(Optional.of("b.example"), true);
        harness.advance(Duration.ofSeconds(1));
        assertThat(harness.delivery.requestsFor(id))
                .extracting(DeliveryRequest::domain)
                .containsExactly("a.example", "b.example");
    }

    @Test
    void theFirstAttemptSendsTheContentKeptInMemoryAndARetryReadsItFromTheSpool() throws Exception {
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.deferred("4.4.1", "connection refused"));
        QueueId id = harness.submit("alice@example.org", "bob@example.com");
        harness.queue.flush(Optional.empty());
        harness.advance(Duration.ofSeconds(1));

        assertThat(harness.delivery.requestsFor(id)).hasSize(2);
        assertThat(harness.delivery.requestsFor(id).get(0).content().inMemory())
                .as("the first attempt")
                .isPresent();
        assertThat(harness.delivery.requestsFor(id).get(1).content().inMemory())
                .as("a retry")
                .isEmpty();
        assertThat(harness.delivery.contents.get(1)).isEqualTo(harness.delivery.contents.get(0));
    }

    @Test
    void flushRetriesDeferredMailNow() throws Exception {
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.deferred("4.4.1", "connection refused"));
        QueueId id = harness.submit("alice@example.org", "bob@example.com");
        assertThat(gauge("deferred")).isEqualTo(1);
        harness.queue.flush(Optional.of("other.example"));
        harness.advance(Duration.ofSeconds(1));
        assertThat(harness.delivery.requestsFor(id)).hasSize(1);

        harness.queue.flush(Optional.of("example.com"));
        harness.advance(Duration.ofSeconds(1));
        assertThat(harness.delivery.requestsFor(id)).hasSize(2);
        harness.queue.flush(Optional.empty());
        harness.advance(Duration.ofSeconds(1));
        assertThat(harness.delivery.requestsFor(id)).hasSize(3);
    }

    @Test
    void pausedConfigurationStartsHeldUntilReleasedAndAgainAfterARestart() throws Exception {
        harness.config =
                QueueHarness.config(List.of(Duration.ofMinutes(5)), Duration.ofDays(5), Duration.ZERO, true, 10, 2);
        harness.start();
        QueueId id = harness.submit("alice@example.org", "bob@example.com");
        harness.advance(Duration.ofMinutes(1));
        assertThat(harness.delivery.requests).isEmpty();
        assertThat(control.holds().holdsAll(true)).isTrue();

        harness.queue.release(Optional.empty(), true);
        harness.advance(Duration.ofSeconds(1));
        assertThat(harness.delivery.requestsFor(id)).hasSize(1);

        harness.restart();
        harness.submit("alice@example.org", "carol@example.com");
        harness.advance(Duration.ofMinutes(1));
        assertThat(harness.delivery.requests).hasSize(1);
    }

    @Test
    void concurrentAttemptsStayWithinThePerDomainAndGlobalLimits() throws Exception {
        harness.config =
                QueueHarness.config(List.of(Duration.ofMinutes(5)), Duration.ofDays(5), Duration.ZERO, false, 3, 2);
        harness.start();
        harness.delivery.manual();
        for (int i = 0; i < 4; i++) {
            harness.submit("alice@example.org", "u" + i + "@a.example");
        }
        harness.submit("alice@example.org", "v@b.example");
        harness.submit("alice@example.org", "w@c.example");
        assertThat(harness.delivery.waiting()).isEqualTo(3);
        assertThat(harness.delivery.requests)
                .filteredOn(r -> r.domain().equals("a.example"))
                .hasSize(2);
        assertThat(harness.registry
                        .get("sts.relay.queue.attempts.inflight")
                        .gauge()
                        .value())
                .isEqualTo(3);

        while (harness.delivery.waiting() > 0) {
            harness.delivery.completeAll();
            harness.settle();
        }
        assertThat(harness.delivery.requests).hasSize(6);
        assertThat(harness.spool.size()).isZero();
        assertThat(harness.registry
                        .get("sts.relay.queue.attempts.inflight")
                        .gauge()
                        .value())
                .isZero();
    }

    @Test
    @DisplayName("RFC 8460 §3: the relay's own report (envelope kind) is delivered despite policy and not reported")
    void tlsResultsGoToTheSinkOnlyForReportableMessages() throws Exception {
        harness.start();
        harness.submit("alice@example.org", "bob@example.com");
        assertThat(harness.tlsResults).hasSize(1);
        harness.submit(
                harness.envelope(
                        "reports@example.org",
                        List.of(Envelope.Recipient.of("tlsrpt@example.com")),
                        Envelope.MailParams.none(),
                        Envelope.Kind.TLS_REPORT),
                "Subject: Report\r\n\r\nreport\r\n");
        DeliveryRequest report = harness.delivery.requests.get(1);
        assertThat(report.reportable()).isFalse();
        assertThat(report.tlsOptional()).isTrue();
        assertThat(harness.tlsResults).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("RFC 8460 §3: a client's message with a report's header fields is ordinary mail, its results reported")
    @ValueSource(strings = {"TLS-Report-Domain: example.com", "X-Sts-Relay-Dsn-Of-Tls-Report: yes"})
    void clientWrittenReportHeadersAreOrdinaryMail(String field) throws Exception {
        harness.start();
        QueueId id = harness.submit(
                harness.envelope(
                        "mallory@example.org",
                        List.of(Envelope.Recipient.of("bob@example.com")),
                        Envelope.MailParams.none()),
                field + "\r\nTLS-Report-Submitter: example.org\r\nSubject: Report\r\n\r\nbody\r\n");
        DeliveryRequest request = harness.delivery.requestsFor(id).get(0);
        assertThat(request.tlsOptional()).isFalse();
        assertThat(request.reportable()).isTrue();
        assertThat(harness.tlsResults).hasSize(1);
    }

    @Test
    @DisplayName("RFC 8689 §4.2.2: TLS-Required: No → tlsOptional, still reportable")
    void tlsRequiredNoMakesPolicyFailuresNonBlocking() throws Exception {
        harness.start();
        harness.submit(
                harness.envelope(
                        "alice@example.org",
                        List.of(Envelope.Recipient.of("bob@example.com")),
                        Envelope.MailParams.none()),
                "Subject: x\r\ntls-required:\r\n  no\r\n\r\nTLS-Report-Domain: body\r\n");
        DeliveryRequest request = harness.delivery.requests.get(0);
        assertThat(request.tlsOptional()).isTrue();
        assertThat(request.reportable()).isTrue();
    }

    @Test
    @DisplayName("RFC 8689 §4.2.2: with tls-required-header: ignore, TLS-Required: No leaves the policy in force")
    void tlsRequiredNoIsIgnoredWhenTheOperatorSaysSo() throws Exception {
        harness.config = QueueHarness.withTlsRequiredHeader(harness.config, DeliveryConfig.TlsRequiredHeader.IGNORE);
        harness.start();
        harness.submit(
                harness.envelope(
                        "alice@example.org",
                        List.of(Envelope.Recipient.of("bob@example.com")),
                        Envelope.MailParams.none()),
                "TLS-Required: No\r\nSubject: x\r\n\r\nbody\r\n");
        harness.submit(
                harness.envelope(
                        "reports@example.org",
                        List.of(Envelope.Recipient.of("tlsrpt@example.com")),
                        Envelope.MailParams.none(),
                        Envelope.Kind.TLS_REPORT),
                "Subject: Report\r\n\r\nreport\r\n");
        assertThat(harness.delivery.requests)
                .extracting(DeliveryRequest::tlsOptional)
                .containsExactly(false, true);
    }

    @Test
    @DisplayName("RFC 8460 §3: a bounce of the relay's report is marked in its envelope and treated like the report")
    void aBounceOfATlsReportIsItselfNeitherReportedNorBlockedByPolicy() throws Exception {
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.failed(550, "5.1.1", "no such mailbox"));
        harness.submit(
                harness.envelope(
                        "reports@example.org",
                        List.of(Envelope.Recipient.of("tlsrpt@example.com")),
                        Envelope.MailParams.none(),
                        Envelope.Kind.TLS_REPORT),
                "Subject: Report\r\n\r\nreport\r\n");
        DeliveryRequest dsn = harness.delivery.requests.get(1);
        assertThat(dsn.envelope().sender()).isEmpty();
        assertThat(dsn.envelope().kind()).isEqualTo(Envelope.Kind.TLS_REPORT_DSN);
        assertThat(dsn.reportable()).isFalse();
        assertThat(dsn.tlsOptional()).isTrue();
        assertThat(harness.tlsResults).isEmpty();
        // RFC 8689 §3: kept for the MTAs after this one; the relay's own marker is the envelope, not a field.
        assertThat(headerSection(harness.delivery.dsns().get(0)))
                .contains("\r\nTLS-Required: No\r\n")
                .doesNotContainIgnoringCase("X-Sts-Relay");
    }

    @Test
    void aBounceOfAClientMessageWithReportHeadersIsOrdinary() throws Exception {
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.failed(550, "5.1.1", "no such mailbox"));
        harness.submit(
                harness.envelope(
                        "mallory@example.org",
                        List.of(Envelope.Recipient.of("bob@example.com")),
                        Envelope.MailParams.none()),
                "TLS-Report-Domain: example.com\r\nSubject: x\r\n\r\nbody\r\n");
        DeliveryRequest dsn = harness.delivery.requests.get(1);
        assertThat(dsn.envelope().sender()).isEmpty();
        assertThat(dsn.envelope().kind()).isEqualTo(Envelope.Kind.ORDINARY);
        assertThat(dsn.tlsOptional()).isFalse();
        assertThat(dsn.reportable()).isTrue();
        assertThat(headerSection(harness.delivery.dsns().get(0))).doesNotContainIgnoringCase("TLS-Required");
    }

    private static String headerSection(String message) {
        return message.substring(0, message.indexOf("\r\n\r\n") + 2);
    }

    @Test
    void aMessageDeletedByAnOperatorLeavesTheSchedule() throws Exception {
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.deferred("4.4.1", "connection refused"));
        QueueId id = harness.submit("alice@example.org", "bob@example.com");
        QueueHarness.await(harness.spool.markDone(id));
        harness.advance(Duration.ofMinutes(30));
        assertThat(harness.delivery.requestsFor(id)).hasSize(1);
        assertThat(gauge("deferred")).isZero();
    }
}
