package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.SpoolConfig;
import org.stsrelay.config.TlsRptConfig;
import org.stsrelay.delivery.TlsResultType;
import org.stsrelay.policy.fetch.TestCa;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeTime;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.FileSpool;
import org.stsrelay.spool.SpooledMessage;
import org.stsrelay.tlsrpt.ReportState.Status;

class ReportDispatcherTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private static EventLoopGroup group;
    private static TestCa ca;
    private static TestCa.Issued identity;

    @TempDir
    Path directory;

    private final FakeTime clock = new FakeTime(Instant.parse("2024-03-02T01:00:00Z"));
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final FakeDns dns = new FakeDns();
    private FileSpool spool;
    private Path tlsrpt;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ca = new TestCa("Report Receiver CA");
        identity = ca.issue("localhost");
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @BeforeEach
    void setUp() throws Exception {
        tlsrpt = directory.resolve("tlsrpt");
        spool = FileSpool.open(new SpoolConfig(directory.resolve("spool"), 64L << 20, 64 * 1024), registry, clock);
        try (TlsResultJournal journal = TlsResultJournal.open(tlsrpt, registry, clock)) {
            journal.record(Results.success("2024-03-01T10:00:00Z", "a.example"));
            journal.record(Results.failure(
                    "2024-03-01T11:00:00Z",
                    "a.example",
                    TlsResultType.CERTIFICATE_EXPIRED,
                    "mx1.a.example",
                    "192.0.2.1",
                    "expired"));
            journal.record(Results.success("2024-03-01T12:00:00Z", "b.example"));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        spool.close();
    }

    private TlsRptConfig config(boolean onlyFailures, List<String> suppress, Optional<TlsRptConfig.Dkim> dkim) {
        return new TlsRptConfig(
                true,
                tlsrpt,
                "Example Relay",
                "tlsrpt@example.net",
                "tlsrpt-noreply@example.net",
                dkim,
                onlyFailures,
                suppress,
                Duration.ofHours(4),
                Duration.ofHours(24),
                10_000_000);
    }

    private ReportDispatcher dispatcher(TlsRptConfig config) throws Exception {
        Optional<DkimSigner> signer = config.dkim().isPresent()
                ? Optional.of(DkimSigner.load(config.dkim().get(), clock))
                : Optional.empty();
        return new ReportDispatcher(
                config,
                dns,
                spool,
                new HttpsReportPoster(
                        group,
                        List.of(ca.certificate()),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        ReportFixtures.LOCAL),
                signer,
                registry,
                clock,
                () -> "id-1@example.net");
    }

    private ReportDispatcher dispatcher() throws Exception {
        return dispatcher(config(false, List.of(), Optional.empty()));
    }

    private Optional<TlsRptConfig.Dkim> dkimKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path file = directory.resolve("dkim.pem");
        Files.writeString(
                file,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                .encodeToString(
                                        generator.generateKeyPair().getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n",
                StandardCharsets.US_ASCII);
        return Optional.of(new TlsRptConfig.Dkim("example.net", "tlsrpt", file));
    }

    private String spooled(SpooledMessage message) throws Exception {
        try (InputStream in = spool.openContent(message)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] attachment(String mail) throws Exception {
        int part = mail.indexOf("Content-Type: application/tlsrpt+gzip");
        int body = mail.indexOf("\r\n\r\n", part) + 4;
        String base64 = mail.substring(body, mail.indexOf("\r\n--", body));
        try (InputStream in = new GZIPInputStream(
                new ByteArrayInputStream(Base64.getMimeDecoder().decode(base64)))) {
            return in.readAllBytes();
        }
    }

    private double reports(String transport, String outcome) {
        var counter = registry.find("sts.relay.tlsrpt.reports")
                .tags("transport", transport, "outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    @DisplayName("RFC 8460 §5.3: a mailto rua gets a DKIM-signed report mail committed to the spool")
    void mailtoReportSpooled() throws Exception {
        dns.txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=mailto:reports@a.example");
        dns.txt("_smtp._tls.b.example", "v=TLSRPTv1; rua=mailto:tls@b.example");
        ReportDispatcher dispatcher = dispatcher(config(false, List.of(), dkimKey()));

        ReportState state = dispatcher.dispatch(DAY, Optional.empty());

        assertThat(spool.messages()).hasSize(2);
        SpooledMessage a = spool.messages().stream()
                .filter(m -> m.envelope().recipients().get(0).address().equals("reports@a.example"))
                .findFirst()
                .orElseThrow();
        assertThat(a.envelope().sender()).isEqualTo("tlsrpt-noreply@example.net");
        assertThat(a.envelope().kind()).isEqualTo(Envelope.Kind.TLS_REPORT);
        String mail = spooled(a);
        assertThat(mail)
                .contains("TLS-Report-Domain: a.example")
                .contains("Subject: Report Domain: a.example Submitter: example.net Report-ID: "
                        + "<20240301.a.example@example.net>")
                .contains("DKIM-Signature:");
        TlsReport expected = new TlsReportJson(config(false, List.of(), Optional.empty()))
                .build(new DailyAggregator(tlsrpt).aggregate(DAY).get(0));
        assertThat(attachment(mail)).isEqualTo(expected.json());
        assertThat(state.domains().get("a.example").reportId()).isEqualTo("20240301.a.example@example.net");
        assertThat(state.destination("a.example", "mailto:reports@a.example")
                        .orElseThrow()
                        .status())
                .isEqualTo(Status.QUEUED);
        assertThat(reports("mailto", "queued")).isEqualTo(2);
        assertThat(registry.find("sts.relay.tlsrpt.report.bytes").summary().count())
                .isEqualTo(2);
    }

    @Test
    @DisplayName("RFC 8460 §5.4: an https rua gets the POST of the gzipped report")
    void httpsPosted() throws Exception {
        try (ReportReceiver receiver = new ReportReceiver(group, identity, 200)) {
            dns.txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=" + receiver.uri());
            ReportState state = dispatcher().dispatch(DAY, Optional.of("a.example"));

            assertThat(receiver.bodies()).hasSize(1);
            try (InputStream in = new GZIPInputStream(
                    new ByteArrayInputStream(receiver.bodies().get(0)))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .contains("\"report-id\":\"20240301.a.example@example.net\"");
            }
            assertThat(state.destination("a.example", receiver.uri().toString())
                            .orElseThrow()
                            .status())
                    .isEqualTo(Status.DELIVERED);
            assertThat(reports("https", "delivered")).isEqualTo(1);
        }
    }

    @Test
    @DisplayName(
            "RFC 8460 §3 (\"MAY attempt to deliver to each\"): with two rua fields, the URIs of both get the report")
    void twoRuaFieldsBothGetTheReport() throws Exception {
        try (ReportReceiver receiver = new ReportReceiver(group, identity, 200)) {
            dns.txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=mailto:reports@a.example; rua=" + receiver.uri());
            ReportState state = dispatcher().dispatch(DAY, Optional.of("a.example"));

            assertThat(spool.messages())
                    .extracting(m -> m.envelope().recipients().get(0).address())
                    .containsExactly("reports@a.example");
            assertThat(receiver.bodies()).hasSize(1);
            assertThat(state.destination("a.example", receiver.uri().toString())
                            .orElseThrow()
                            .status())
                    .isEqualTo(Status.DELIVERED);
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.5: a failing https rua is retried with backoff, state survives a restart")
    void httpsRetriedThenDelivered() throws Exception {
        try (ReportReceiver receiver = new ReportReceiver(group, identity, 500)) {
            String uri = receiver.uri().toString();
            dns.txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=" + uri);
            dispatcher().dispatch(DAY, Optional.of("a.example"));

            ReportState.Destination retrying =
                    ReportState.load(tlsrpt, DAY).destination("a.example", uri).orElseThrow();
            assertThat(retrying.status()).isEqualTo(Status.RETRYING);
            assertThat(retrying.nextTry()).contains(clock.instant().plus(Duration.ofMinutes(1)));
            assertThat(retrying.lastError().orElseThrow()).contains("500");

            // Not due yet: nothing is sent.
            ReportDispatcher restarted = dispatcher();
            restarted.retryDue(DAY);
            assertThat(receiver.bodies()).hasSize(1);

            clock.advance(Duration.ofMinutes(1));
            restarted.retryDue(DAY);
            ReportState.Destination second =
                    ReportState.load(tlsrpt, DAY).destination("a.example", uri).orElseThrow();
            assertThat(second.attempts()).isEqualTo(2);
            assertThat(second.nextTry()).contains(clock.instant().plus(Duration.ofMinutes(2)));

            receiver.answer(200);
            clock.advance(Duration.ofMinutes(2));
            restarted.retryDue(DAY);
            ReportState.Destination delivered =
                    ReportState.load(tlsrpt, DAY).destination("a.example", uri).orElseThrow();
            assertThat(delivered.status()).isEqualTo(Status.DELIVERED);
            assertThat(delivered.attempts()).isEqualTo(3);
            assertThat(receiver.bodies()).hasSize(3);
            // RFC 8460 §4.4: the same report (and report-id) on every retry.
            assertThat(receiver.bodies().get(2)).isEqualTo(receiver.bodies().get(0));

            // A restart does not resend to a destination that has its report.
            clock.advance(Duration.ofHours(1));
            dispatcher().dispatch(DAY, Optional.empty());
            assertThat(receiver.bodies()).hasSize(3);
        }
    }

    @Test
    @DisplayName("RFC 8460 §5.5: retries end after retryFor, the destination is then failed")
    void retriesGiveUp() throws Exception {
        try (ReportReceiver receiver = new ReportReceiver(group, identity, 503)) {
            String uri = receiver.uri().toString();
            dns.txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=" + uri);
            ReportDispatcher dispatcher = dispatcher();
            dispatcher.dispatch(DAY, Optional.of("a.example"));
            for (int i = 0; i < 20; i++) {
                clock.advance(Duration.ofHours(4));
                dispatcher.retryDue(DAY);
            }
            assertThat(ReportState.load(tlsrpt, DAY)
                            .destination("a.example", uri)
                            .orElseThrow()
                            .status())
                    .isEqualTo(Status.FAILED);
            assertThat(reports("https", "failed")).isEqualTo(1);
        }
    }

    @Test
    @DisplayName("A restart does not resend a queued mailto report")
    void restartDoesNotResendMailto() throws Exception {
        dns.txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=mailto:reports@a.example");
        dispatcher().dispatch(DAY, Optional.empty());
        dispatcher().dispatch(DAY, Optional.empty());
        assertThat(spool.messages()).hasSize(1);
    }

    @Test
    @DisplayName("Suppressed addresses and domains never get reports")
    void suppression() throws Exception {
        dns.txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=mailto:reports@a.example,mailto:x@other.example");
        dns.txt("_smtp._tls.b.example", "v=TLSRPTv1; rua=mailto:tls@b.example");
        dispatcher(config(false, List.of("b.example", "X@other.example"), Optional.empty()))
                .dispatch(DAY, Optional.empty());
        assertThat(spool.messages())
                .extracting(m -> m.envelope().recipients().get(0).address())
                .containsExactly("reports@a.example");
    }

    @Test
    @DisplayName("Only-failures: a domain without failures gets no report")
    void onlyFailures() throws Exception {
        dns.txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=mailto:reports@a.example");
        dns.txt("_smtp._tls.b.example", "v=TLSRPTv1; rua=mailto:tls@b.example");
        dispatcher(config(true, List.of(), Optional.empty())).dispatch(DAY, Optional.empty());
        assertThat(spool.messages())
                .extracting(m -> m.envelope().recipients().get(0).address())
                .containsExactly("reports@a.example");
    }

    @Test
    @DisplayName("RFC 8460 §3: no _smtp._tls record → nothing sent, counted")
    void noRecord() throws Exception {
        ReportState state = dispatcher().dispatch(DAY, Optional.empty());
        assertThat(spool.messages()).isEmpty();
        assertThat(state.domains()).isEmpty();
        assertThat(registry.find("sts.relay.tlsrpt.records.invalid").counter().count())
                .isEqualTo(2);
    }

    @Test
    @DisplayName("RFC 8460 §3: a malformed rua is skipped, the others get the report; two records are invalid")
    void malformedRuaSkipped() throws Exception {
        dns.txt("_smtp._tls.a.example", "v=TLSRPTv1; rua=ftp://bad.example/x,mailto:reports@a.example");
        dns.txt("_smtp._tls.b.example", "v=TLSRPTv1; rua=mailto:a@b.example", "v=TLSRPTv1; rua=mailto:c@b.example");
        dispatcher().dispatch(DAY, Optional.empty());
        assertThat(spool.messages())
                .extracting(m -> m.envelope().recipients().get(0).address())
                .containsExactly("reports@a.example");
        assertThat(registry.find("sts.relay.tlsrpt.records.invalid").counter().count())
                .isEqualTo(1);
    }
}
