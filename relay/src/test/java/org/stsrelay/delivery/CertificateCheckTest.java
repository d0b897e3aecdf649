package org.stsrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.policy.fetch.TestCa;
import org.stsrelay.support.TrustStores;

/** The RFC 8460 §4.3.1 classification of MX certificates, one row per way a chain can fail, at a fixed time. */
class CertificateCheckTest {

    private static final String HOST = "mx1.example.com";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Instant NOT_BEFORE = NOW.plus(Duration.ofDays(30));
    private static TestCa trusted;
    private static TestCa rogue;
    private static CertificateCheck check;

    @BeforeAll
    static void authorities() throws Exception {
        trusted = new TestCa("test root");
        rogue = new TestCa("rogue root");
        check = new CertificateCheck(
                TrustStores.pkix(List.of(trusted.certificate())), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** A chain, the result type it must get (null: valid) and the start of its reason code. */
    private record Row(String name, Chain chain, TlsResultType type, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    private interface Chain {
        X509Certificate[] mint() throws Exception;
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                        new Row(
                                "valid for the host",
                                () -> trusted.issue(
                                                HOST,
                                                NOW.minus(Duration.ofDays(1)),
                                                NOW.plus(Duration.ofDays(90)),
                                                HOST)
                                        .chain(),
                                null,
                                null),
                        new Row(
                                "expired",
                                () -> trusted.issue(
                                                HOST,
                                                NOW.minus(Duration.ofDays(90)),
                                                NOW.minus(Duration.ofDays(1)),
                                                HOST)
                                        .chain(),
                                TlsResultType.CERTIFICATE_EXPIRED,
                                "the certificate expired on "
                                        + NOW.minus(Duration.ofDays(1))
                                                .atOffset(ZoneOffset.UTC)
                                                .toLocalDate()),
                        new Row(
                                "not yet valid",
                                () -> trusted.issue(HOST, NOT_BEFORE, NOT_BEFORE.plus(Duration.ofDays(90)), HOST)
                                        .chain(),
                                TlsResultType.VALIDATION_FAILURE,
                                "certificate not yet valid (notBefore " + NOT_BEFORE + ")"),
                        new Row(
                                "untrusted CA",
                                () -> rogue.issue(
                                                HOST,
                                                NOW.minus(Duration.ofDays(1)),
                                                NOW.plus(Duration.ofDays(90)),
                                                HOST)
                                        .chain(),
                                TlsResultType.CERTIFICATE_NOT_TRUSTED,
                                "the certificate (issuer CN=rogue root) does not chain to a trusted CA"),
                        new Row(
                                "another host",
                                () -> trusted.issue(
                                                "other.example.com",
                                                NOW.minus(Duration.ofDays(1)),
                                                NOW.plus(Duration.ofDays(90)),
                                                "other.example.com")
                                        .chain(),
                                TlsResultType.CERTIFICATE_HOST_MISMATCH,
                                "the certificate is valid for [other.example.com]"),
                        new Row(
                                "no certificate",
                                () -> new X509Certificate[0],
                                TlsResultType.VALIDATION_FAILURE,
                                "the server presented no certificate"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    @DisplayName("RFC 8460 §4.3.1, §4.3.3: each certificate fault gets its result type and a reason naming it")
    void classifies(Row row) throws Exception {
        Optional<TlsResult.Failure> failure = check.check(row.chain().mint(), HOST);
        if (row.type() == null) {
            assertThat(failure).isEmpty();
            return;
        }
        assertThat(failure).get().satisfies(f -> {
            assertThat(f.type()).isEqualTo(row.type());
            assertThat(f.reasonCode()).startsWith(row.reason());
        });
    }

    @Test
    @DisplayName("RFC 8460 §4.3.1: a certificate not yet valid has not expired: validation-failure naming notBefore")
    void notYetValidIsNotExpired() throws Exception {
        X509Certificate[] chain = trusted.issue(
                        HOST, Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2027-04-01T00:00:00Z"), HOST)
                .chain();
        CertificateCheck before = new CertificateCheck(
                TrustStores.pkix(List.of(trusted.certificate())),
                Clock.fixed(Instant.parse("2026-12-31T23:59:59Z"), ZoneOffset.UTC));
        assertThat(before.check(chain, HOST))
                .contains(new TlsResult.Failure(
                        TlsResultType.VALIDATION_FAILURE,
                        "certificate not yet valid (notBefore 2027-01-01T00:00:00Z)"));
    }
}
