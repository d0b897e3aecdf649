package org.stsrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.delivery.DeliveryFixture.noPolicy;
import static org.stsrelay.delivery.DeliveryFixture.policy;
import static org.stsrelay.delivery.DeliveryFixture.request;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.stsrelay.config.DaneConfig;
import org.stsrelay.config.DeliveryConfig;
import org.stsrelay.delivery.RecipientResult.Outcome;
import org.stsrelay.policy.PolicySource;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;
import org.stsrelay.policy.fetch.TestCa;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.spool.Envelope;

/** DANE in delivery (RFC 7672) against small SMTP servers on 127.0.0.x, with DNSSEC statuses from a fake DNS. */
class DaneDeliveryTest {

    private static final Set<String> ESMTP = DeliveryFixture.ESMTP;
    private static final Set<String> PLAIN = Set.of("PIPELINING", "8BITMIME", "SIZE 1000000");
    private static TestCa trusted;
    private static TestCa rogue;

    private DeliveryFixture fixture;
    private FakeDns dns;

    @BeforeAll
    static void authorities() throws Exception {
        trusted = new TestCa("test root");
        rogue = new TestCa("rogue root");
    }

    @BeforeEach
    void start() {
        fixture = new DeliveryFixture(trusted);
        dns = fixture.dns;
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private TestMx mx(String ip, String name, TestCa.Issued certificate, Set<String> extensions) throws Exception {
        return fixture.mx(ip, name, Optional.of(certificate), extensions, Set.of());
    }

    /** {@code 3 1 1} for the leaf of {@code issued}: SHA-256 of its SubjectPublicKeyInfo (RFC 6698 §2.1). */
    private static TlsaRecordData daneEe(TestCa.Issued issued) throws Exception {
        return spki(3, issued.chain()[0]);
    }

    private static TlsaRecordData spki(int usage, X509Certificate certificate) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(certificate.getPublicKey().getEncoded());
        return new TlsaRecordData(usage, 1, 1, digest);
    }

    private MxDelivery delivery(
            PolicySource policies, DaneConfig.Mode mode, Map<String, DeliveryConfig.Override> overrides) {
        return fixture.delivery(policies, mode, overrides);
    }

    private MxDelivery delivery(PolicySource policies) {
        return fixture.delivery(policies);
    }

    private static DeliveryReport run(MxDelivery delivery) throws Exception {
        return DeliveryFixture.run(delivery, request("a@example.com"));
    }

    private static void assertDeferredByDane(DeliveryReport report, String mx, String reason) {
        assertThat(report.recipients()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.DEFERRED);
            assertThat(r.code()).isEqualTo(451);
            assertThat(r.status()).isEqualTo("4.7.5");
            assertThat(r.text()).startsWith("DANE: " + mx + ": ").contains(reason);
        });
    }

    private static TlsResult tlsa(DeliveryReport report) {
        return report.tlsResults().stream()
                .filter(r -> r.tlsa().isPresent())
                .findFirst()
                .orElseThrow();
    }

    @Test
    @DisplayName(
            "RFC 7672 §3.1.1, RFC 8461 §2: 3 1 1 on a self-signed certificate delivers, although MTA-STS enforce would refuse it")
    void daneEeSelfSignedBeatsEnforce() throws Exception {
        TestCa.Issued selfSigned = rogue.issue("mx1.example.com");
        TestMx server = mx("127.0.0.2", "mx1.example.com", selfSigned, ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("mx1.example.com", Security.SECURE, daneEe(selfSigned));

        DeliveryReport report = run(delivery(policy("enforce", "mx1.example.com")));

        assertThat(report.recipients())
                .singleElement()
                .extracting(RecipientResult::outcome)
                .isEqualTo(Outcome.DELIVERED);
        assertThat(server.messages)
                .singleElement()
                .satisfies(m -> assertThat(m.overTls()).isTrue());
        // RFC 8460 §1.3, §4.4: reported once, under the TLSA base domain with policy-type tlsa.
        assertThat(report.tlsResults()).singleElement().satisfies(t -> {
            assertThat(t.success()).isTrue();
            assertThat(t.policyDomain()).isEqualTo("mx1.example.com");
            assertThat(t.tlsa().orElseThrow())
                    .containsExactly(daneEe(selfSigned).toString());
            assertThat(t.policy()).isEmpty();
            assertThat(t.mxHost()).contains("mx1.example.com");
        });
    }

    @Test
    @DisplayName("RFC 7672 §3.2: 3 1 1 that matches no key refuses a PKIX-valid certificate (tlsa-invalid, 4.7.5)")
    void mismatchRefusesValidPkix() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("mx1.example.com", Security.SECURE, daneEe(rogue.issue("other.example.com")));

        DeliveryReport report = run(delivery(policy("enforce", "mx1.example.com")));

        assertThat(server.messages).isEmpty();
        assertDeferredByDane(report, "mx1.example.com", "does not match");
        assertThat(tlsa(report).failure().orElseThrow().type()).isEqualTo(TlsResultType.TLSA_INVALID);
        assertThat(report.tlsResults()).allSatisfy(t -> assertThat(t.tlsa()).isPresent());
    }

    @Test
    @DisplayName(
            "RFC 7672 §3.1.1: 3 1 1 ignores the certificate's names and dates: expired and for another name delivers")
    void daneEeIgnoresNamesAndDates() throws Exception {
        TestCa.Issued expired = rogue.issue(
                "someone-else",
                Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(1)),
                "other.example.org");
        TestMx server = mx("127.0.0.2", "mx1.example.com", expired, ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("mx1.example.com", Security.SECURE, daneEe(expired));

        DeliveryReport report = run(delivery(noPolicy()));

        assertThat(server.messages).hasSize(1);
        assertThat(tlsa(report).success()).isTrue();
    }

    @Test
    @DisplayName("RFC 7672 §3.1.2, §3.2.2: 2 1 1 on the issuing CA delivers with the right name, refuses a wrong one")
    void daneTaChecksTheName() throws Exception {
        TestMx right = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), ESMTP);
        TestMx wrong = mx("127.0.0.3", "mx2.example.com", trusted.issue("elsewhere.example.net"), ESMTP);
        TlsaRecordData ca = spki(2, trusted.certificate());
        dns.mx("example.com", new MxRecord(10, "mx2.example.com"), new MxRecord(20, "mx1.example.com"))
                .signed("example.com", "mx1.example.com", "mx2.example.com")
                .tlsa("mx1.example.com", Security.SECURE, ca)
                .tlsa("mx2.example.com", Security.SECURE, ca);

        DeliveryReport report = run(delivery(noPolicy()));

        // The better MX is refused (certificate-host-mismatch); the second one delivers.
        assertThat(wrong.messages).isEmpty();
        assertThat(right.messages).hasSize(1);
        assertThat(report.tlsResults())
                .extracting(TlsResult::policyDomain)
                .containsExactly("mx2.example.com", "mx1.example.com");
        assertThat(report.tlsResults().get(0).failure().orElseThrow().type())
                .isEqualTo(TlsResultType.CERTIFICATE_HOST_MISMATCH);
        assertThat(report.tlsResults().get(1).success()).isTrue();
    }

    @Test
    @DisplayName("RFC 7672 §2.2: usable TLSA records and no STARTTLS: not delivered (starttls-not-supported)")
    void noStartTlsRefused() throws Exception {
        TestCa.Issued issued = trusted.issue("mx1.example.com");
        TestMx server = mx("127.0.0.2", "mx1.example.com", issued, PLAIN);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("mx1.example.com", Security.SECURE, daneEe(issued));

        DeliveryReport report = run(delivery(noPolicy()));

        assertThat(server.messages).isEmpty();
        assertDeferredByDane(report, "mx1.example.com", "STARTTLS not offered");
        assertThat(tlsa(report).failure().orElseThrow().type()).isEqualTo(TlsResultType.STARTTLS_NOT_SUPPORTED);
    }

    @Test
    @DisplayName(
            "RFC 7672 §2.1.2: a bogus TLSA answer: host not used, no fallback to MTA-STS or plain text (dnssec-invalid)")
    void bogusTlsaNoFallback() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("mx1.example.com", Security.BOGUS);

        DeliveryReport report = run(delivery(policy("testing", "mx1.example.com")));

        assertThat(server.connections.get()).isZero();
        assertDeferredByDane(report, "mx1.example.com", "bogus");
        assertThat(tlsa(report).failure().orElseThrow().type()).isEqualTo(TlsResultType.DNSSEC_INVALID);
    }

    @Test
    @DisplayName("RFC 7672 §2.2.1: an insecure MX RRset: no TLSA lookup, MTA-STS and PKIX as without DANE")
    void insecureMxIgnoresDane() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .tlsa("mx1.example.com", Security.SECURE, daneEe(rogue.issue("x")));

        DeliveryReport report = run(delivery(policy("enforce", "mx1.example.com")));

        assertThat(server.messages).hasSize(1);
        assertThat(dns.tlsaQueries()).isEmpty();
        assertThat(report.tlsResults()).singleElement().satisfies(t -> {
            assertThat(t.tlsa()).isEmpty();
            assertThat(t.policy()).isPresent();
        });
    }

    @Test
    @DisplayName("RFC 7672 §2.2: TLSA in an unsigned zone (insecure answer) is ignored")
    void insecureTlsaIgnored() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("mx1.example.com", Security.INSECURE, daneEe(rogue.issue("x")));

        DeliveryReport report = run(delivery(noPolicy()));

        assertThat(server.messages).hasSize(1);
        assertThat(report.tlsResults()).allSatisfy(t -> assertThat(t.tlsa()).isEmpty());
    }

    @Test
    @DisplayName("RFC 7672 §2.2, §3.1.3: only PKIX-EE records: TLS is required, any certificate is accepted")
    void unusableRecordsRequireTlsOnly() throws Exception {
        TestCa.Issued selfSigned = rogue.issue("mx1.example.com");
        TestMx tls = mx("127.0.0.2", "mx1.example.com", selfSigned, ESMTP);
        TestMx plain = mx("127.0.0.3", "mx2.example.com", selfSigned, PLAIN);
        TlsaRecordData pkixEe = spki(1, selfSigned.chain()[0]);
        dns.mx("example.com", new MxRecord(10, "mx2.example.com"), new MxRecord(20, "mx1.example.com"))
                .signed("example.com", "mx1.example.com", "mx2.example.com")
                .tlsa("mx1.example.com", Security.SECURE, pkixEe)
                .tlsa("mx2.example.com", Security.SECURE, pkixEe);

        DeliveryReport report = run(delivery(noPolicy()));

        assertThat(plain.messages).isEmpty();
        assertThat(tls.messages)
                .singleElement()
                .satisfies(m -> assertThat(m.overTls()).isTrue());
        assertThat(report.tlsResults())
                .extracting(t -> t.failure().map(f -> f.type().token()).orElse("success"))
                .containsExactly("starttls-not-supported", "success");
    }

    @Test
    @DisplayName("RFC 7672 §2.1.2: a TLSA lookup that fails makes the host unreachable (4.4.1), never a downgrade")
    void tlsaLookupFailureDefers() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsaFails("mx1.example.com");

        DeliveryReport report = run(delivery(noPolicy()));

        assertThat(server.connections.get()).isZero();
        assertThat(report.recipients()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.DEFERRED);
            assertThat(r.status()).isEqualTo("4.4.1");
            assertThat(r.text()).contains("TLSA lookup for mx1.example.com failed");
        });
    }

    @Test
    @DisplayName("dane.mode report-only: a DANE failure is reported (tlsa) but delivery goes on as MTA-STS decides")
    void reportOnlyDelivers() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("mx1.example.com", Security.SECURE, daneEe(rogue.issue("x")));

        DeliveryReport report =
                run(delivery(policy("enforce", "mx1.example.com"), DaneConfig.Mode.REPORT_ONLY, Map.of()));

        assertThat(server.messages).hasSize(1);
        assertThat(tlsa(report).failure().orElseThrow().type()).isEqualTo(TlsResultType.TLSA_INVALID);
        assertThat(report.tlsResults())
                .filteredOn(t -> t.tlsa().isEmpty())
                .singleElement()
                .satisfies(t -> assertThat(t.success()).isTrue());
    }

    @Test
    @DisplayName(
            "RFC 7672 §6, RFC 8460 §4.3.2.1: override dane: require refuses a host without secure TLSA (dane-required)")
    void requireRefusesInsecure() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        DeliveryConfig.Override require = new DeliveryConfig.Override(
                Optional.empty(), Optional.empty(), Optional.of(DeliveryConfig.DaneOverride.REQUIRE));

        DeliveryReport report = run(delivery(noPolicy(), DaneConfig.Mode.ENABLED, Map.of("example.com", require)));

        assertThat(server.connections.get()).isZero();
        assertDeferredByDane(report, "mx1.example.com", "not DNSSEC-signed");
        assertThat(tlsa(report).failure().orElseThrow().type()).isEqualTo(TlsResultType.DANE_REQUIRED);
    }

    @Test
    @DisplayName("override dane: off: no TLSA lookups for that domain")
    void overrideOff() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("mx1.example.com", Security.SECURE, daneEe(rogue.issue("x")));
        DeliveryConfig.Override off = new DeliveryConfig.Override(
                Optional.empty(), Optional.empty(), Optional.of(DeliveryConfig.DaneOverride.OFF));

        run(delivery(noPolicy(), DaneConfig.Mode.ENABLED, Map.of("example.com", off)));

        assertThat(server.messages).hasSize(1);
        assertThat(dns.tlsaQueries()).isEmpty();
    }

    @Test
    @DisplayName("RFC 7672 §3.2, RFC 8460 §4.3: a reused DANE connection is judged again and reported once")
    void reusedConnection() throws Exception {
        TestCa.Issued selfSigned = rogue.issue("mx1.example.com");
        TestMx server = mx("127.0.0.2", "mx1.example.com", selfSigned, ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("mx1.example.com", Security.SECURE, daneEe(selfSigned));
        MxDelivery delivery = delivery(noPolicy());

        DeliveryReport first = run(delivery);
        DeliveryReport second = run(delivery);

        assertThat(server.messages).hasSize(2);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(first.tlsResults()).hasSize(1);
        assertThat(second.tlsResults()).isEmpty();
    }

    @Test
    @DisplayName(
            "RFC 8689 §4.2.1: REQUIRETLS without MTA-STS goes to a DANE-authenticated MX, never to one without TLSA")
    void requireTlsByDane() throws Exception {
        Set<String> withRequireTls = Set.of("PIPELINING", "8BITMIME", "STARTTLS", "SIZE 1000000", "REQUIRETLS");
        TestCa.Issued issued = rogue.issue("mx2.example.com");
        TestMx noTlsa = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), withRequireTls);
        TestMx dane = mx("127.0.0.3", "mx2.example.com", issued, withRequireTls);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"), new MxRecord(20, "mx2.example.com"))
                .signed("example.com", "mx1.example.com", "mx2.example.com")
                .tlsa("mx2.example.com", Security.SECURE, daneEe(issued));
        Envelope.MailParams requireTls =
                new Envelope.MailParams(Envelope.Body.SEVEN_BIT, false, Optional.empty(), Optional.empty(), true, 0);

        DeliveryReport report = DeliveryFixture.run(delivery(noPolicy()), request(requireTls, "a@example.com"));

        assertThat(report.recipients())
                .singleElement()
                .extracting(RecipientResult::outcome)
                .isEqualTo(Outcome.DELIVERED);
        assertThat(noTlsa.connections.get()).isZero();
        assertThat(dane.messages).hasSize(1);
    }

    @Test
    @DisplayName("RFC 7672 §2.2.3, §8.1: a secure CNAME'd MX: TLSA at the expanded name, which is also the SNI")
    void cnameExpandedBaseDomainIsSni() throws Exception {
        TestCa.Issued selfSigned = rogue.issue("real.example.net");
        TestMx server = mx("127.0.0.2", "mx1.example.com", selfSigned, ESMTP);
        dns.canonical("mx1.example.com", "real.example.net");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("real.example.net", Security.SECURE, daneEe(selfSigned));

        DeliveryReport report = run(delivery(noPolicy()));

        assertThat(server.messages).hasSize(1);
        assertThat(server.serverNames).containsOnly("real.example.net");
        assertThat(tlsa(report).policyDomain()).isEqualTo("real.example.net");
        assertThat(dns.tlsaQueries()).containsExactly("_25._tcp.real.example.net");
    }

    @Test
    @DisplayName("RFC 8461 §7.1: without DANE the SNI is the MX host name")
    void sniWithoutDane() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", trusted.issue("mx1.example.com"), ESMTP);
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));

        run(delivery(noPolicy()));

        assertThat(server.serverNames).containsOnly("mx1.example.com");
    }

    @Test
    @DisplayName("RFC 7672 §2.2.3: no TLSA at the expanded name: the MX name is the second candidate base domain")
    void cnameFallsBackToTheMxName() throws Exception {
        TestCa.Issued selfSigned = rogue.issue("mx1.example.com");
        TestMx server = mx("127.0.0.2", "mx1.example.com", selfSigned, ESMTP);
        dns.canonical("mx1.example.com", "real.example.net");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"))
                .signed("example.com", "mx1.example.com")
                .tlsa("mx1.example.com", Security.SECURE, daneEe(selfSigned));

        DeliveryReport report = run(delivery(noPolicy()));

        assertThat(server.messages).hasSize(1);
        assertThat(dns.tlsaQueries()).containsExactly("_25._tcp.real.example.net", "_25._tcp.mx1.example.com");
        assertThat(tlsa(report).policyDomain()).isEqualTo("mx1.example.com");
        assertThat(server.serverNames).containsOnly("mx1.example.com");
    }
}
