package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.world.Await;
import org.stsrelay.world.CertificateKind;
import org.stsrelay.world.CliResult;
import org.stsrelay.world.DaneLine;
import org.stsrelay.world.DeliveryAttempt;
import org.stsrelay.world.LocalWorld;
import org.stsrelay.world.MxOptions;
import org.stsrelay.world.MxServer;
import org.stsrelay.world.ReceivedMessage;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.SmtpTestClient;
import org.stsrelay.world.TlsaRecords;
import org.xbill.DNS.Type;

/**
 * DANE (RFC 7672) end to end: the world's DNS signs every zone, the relay validates from the world's
 * anchor, and each case of the matrix is a recipient domain of its own. Every message is sent first;
 * each test then waits, bounded, for its own outcome. Refusals are read from the attempt lines (deferred,
 * 4.7.5), deliveries from what the MX received.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DaneDeliveryIT {

    private static final String SENDER = "sender@client.test";
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static LocalWorld world;
    private static RelayJar jar;
    private static RelayConfigFile config;
    private static RelayProcess relay;
    private static final Map<String, String> queueIds = new ConcurrentHashMap<>();
    private static final Map<String, MxServer> servers = new ConcurrentHashMap<>();
    private static final List<String> recipients = new ArrayList<>();

    @BeforeAll
    static void startWorldAndRelay() throws IOException {
        world = LocalWorld.start(dir);
        world.routes("client.test", "mx.client.test");
        world.mx("mx.client.test", MxOptions.tls(CertificateKind.GOOD));
        // 3 1 1 on a self-signed certificate, under an MTA-STS enforce policy that PKIX alone would refuse.
        daneHost("ee-selfsigned.test", CertificateKind.SELF_SIGNED, TlsaRecords::daneEe);
        world.publishPolicy("ee-selfsigned.test", "1", "enforce", List.of("mx.ee-selfsigned.test"));
        // 3 1 1 that matches no key, at an MX whose certificate PKIX accepts.
        daneHost("ee-mismatch.test", CertificateKind.GOOD, server -> TlsaRecords.unrelated());
        daneHost("ee-expired.test", CertificateKind.EXPIRED, TlsaRecords::daneEe);
        daneHost("ee-wronghost.test", CertificateKind.WRONG_HOST, TlsaRecords::daneEe);
        daneHost("ta-good.test", CertificateKind.GOOD, TlsaRecords::daneTa);
        daneHost("ta-wrongname.test", CertificateKind.WRONG_HOST, TlsaRecords::daneTa);
        // TLSA records promise STARTTLS: a server without it, or with it stripped on the way, is not used.
        MxServer plain = world.mx("mx.no-starttls.test", MxOptions.plaintextOnly());
        world.routes("no-starttls.test", "mx.no-starttls.test");
        world.dns().tlsa("mx.no-starttls.test", List.of(TlsaRecords.unrelated()));
        servers.put("no-starttls.test", plain);
        MxServer upstream = world.mx("real-mx.stripped.test", MxOptions.tls(CertificateKind.GOOD));
        world.stripper("mx.stripped.test", upstream);
        world.routes("stripped.test", "mx.stripped.test");
        world.dns().tlsa("mx.stripped.test", List.of(TlsaRecords.daneEe(upstream)));
        servers.put("stripped.test", upstream);
        // Only PKIX-EE records (unusable for SMTP): TLS is required, any certificate accepted.
        daneHost("pkix-only.test", CertificateKind.SELF_SIGNED, TlsaRecords::pkixEe);
        // DANE fails while MTA-STS enforce would pass: DANE decides.
        daneHost("dane-beats-sts.test", CertificateKind.GOOD, server -> TlsaRecords.unrelated());
        world.publishPolicy("dane-beats-sts.test", "1", "enforce", List.of("mx.dane-beats-sts.test"));
        // The first MX mismatches, the second matches.
        MxServer first = world.mx("mx1.second-mx.test", MxOptions.tls(CertificateKind.GOOD));
        MxServer second = world.mx("mx2.second-mx.test", MxOptions.tls(CertificateKind.SELF_SIGNED));
        world.routes("second-mx.test", "mx1.second-mx.test", "mx2.second-mx.test");
        world.dns().tlsa("mx1.second-mx.test", List.of(TlsaRecords.unrelated()));
        world.dns().tlsa("mx2.second-mx.test", List.of(TlsaRecords.daneEe(second)));
        servers.put("second-mx.test", second);
        servers.put("first-mx.test", first);
        // A signed zone without TLSA for the MX host: the absence is NSEC-proven, so no DANE.
        MxServer nsec = world.mx("mx.nsec.test", MxOptions.tls(CertificateKind.SELF_SIGNED));
        world.routes("nsec.test", "mx.nsec.test");
        servers.put("nsec.test", nsec);

        // A broken signature on the TLSA RRset: the host is not used, and nothing falls back to opportunistic TLS.
        daneHost("bogus.test", CertificateKind.GOOD, TlsaRecords::daneEe);
        world.dns().bogus("_25._tcp.mx.bogus.test", Type.TLSA);
        // TLSA records in an unsigned delegation: ignored, so the mismatching record does not stop delivery.
        daneHost("tlsa-unsigned.test", CertificateKind.GOOD, server -> TlsaRecords.unrelated());
        world.dns().unsignedZone("_25._tcp.mx.tlsa-unsigned.test");
        // A CNAME'd MX host: the TLSA records at the expanded name apply, and it is the TLSA base domain.
        MxServer target = world.mx("real.cname-target.test", MxOptions.tls(CertificateKind.SELF_SIGNED));
        world.dns().cname("mx.cname.test", "real.cname-target.test");
        world.routes("cname.test", "mx.cname.test");
        world.dns().tlsa("real.cname-target.test", List.of(TlsaRecords.daneEe(target)));
        servers.put("cname.test", target);

        jar = RelayJar.located();
        config = RelayConfigFile.write(
                dir,
                1000,
                100,
                world.relayYaml(dir.resolve("policies"), "published", Duration.ofSeconds(1), Duration.ofMinutes(10))
                        + TlsRptResultsIT.tlsrptYaml(dir.resolve("tlsrpt")));
        relay = RelayProcess.start(jar, config, dir.resolve("relay.log"));
        try (SmtpTestClient client = SmtpTestClient.connect(config.smtpAddress())) {
            client.ehlo("client.test");
            for (String recipient : recipients()) {
                queueIds.put(recipient, send(client, recipient));
            }
        }
    }

    private static List<String> recipients() {
        return List.of(
                "rcpt@ee-selfsigned.test",
                "rcpt@ee-mismatch.test",
                "rcpt@ee-expired.test",
                "rcpt@ee-wronghost.test",
                "rcpt@ta-good.test",
                "rcpt@ta-wrongname.test",
                "rcpt@no-starttls.test",
                "rcpt@stripped.test",
                "rcpt@pkix-only.test",
                "rcpt@dane-beats-sts.test",
                "rcpt@second-mx.test",
                "rcpt@nsec.test",
                "rcpt@bogus.test",
                "rcpt@tlsa-unsigned.test",
                "rcpt@cname.test");
    }

    /** One MX, mx.{@code domain}, presenting a {@code kind} certificate, with the TLSA record {@code tlsa} makes. */
    private static void daneHost(
            String domain, CertificateKind kind, java.util.function.Function<MxServer, String> tlsa) {
        String host = "mx." + domain;
        MxServer server = world.mx(host, MxOptions.tls(kind));
        world.routes(domain, host);
        world.dns().tlsa(host, List.of(tlsa.apply(server)));
        servers.put(domain, server);
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    @DisplayName(
            "RFC 7672 §3.1.1, RFC 8461 §2: 3 1 1 on a self-signed certificate is delivered over TLS despite MTA-STS enforce")
    void daneEeSelfSigned() {
        ReceivedMessage message = awaitDelivered("ee-selfsigned.test");
        assertThat(message.overTls()).isTrue();
        DaneLine line = daneLine("ee-selfsigned.test", "mx.ee-selfsigned.test");
        assertThat(line.result()).isEqualTo("success");
        assertThat(line.enforced()).isTrue();
        assertThat(line.detail()).isEqualTo("matched " + TlsaRecords.daneEe(servers.get("ee-selfsigned.test")));
    }

    @Test
    @DisplayName(
            "RFC 7672 §3.2: 3 1 1 that matches no key: a PKIX-valid certificate is not delivered to (tlsa-invalid)")
    void daneEeMismatch() {
        assertRefused("ee-mismatch.test", "mx.ee-mismatch.test", "tlsa-invalid");
    }

    @Test
    @DisplayName("RFC 7672 §3.1.1: with 3 1 1 an expired certificate, or one for another name, is delivered to")
    void daneEeIgnoresDatesAndNames() {
        assertThat(awaitDelivered("ee-expired.test").overTls()).isTrue();
        assertThat(awaitDelivered("ee-wronghost.test").overTls()).isTrue();
        assertThat(daneLine("ee-expired.test", "mx.ee-expired.test").detail()).startsWith("matched 3 1 1 ");
        assertThat(daneLine("ee-wronghost.test", "mx.ee-wronghost.test").detail())
                .startsWith("matched 3 1 1 ");
    }

    @Test
    @DisplayName("RFC 7672 §3.1.2, §3.2.2: 2 1 1 on the issuing CA delivers with the right name, refuses a wrong one")
    void daneTa() {
        assertThat(awaitDelivered("ta-good.test").overTls()).isTrue();
        assertThat(daneLine("ta-good.test", "mx.ta-good.test").detail())
                .isEqualTo("matched " + TlsaRecords.daneTa(servers.get("ta-good.test")));
        assertRefused("ta-wrongname.test", "mx.ta-wrongname.test", "certificate-host-mismatch");
    }

    @Test
    @DisplayName("RFC 7672 §2.2: with usable TLSA records, no STARTTLS and stripped STARTTLS are not delivered to")
    void startTlsRequired() {
        assertRefused("no-starttls.test", "mx.no-starttls.test", "starttls-not-supported");
        assertRefused("stripped.test", "mx.stripped.test", "starttls-not-supported");
        assertThat(servers.get("no-starttls.test").received()).isEmpty();
        assertThat(servers.get("stripped.test").received()).isEmpty();
    }

    @Test
    @DisplayName("RFC 7672 §2.2, §3.1.3: only PKIX-EE records: TLS required, the self-signed certificate accepted")
    void pkixOnly() {
        assertThat(awaitDelivered("pkix-only.test").overTls()).isTrue();
        assertThat(daneLine("pkix-only.test", "mx.pkix-only.test").detail()).contains("no usable TLSA records");
    }

    @Test
    @DisplayName("RFC 8461 §2: DANE fails while MTA-STS enforce would pass: not delivered")
    void daneBeatsMtaSts() {
        assertRefused("dane-beats-sts.test", "mx.dane-beats-sts.test", "tlsa-invalid");
    }

    @Test
    @DisplayName("RFC 7672 §3.2, RFC 5321 §5.1: the first MX mismatches, the second matches: delivered to the second")
    void secondMx() {
        ReceivedMessage message = awaitDelivered("second-mx.test");
        assertThat(message.mxHost()).isEqualTo("mx2.second-mx.test");
        assertThat(servers.get("first-mx.test").received()).isEmpty();
        assertThat(daneLine("second-mx.test", "mx1.second-mx.test").result()).isEqualTo("tlsa-invalid");
    }

    @Test
    @DisplayName("RFC 7672 §2.2: a signed zone with NSEC-proven absence of TLSA: no DANE, opportunistic TLS delivers")
    void nsecProvenAbsence() {
        assertThat(awaitDelivered("nsec.test").overTls()).isTrue();
        assertThat(daneLines("nsec.test")).isEmpty();
    }

    @Test
    @DisplayName("RFC 7672 §2.1.2: a bogus TLSA signature: the MX is never contacted, no fallback (dnssec-invalid)")
    void bogusTlsa() {
        String id = queueIds.get("rcpt@bogus.test");
        DeliveryAttempt refused = await(
                () -> attempts(id, "bogus.test").stream()
                        .filter(a -> a.outcome().equals("deferred"))
                        .findFirst(),
                "a deferred attempt for bogus.test");
        assertThat(refused.result()).isEqualTo("dnssec-invalid");
        assertThat(refused.reply()).startsWith("451 4.7.5 DANE: mx.bogus.test: ");
        assertThat(daneLine("bogus.test", "mx.bogus.test").result()).isEqualTo("dnssec-invalid");
        assertThat(servers.get("bogus.test").connections()).isZero();
    }

    @Test
    @DisplayName("RFC 7672 §2.2: TLSA records in an unsigned delegation are ignored")
    void tlsaInUnsignedZone() {
        assertThat(awaitDelivered("tlsa-unsigned.test").overTls()).isTrue();
        assertThat(daneLines("tlsa-unsigned.test")).isEmpty();
    }

    @Test
    @DisplayName(
            "RFC 7672 §2.2.2, §2.2.3: a CNAME'd MX host is authenticated with the TLSA records of the expanded name")
    void cnameMx() {
        ReceivedMessage message = awaitDelivered("cname.test");
        assertThat(message.overTls()).isTrue();
        DaneLine line = daneLine("cname.test", "mx.cname.test");
        assertThat(line.tlsaBase()).isEqualTo("real.cname-target.test");
        assertThat(line.result()).isEqualTo("success");
    }

    @Test
    @DisplayName(
            "RFC 8460 §1.3, §4.4: DANE results are reported under the MX host with policy-type tlsa, field by field")
    void tlsRptTlsaReports() throws IOException {
        awaitDelivered("ee-selfsigned.test");
        assertRefused("ee-mismatch.test", "mx.ee-mismatch.test", "tlsa-invalid");
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        JsonNode success = preview("mx.ee-selfsigned.test", today);
        assertThat(success.get("report-id").asText())
                .isEqualTo(today.replace("-", "") + ".mx.ee-selfsigned.test@relay.test");
        JsonNode policy = success.get("policies").get(0);
        assertThat(success.get("policies")).hasSize(1);
        assertThat(policy.get("policy").get("policy-type").asText()).isEqualTo("tlsa");
        assertThat(policy.get("policy").get("policy-domain").asText()).isEqualTo("mx.ee-selfsigned.test");
        assertThat(policy.get("policy").get("policy-string"))
                .extracting(JsonNode::asText)
                .containsExactly(TlsaRecords.daneEe(servers.get("ee-selfsigned.test")));
        assertThat(policy.get("summary").get("total-successful-session-count").asInt())
                .isEqualTo(1);
        assertThat(policy.get("summary").get("total-failure-session-count").asInt())
                .isZero();

        JsonNode failure = preview("mx.ee-mismatch.test", today).get("policies").get(0);
        assertThat(failure.get("policy").get("policy-string"))
                .extracting(JsonNode::asText)
                .containsExactly(TlsaRecords.unrelated());
        assertThat(failure.get("summary").get("total-successful-session-count").asInt())
                .isZero();
        JsonNode detail = failure.get("failure-details").get(0);
        assertThat(detail.get("result-type").asText()).isEqualTo("tlsa-invalid");
        assertThat(detail.get("receiving-mx-hostname").asText()).isEqualTo("mx.ee-mismatch.test");
        assertThat(detail.get("receiving-ip").asText())
                .isEqualTo(
                        servers.get("ee-mismatch.test").address().getAddress().getHostAddress());
        assertThat(detail.get("sending-mta-ip").asText()).isEqualTo("127.0.0.1");
        assertThat(detail.get("failure-reason-code").asText()).contains("does not match the server certificate");
        assertThat(detail.get("failed-session-count").asInt()).isPositive();
    }

    private static JsonNode preview(String policyDomain, String day) throws IOException {
        CliResult result = jar.run(
                dir,
                Duration.ofSeconds(60),
                "report",
                "preview",
                "--day",
                day,
                "--domain",
                policyDomain,
                "--config",
                config.file().toString());
        assertThat(result.exitCode())
                .as("report preview: %s", result.describe())
                .isZero();
        return JSON.readTree(result.stdoutText());
    }

    private static void assertRefused(String domain, String mx, String resultType) {
        String id = queueIds.get("rcpt@" + domain);
        DeliveryAttempt refused = await(
                () -> attempts(id, domain).stream()
                        .filter(a -> a.mx().equals(mx) && a.outcome().equals("deferred"))
                        .findFirst(),
                "a deferred attempt at " + mx);
        assertThat(refused.result()).isEqualTo(resultType);
        assertThat(refused.reply()).startsWith("451 4.7.5 DANE: " + mx + ": ");
        DaneLine line = daneLine(domain, mx);
        assertThat(line.result()).isEqualTo(resultType);
        assertThat(line.enforced()).isTrue();
        assertThat(world.receivedFor("rcpt@" + domain)).isEmpty();
    }

    private static ReceivedMessage awaitDelivered(String domain) {
        String recipient = "rcpt@" + domain;
        try {
            Await.until(
                    WAIT,
                    () -> !world.receivedFor(recipient).isEmpty(),
                    () -> "no MX received mail for " + recipient + "; attempts: "
                            + attempts(queueIds.get(recipient), domain));
        } catch (AssertionError e) {
            throw relay.annotate(e);
        }
        List<ReceivedMessage> received = world.receivedFor(recipient);
        assertThat(received).as("copies for %s", recipient).hasSize(1);
        return received.get(0);
    }

    private static DaneLine daneLine(String domain, String mx) {
        return await(
                () -> daneLines(domain).stream().filter(l -> l.mx().equals(mx)).findFirst(), "a dane line for " + mx);
    }

    private static List<DaneLine> daneLines(String domain) {
        String id = queueIds.get("rcpt@" + domain);
        return DaneLine.all(relay.logLines()).stream()
                .filter(l -> l.id().equals(id) && l.domain().equals(domain))
                .toList();
    }

    private static List<DeliveryAttempt> attempts(String id, String domain) {
        return DeliveryAttempt.all(relay.logLines()).stream()
                .filter(a -> a.id().equals(id) && a.domain().equals(domain))
                .toList();
    }

    private static <T> T await(java.util.function.Supplier<java.util.Optional<T>> find, String what) {
        List<T> found = new ArrayList<>();
        try {
            Await.until(
                    WAIT,
                    () -> {
                        found.clear();
                        find.get().ifPresent(found::add);
                        return !found.isEmpty();
                    },
                    () -> "no " + what);
        } catch (AssertionError e) {
            throw relay.annotate(e);
        }
        return found.get(0);
    }

    private static String send(SmtpTestClient client, String recipient) throws IOException {
        byte[] content = ("From: <" + SENDER + ">\r\nTo: <" + recipient + ">\r\nSubject: to " + recipient
                        + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return client.send("MAIL FROM:<" + SENDER + ">", List.of("RCPT TO:<" + recipient + ">"), content);
    }
}
