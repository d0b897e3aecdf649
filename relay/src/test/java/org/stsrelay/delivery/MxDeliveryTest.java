package org.stsrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.delivery.DeliveryFixture.inMemory;
import static org.stsrelay.delivery.DeliveryFixture.noPolicy;
import static org.stsrelay.delivery.DeliveryFixture.policy;
import static org.stsrelay.delivery.DeliveryFixture.request;
import static org.stsrelay.delivery.DeliveryFixture.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.stsrelay.delivery.RecipientResult.Outcome;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.PolicySource;
import org.stsrelay.policy.ResultType;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.fetch.TestCa;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.spool.Envelope;

/** Delivery against small SMTP servers on 127.0.0.x, one shared port, with test-CA certificates. */
class MxDeliveryTest {

    private static final Set<String> ESMTP = DeliveryFixture.ESMTP;
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

    private TestMx mx(
            String ip, String name, Optional<TestCa.Issued> certificate, Set<String> extensions, Set<String> refused)
            throws Exception {
        return fixture.mx(ip, name, certificate, extensions, refused);
    }

    private TestMx goodMx(String ip, String name) throws Exception {
        return mx(ip, name, Optional.of(trusted.issue(name)), ESMTP, Set.of());
    }

    private MxDelivery delivery(PolicySource policies) {
        return fixture.delivery(policies);
    }

    private static PolicySource fetchError() {
        return domain -> CompletableFuture.completedFuture(new PolicyLookup.NoPolicy(
                NoPolicyCause.FETCH_FAILED,
                "the policy of " + domain + " could not be fetched: connection refused",
                Optional.of(ResultType.STS_POLICY_FETCH_ERROR)));
    }

    @Test
    @DisplayName(
            "RFC 5321 §4.5.2, §4.1.1.4: content held in memory is dot-stuffed and ended with CRLF as read content is")
    void contentInMemoryIsSentLikeContentReadFromTheSpool() throws Exception {
        TestMx server = goodMx("127.0.0.2", "mx1.example.com");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        MxDelivery delivery = delivery(policy("enforce", "mx1.example.com"));

        DeliveryReport first = run(delivery, inMemory("Subject: a\r\n\r\n.dot\r\n..two\r\nlast", "a@example.com"));
        DeliveryReport second = run(delivery, inMemory("Subject: b\r\n\r\nbody\r\n", "b@example.com"));

        assertThat(List.of(first, second))
                .allSatisfy(report -> assertThat(report.recipients())
                        .singleElement()
                        .satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED)));
        assertThat(server.messages)
                .extracting(m -> m.content())
                .containsExactly("Subject: a\r\n\r\n.dot\r\n..two\r\nlast\r\n", "Subject: b\r\n\r\nbody\r\n");
    }

    private double count(String name, String... tags) {
        return fixture.count(name, tags);
    }

    @Test
    @DisplayName("RFC 8461 §4, §5: enforce with a valid certificate delivers over TLS 1.3 and records success")
    void enforceGoodDelivers() throws Exception {
        TestMx server = goodMx("127.0.0.2", "mx1.example.com");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));

        DeliveryReport report = run(delivery(policy("enforce", "mx1.example.com")), request("a@example.com"));

        assertThat(report.recipients()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.DELIVERED);
            assertThat(r.code()).isEqualTo(250);
        });
        assertThat(server.messages).singleElement().satisfies(m -> {
            assertThat(m.overTls()).isTrue();
            assertThat(m.content()).isEqualTo("Subject: hi\r\n\r\n.leading dot\r\nbody\r\n");
        });
        assertThat(report.tlsResults()).singleElement().satisfies(t -> {
            assertThat(t.success()).isTrue();
            assertThat(t.mxHost()).contains("mx1.example.com");
            assertThat(t.receivingIp()).contains("127.0.0.2");
            assertThat(t.receivingHelo()).contains("mx.test");
            assertThat(t.sendingIp()).isPresent();
            assertThat(t.policy()).isPresent();
        });
        assertThat(count("sts.relay.delivery.tls.sessions", "version", "TLSv1.3"))
                .isEqualTo(1);
    }

    private void assertEnforceRefuses(TestMx server, DeliveryReport report, TlsResultType type, String reason) {
        assertThat(server.messages).isEmpty();
        assertThat(report.recipients()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.DEFERRED);
            assertThat(r.status()).isEqualTo("4.7.5");
            assertThat(r.text())
                    .startsWith("MTA-STS enforce: mx1.example.com: ")
                    .contains(reason);
        });
        assertThat(report.tlsResults())
                .singleElement()
                .satisfies(t -> assertThat(t.failure().orElseThrow().type()).isEqualTo(type));
        assertThat(count("sts.relay.delivery.enforce.refusals", "result_type", type.token()))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §4.2, RFC 8460 §4.3.1: enforce refuses an expired certificate (certificate-expired)")
    void enforceExpired() throws Exception {
        Instant now = Instant.now();
        TestMx server = mx(
                "127.0.0.2",
                "mx1.example.com",
                Optional.of(trusted.issue(
                        "mx1.example.com",
                        now.minusSeconds(86_400 * 30L),
                        now.minusSeconds(86_400),
                        "mx1.example.com")),
                ESMTP,
                Set.of());
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        DeliveryReport report = run(delivery(policy("enforce", "mx1.example.com")), request("a@example.com"));
        assertEnforceRefuses(server, report, TlsResultType.CERTIFICATE_EXPIRED, "the certificate expired on");
    }

    @Test
    @DisplayName("RFC 8461 §4.2, RFC 8460 §4.3.1: enforce refuses a certificate from an untrusted CA")
    void enforceUntrusted() throws Exception {
        TestMx server =
                mx("127.0.0.2", "mx1.example.com", Optional.of(rogue.issue("mx1.example.com")), ESMTP, Set.of());
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        DeliveryReport report = run(delivery(policy("enforce", "mx1.example.com")), request("a@example.com"));
        assertEnforceRefuses(server, report, TlsResultType.CERTIFICATE_NOT_TRUSTED, "does not chain to a trusted CA");
    }

    @Test
    @DisplayName("RFC 8461 §4.2, RFC 6125 §6.4: enforce refuses a certificate for another host")
    void enforceWrongHost() throws Exception {
        TestMx server =
                mx("127.0.0.2", "mx1.example.com", Optional.of(trusted.issue("other.example.com")), ESMTP, Set.of());
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        DeliveryReport report = run(delivery(policy("enforce", "mx1.example.com")), request("a@example.com"));
        assertEnforceRefuses(server, report, TlsResultType.CERTIFICATE_HOST_MISMATCH, "[other.example.com]");
    }

    @Test
    @DisplayName("RFC 8461 §5, RFC 3207: enforce refuses an MX without STARTTLS, never falls back to plain text")
    void enforceNoStartTls() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", Optional.empty(), Set.of("PIPELINING"), Set.of());
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        DeliveryReport report = run(delivery(policy("enforce", "mx1.example.com")), request("a@example.com"));
        assertEnforceRefuses(server, report, TlsResultType.STARTTLS_NOT_SUPPORTED, "STARTTLS not offered");
    }

    @Test
    @DisplayName("RFC 8461 §4.1: enforce never contacts an MX that matches no mx pattern")
    void enforceMxMismatch() throws Exception {
        TestMx server = goodMx("127.0.0.2", "mx3.example.net");
        dns.mx("example.com", new MxRecord(10, "mx3.example.net"));
        DeliveryReport report = run(delivery(policy("enforce", "mx1.example.com")), request("a@example.com"));
        assertThat(server.connections.get()).isZero();
        assertThat(report.recipients().get(0).status()).isEqualTo("4.7.5");
        assertThat(report.recipients().get(0).text()).contains("mx-mismatch: mx3.example.net not in policy");
        assertThat(report.tlsResults()).singleElement().satisfies(t -> {
            assertThat(t.failure().orElseThrow().type()).isEqualTo(TlsResultType.VALIDATION_FAILURE);
            assertThat(t.receivingIp()).isEmpty();
        });
        assertThat(count("sts.relay.delivery.mx.mismatch")).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §5.1: under enforce a bad first MX is skipped and the second one gets the message")
    void enforceFirstBadSecondGood() throws Exception {
        TestMx bad = mx("127.0.0.2", "mx1.example.com", Optional.of(rogue.issue("mx1.example.com")), ESMTP, Set.of());
        TestMx good = goodMx("127.0.0.3", "mx2.example.com");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"), new MxRecord(20, "mx2.example.com"));
        DeliveryReport report = run(delivery(policy("enforce", "*.example.com")), request("a@example.com"));
        assertThat(report.recipients().get(0).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(report.recipients().get(0).mx()).contains("mx2.example.com");
        assertThat(bad.messages).isEmpty();
        assertThat(good.messages).hasSize(1);
        assertThat(report.tlsResults()).extracting(TlsResult::success).containsExactly(false, true);
    }

    @Test
    @DisplayName("RFC 8461 §5 testing: a bad certificate is recorded and the message delivered anyway")
    void testingDeliversDespiteBadCertificate() throws Exception {
        TestMx server =
                mx("127.0.0.2", "mx1.example.com", Optional.of(rogue.issue("mx1.example.com")), ESMTP, Set.of());
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        DeliveryReport report = run(delivery(policy("testing", "mx1.example.com")), request("a@example.com"));
        assertThat(report.recipients().get(0).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(server.messages)
                .singleElement()
                .satisfies(m -> assertThat(m.overTls()).isTrue());
        assertThat(report.tlsResults())
                .singleElement()
                .satisfies(t ->
                        assertThat(t.failure().orElseThrow().type()).isEqualTo(TlsResultType.CERTIFICATE_NOT_TRUSTED));
    }

    @Test
    @DisplayName("RFC 8461 §3.3: without a policy, an MX without STARTTLS gets the message in plain text")
    void noPolicyPlaintext() throws Exception {
        TestMx server = mx("127.0.0.2", "mx1.example.com", Optional.empty(), Set.of("PIPELINING"), Set.of());
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        DeliveryReport report = run(delivery(noPolicy()), request("a@example.com"));
        assertThat(report.recipients().get(0).outcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(server.messages)
                .singleElement()
                .satisfies(m -> assertThat(m.overTls()).isFalse());
        assertThat(count("sts.relay.delivery.plaintext", "mode", "no_policy")).isEqualTo(1);
        assertThat(report.tlsResults())
                .singleElement()
                .satisfies(t ->
                        assertThat(t.failure().orElseThrow().type()).isEqualTo(TlsResultType.STARTTLS_NOT_SUPPORTED));
    }

    @Test
    @DisplayName("RFC 7505 §3: a null MX fails every recipient with 556 5.1.10")
    void nullMx() throws Exception {
        dns.mx("example.com", new MxRecord(0, ""));
        DeliveryReport report = run(delivery(noPolicy()), request("a@example.com", "b@example.com"));
        assertThat(report.recipients()).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.code()).isEqualTo(556);
            assertThat(r.status()).isEqualTo("5.1.10");
        });
    }

    @Test
    @DisplayName("RFC 5321 §3.3: a 5xx to one RCPT fails that recipient only; the others are delivered")
    void oneRecipientRefused() throws Exception {
        TestMx server = mx(
                "127.0.0.2",
                "mx1.example.com",
                Optional.of(trusted.issue("mx1.example.com")),
                ESMTP,
                Set.of("b@example.com"));
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        DeliveryReport report = run(
                delivery(policy("enforce", "mx1.example.com")),
                request("a@example.com", "b@example.com", "c@example.com"));
        assertThat(report.recipients())
                .extracting(RecipientResult::outcome)
                .containsExactly(Outcome.DELIVERED, Outcome.FAILED, Outcome.DELIVERED);
        assertThat(report.recipients().get(1).status()).isEqualTo("5.1.1");
        assertThat(report.recipients().get(1).remote()).isTrue();
        assertThat(server.messages)
                .singleElement()
                .satisfies(m -> assertThat(m.to()).containsExactly("a@example.com", "c@example.com"));
    }

    @Test
    @DisplayName(
            "RFC 5321 §4.1.1.4, §4.1.1.5: further messages reuse the verified connection; RSET checks it after idling")
    void connectionReuse() throws Exception {
        TestMx server = goodMx("127.0.0.2", "mx1.example.com");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        MxDelivery delivery = delivery(policy("enforce", "mx1.example.com"));
        run(delivery, request("a@example.com"));
        DeliveryReport second = run(delivery, request("b@example.com"));
        int resetsRightAway = server.resets.get();
        fixture.clock.advance(MxDelivery.RSET_AFTER_IDLE);
        DeliveryReport third = run(delivery, request("c@example.com"));

        assertThat(List.of(second, third))
                .allSatisfy(r -> assertThat(r.recipients().get(0).outcome()).isEqualTo(Outcome.DELIVERED));
        assertThat(server.messages).hasSize(3);
        assertThat(resetsRightAway)
                .as("a connection handed back moments ago is used at once")
                .isZero();
        assertThat(server.resets.get()).as("one that sat idle is checked first").isEqualTo(1);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(count("sts.relay.delivery.connections.opened")).isEqualTo(1);
        assertThat(count("sts.relay.delivery.connections.reused")).isEqualTo(2);
    }

    @Test
    @DisplayName("RFC 8460 §4.3: a connection reused for several messages is one TLS session, reported once")
    void reusedConnectionIsOneSession() throws Exception {
        TestMx server = goodMx("127.0.0.2", "mx1.example.com");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        MxDelivery delivery = delivery(policy("enforce", "mx1.example.com"));
        List<TlsResult> results = new ArrayList<>();
        for (String recipient : List.of("a@example.com", "b@example.com", "c@example.com")) {
            DeliveryReport report = run(delivery, request(recipient));
            assertThat(report.recipients().get(0).outcome()).isEqualTo(Outcome.DELIVERED);
            results.addAll(report.tlsResults());
        }
        assertThat(server.messages).hasSize(3);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(results).singleElement().satisfies(t -> {
            assertThat(t.success()).isTrue();
            assertThat(t.policyDomain()).isEqualTo("example.com");
        });
        assertThat(count("sts.relay.delivery.tls.results", "policy_type", "sts", "result", "success"))
                .isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8460 §4.4: a connection reused across recipient domains counts once in each domain's report")
    void reusedConnectionCountsOncePerPolicyDomain() throws Exception {
        TestMx server = goodMx("127.0.0.2", "mx1.example.com");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        dns.mx("example.org", new MxRecord(10, "mx1.example.com"));
        MxDelivery delivery = delivery(policy("enforce", "mx1.example.com"));
        List<TlsResult> results = new ArrayList<>();
        for (String recipient : List.of("a@example.com", "b@example.org", "c@example.org", "d@example.com")) {
            DeliveryReport report = run(delivery, request(recipient));
            assertThat(report.recipients().get(0).outcome()).isEqualTo(Outcome.DELIVERED);
            results.addAll(report.tlsResults());
        }
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(results).extracting(TlsResult::policyDomain).containsExactly("example.com", "example.org");
        assertThat(results).allSatisfy(t -> {
            assertThat(t.success()).isTrue();
            assertThat(t.receivingIp()).contains("127.0.0.2");
        });
    }

    @Test
    @DisplayName("RFC 8460 §3: a session opened for a TLS report is counted when ordinary mail reuses it")
    void sessionOpenedForAReportIsCountedForOrdinaryMail() throws Exception {
        TestMx server = goodMx("127.0.0.2", "mx1.example.com");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        MxDelivery delivery = delivery(policy("enforce", "mx1.example.com"));
        DeliveryRequest ordinary = request("b@example.com");
        DeliveryRequest report = new DeliveryRequest(
                ordinary.envelope(), ordinary.domain(), ordinary.recipients(), ordinary.content(), true, false, false);
        run(delivery, report);
        DeliveryReport first = run(delivery, ordinary);
        DeliveryReport second = run(delivery, ordinary);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(first.tlsResults())
                .singleElement()
                .satisfies(t -> assertThat(t.success()).isTrue());
        assertThat(second.tlsResults()).isEmpty();
    }

    @Test
    @DisplayName(
            "RFC 8460 §4.3.2.2: with the policy fetch failed, one session is one sts-policy-fetch-error, no success")
    void fetchErrorSessionCountsOnce() throws Exception {
        TestMx server = goodMx("127.0.0.2", "mx1.example.com");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        MxDelivery delivery = delivery(fetchError());
        List<TlsResult> results = new ArrayList<>();
        for (String recipient : List.of("a@example.com", "b@example.com")) {
            DeliveryReport report = run(delivery, request(recipient));
            assertThat(report.recipients().get(0).outcome()).isEqualTo(Outcome.DELIVERED);
            results.addAll(report.tlsResults());
        }
        assertThat(server.messages).hasSize(2).allMatch(TestMx.Received::overTls);
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(results).singleElement().satisfies(t -> {
            assertThat(t.failure().orElseThrow().type()).isEqualTo(TlsResultType.STS_POLICY_FETCH_ERROR);
            assertThat(t.policy()).isEmpty();
            // RFC 8460 §4.4: the lookup involved no MX, so the failure omits the MX and address fields.
            assertThat(t.mxHost()).isEmpty();
            assertThat(t.receivingIp()).isEmpty();
        });
    }

    @Test
    @DisplayName("RFC 8461 §6: a failed policy fetch is reported once even when no MX could be reached")
    void fetchErrorWithoutSessionIsReportedOnce() throws Exception {
        dns.mx("example.com", new MxRecord(10, "mx-nowhere.example.com"));
        DeliveryReport report = run(delivery(fetchError()), request("a@example.com"));
        assertThat(report.recipients().get(0).status()).isEqualTo("4.4.1");
        assertThat(report.tlsResults())
                .singleElement()
                .satisfies(t ->
                        assertThat(t.failure().orElseThrow().type()).isEqualTo(TlsResultType.STS_POLICY_FETCH_ERROR));
    }

    @Test
    @DisplayName("RFC 8689 §4.2.1: REQUIRETLS without an enforce policy is deferred with 4.7.30")
    void requireTlsWithoutEnforce() throws Exception {
        TestMx server = goodMx("127.0.0.2", "mx1.example.com");
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        Envelope.MailParams requireTls =
                new Envelope.MailParams(Envelope.Body.SEVEN_BIT, false, Optional.empty(), Optional.empty(), true, 0);
        DeliveryReport report =
                run(delivery(policy("testing", "mx1.example.com")), request(requireTls, "a@example.com"));
        assertThat(report.recipients().get(0).outcome()).isEqualTo(Outcome.DEFERRED);
        assertThat(report.recipients().get(0).status()).isEqualTo("4.7.30");
        assertThat(server.connections.get()).isZero();
    }

    @Test
    @DisplayName("RFC 6152 §3: an 8-bit message is never sent to a server without 8BITMIME (5.6.3)")
    void eightBitToSevenBitServer() throws Exception {
        TestMx server = mx(
                "127.0.0.2",
                "mx1.example.com",
                Optional.of(trusted.issue("mx1.example.com")),
                Set.of("STARTTLS"),
                Set.of());
        dns.mx("example.com", new MxRecord(10, "mx1.example.com"));
        Envelope.MailParams eightBit = new Envelope.MailParams(
                Envelope.Body.EIGHT_BITMIME, false, Optional.empty(), Optional.empty(), false, 0);
        DeliveryReport report = run(delivery(noPolicy()), request(eightBit, "a@example.com"));
        assertThat(report.recipients().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(report.recipients().get(0).code()).isEqualTo(550);
        assertThat(report.recipients().get(0).status()).isEqualTo("5.6.3");
        assertThat(server.messages).isEmpty();
    }

    @Test
    @DisplayName("RFC 5321 §5.1: NXDOMAIN fails with 5.1.2; a DNS failure defers with 4.4.3")
    void dnsOutcomes() throws Exception {
        DeliveryReport nx = run(delivery(noPolicy()), request("a@example.com"));
        assertThat(nx.recipients().get(0).status()).isEqualTo("5.1.2");
        dns.mxResult("example.com", new DnsResult.Failure<>("SERVFAIL"));
        DeliveryReport servfail = run(delivery(noPolicy()), request("a@example.com"));
        assertThat(servfail.recipients().get(0).status()).isEqualTo("4.4.3");
    }
}
