package org.stsrelay.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stsrelay.dane.DaneFixtures.selfSigned;
import static org.stsrelay.dane.DaneFixtures.tlsa;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.policy.fetch.TestCa;

class DaneVerifierTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Duration DAY = Duration.ofDays(1);
    private static final ReferenceIdentifiers MX = ReferenceIdentifiers.of("mx.example.com", "example.com");
    private static final DaneVerifier VERIFIER = new DaneVerifier(Clock.fixed(NOW, ZoneOffset.UTC));

    private static List<X509Certificate> selfSigned;
    private static List<X509Certificate> expiredSelfSigned;
    private static List<X509Certificate> otherNameSelfSigned;
    private static TestCa ca;
    private static List<X509Certificate> caIssued;
    private static List<X509Certificate> wrongName;
    private static List<X509Certificate> wildcard;
    private static List<X509Certificate> expiredCaIssued;
    private static List<X509Certificate> commonNameOnly;
    private static List<X509Certificate> otherDnsIdSameCommonName;
    private static List<X509Certificate> issuedByAnotherCa;
    private static List<X509Certificate> mx15;

    @BeforeAll
    static void mint() throws Exception {
        selfSigned = List.of(selfSigned("mx.example.com", NOW.minus(DAY), NOW.plus(DAY.multipliedBy(90)))
                .certificate());
        expiredSelfSigned = List.of(selfSigned("mx.example.com", NOW.minus(DAY.multipliedBy(90)), NOW.minus(DAY))
                .certificate());
        otherNameSelfSigned = List.of(
                selfSigned("other.example.net", NOW.minus(DAY), NOW.plus(DAY)).certificate());
        ca = new TestCa("DANE Test CA");
        Instant from = NOW.minus(DAY);
        Instant to = NOW.plus(DAY.multipliedBy(90));
        caIssued =
                List.of(ca.issue("mx.example.com", from, to, "mx.example.com").chain());
        wrongName = List.of(
                ca.issue("other.example.net", from, to, "other.example.net").chain());
        wildcard = List.of(ca.issue("*.example.com", from, to, "*.example.com").chain());
        expiredCaIssued =
                List.of(ca.issue("mx.example.com", NOW.minus(DAY.multipliedBy(90)), NOW.minus(DAY), "mx.example.com")
                        .chain());
        commonNameOnly = List.of(ca.issue("mx.example.com", from, to).chain());
        otherDnsIdSameCommonName = List.of(
                ca.issue("mx.example.com", from, to, "other.example.net").chain());
        X509Certificate foreignLeaf = new TestCa("Another CA")
                .issue("mx.example.com", from, to, "mx.example.com")
                .chain()[0];
        issuedByAnotherCa = List.of(foreignLeaf, ca.certificate());
        mx15 = List.of(
                ca.issue("mx15.example.com", from, to, "mx15.example.com").chain());
    }

    static Stream<Arguments> matches() throws Exception {
        return Stream.of(
                Arguments.of(
                        "RFC 7672 §3.1.1: 3 1 1 on a self-signed leaf matches",
                        selfSigned,
                        tlsa(3, 1, 1, selfSigned.get(0)),
                        MX),
                Arguments.of(
                        "RFC 7672 §3.1.1: 3 0 1 on a self-signed leaf matches",
                        selfSigned,
                        tlsa(3, 0, 1, selfSigned.get(0)),
                        MX),
                Arguments.of(
                        "RFC 7672 §3.1.1: 3 1 2 on a self-signed leaf matches",
                        selfSigned,
                        tlsa(3, 1, 2, selfSigned.get(0)),
                        MX),
                Arguments.of(
                        "RFC 7672 §3.1.1: 3 0 0 on a self-signed leaf matches",
                        selfSigned,
                        tlsa(3, 0, 0, selfSigned.get(0)),
                        MX),
                Arguments.of(
                        "RFC 7672 §3.1.1: 3 1 1 on an expired leaf matches (dates not checked)",
                        expiredSelfSigned,
                        tlsa(3, 1, 1, expiredSelfSigned.get(0)),
                        MX),
                Arguments.of(
                        "RFC 7672 §3.2.1: 3 1 1 on a leaf for another name matches (names not checked)",
                        otherNameSelfSigned,
                        tlsa(3, 1, 1, otherNameSelfSigned.get(0)),
                        MX),
                Arguments.of(
                        "RFC 7672 §3.2.2: 2 1 1 on the CA, leaf named for the TLSA base domain, matches",
                        caIssued,
                        tlsa(2, 1, 1, ca.certificate()),
                        MX),
                Arguments.of(
                        "RFC 7672 §3.2.2: 2 0 1 on the CA, leaf named for the TLSA base domain, matches",
                        caIssued,
                        tlsa(2, 0, 1, ca.certificate()),
                        MX),
                Arguments.of(
                        "RFC 7672 §3.2.2: 2 1 1 on the CA, leaf named for the MX name (not the base domain)",
                        mx15,
                        tlsa(2, 1, 1, ca.certificate()),
                        ReferenceIdentifiers.of("mxbackup.example.net", "mx15.example.com")),
                Arguments.of(
                        "RFC 7672 §3.2.3: wildcard *.example.com matches mx.example.com",
                        wildcard,
                        tlsa(2, 0, 1, ca.certificate()),
                        MX),
                Arguments.of(
                        "RFC 7672 §3.2.3: without DNS-IDs the CN-ID is matched",
                        commonNameOnly,
                        tlsa(2, 1, 1, ca.certificate()),
                        MX),
                Arguments.of(
                        "RFC 7672 §3.1.2: 2 1 1 on the leaf itself (chain of one) with the right name",
                        selfSigned,
                        tlsa(2, 1, 1, selfSigned.get(0)),
                        MX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matches")
    void authenticates(String rule, List<X509Certificate> chain, TlsaRecord record, ReferenceIdentifiers ids) {
        assertThat(VERIFIER.verify(chain, List.of(record), ids)).isEqualTo(new DaneResult.Authenticated(record));
    }

    static Stream<Arguments> refusals() throws Exception {
        return Stream.of(
                Arguments.of(
                        "RFC 7672 §3.2: 3 1 1 of another key on a PKIX-valid chain is tlsa-invalid",
                        caIssued,
                        tlsa(3, 1, 1, selfSigned.get(0)),
                        MX,
                        DaneFailure.NO_MATCH,
                        "does not match"),
                Arguments.of(
                        "RFC 7672 §3.1.1: 3 1 1 on the CA does not match the leaf",
                        caIssued,
                        tlsa(3, 1, 1, ca.certificate()),
                        MX,
                        DaneFailure.NO_MATCH,
                        "does not match"),
                Arguments.of(
                        "RFC 7672 §3.2.2: 2 1 1 on the CA with a leaf for another name",
                        wrongName,
                        tlsa(2, 1, 1, ca.certificate()),
                        MX,
                        DaneFailure.NAME_MISMATCH,
                        "other.example.net"),
                Arguments.of(
                        "RFC 7672 §3.2.3: wildcard *.example.com does not match a.mx.example.com",
                        wildcard,
                        tlsa(2, 1, 1, ca.certificate()),
                        ReferenceIdentifiers.of("a.mx.example.com"),
                        DaneFailure.NAME_MISMATCH,
                        "*.example.com"),
                Arguments.of(
                        "RFC 7672 §3.2.3: a DNS-ID present, so the matching CN-ID is not considered",
                        otherDnsIdSameCommonName,
                        tlsa(2, 1, 1, ca.certificate()),
                        MX,
                        DaneFailure.NAME_MISMATCH,
                        "other.example.net"),
                Arguments.of(
                        "RFC 7672 §3.1.2: 2 1 1 on the CA with an expired leaf below it",
                        expiredCaIssued,
                        tlsa(2, 1, 1, ca.certificate()),
                        MX,
                        DaneFailure.CHAIN_EXPIRED,
                        "does not verify"),
                Arguments.of(
                        "RFC 7672 §3.1.2: 2 1 1 on a CA that did not sign the leaf",
                        issuedByAnotherCa,
                        tlsa(2, 1, 1, ca.certificate()),
                        MX,
                        DaneFailure.CHAIN_INVALID,
                        "does not verify"),
                Arguments.of(
                        "RFC 7672 §3.1.2: 2 0 1 matching no certificate in the chain",
                        caIssued,
                        tlsa(2, 0, 1, selfSigned.get(0)),
                        MX,
                        DaneFailure.NO_MATCH,
                        "matches no certificate"),
                Arguments.of(
                        "RFC 7672 §3.1.3: a PKIX-EE record never authenticates",
                        selfSigned,
                        tlsa(1, 1, 1, selfSigned.get(0)),
                        MX,
                        DaneFailure.NO_MATCH,
                        "unusable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(
            String rule,
            List<X509Certificate> chain,
            TlsaRecord record,
            ReferenceIdentifiers ids,
            DaneFailure failure,
            String detail) {
        DaneResult result = VERIFIER.verify(chain, List.of(record), ids);

        assertThat(result).isInstanceOfSatisfying(DaneResult.Refused.class, refused -> {
            assertThat(refused.failure()).isEqualTo(failure);
            assertThat(refused.detail()).startsWith(record.presentation()).contains(detail);
        });
    }

    @Test
    @DisplayName("RFC 7672 §3.2: any matching record authenticates, and the result names it")
    void anyRecordAuthenticates() throws Exception {
        TlsaRecord miss = tlsa(3, 1, 1, otherNameSelfSigned.get(0));
        TlsaRecord hit = tlsa(2, 1, 1, ca.certificate());

        assertThat(VERIFIER.verify(caIssued, List.of(miss, hit), MX)).isEqualTo(new DaneResult.Authenticated(hit));
    }

    @Test
    @DisplayName("RFC 8460 §4.3.2.1: when none matches, the closest miss decides the result type")
    void closestMissDecides() throws Exception {
        TlsaRecord miss = tlsa(3, 1, 1, selfSigned.get(0));
        TlsaRecord wrongNameHit = tlsa(2, 1, 1, ca.certificate());

        DaneResult result = VERIFIER.verify(wrongName, List.of(miss, wrongNameHit), MX);

        assertThat(result).isInstanceOfSatisfying(DaneResult.Refused.class, refused -> {
            assertThat(refused.failure().resultType()).isEqualTo("certificate-host-mismatch");
            assertThat(refused.detail()).contains(miss.presentation(), wrongNameHit.presentation());
        });
    }

    @Test
    @DisplayName("RFC 7672 §3.2: no certificate presented is refused")
    void noCertificate() throws Exception {
        assertThat(VERIFIER.verify(List.of(), List.of(tlsa(3, 1, 1, selfSigned.get(0))), MX))
                .isEqualTo(new DaneResult.Refused(DaneFailure.NO_CERTIFICATE, "the server presented no certificate"));
    }
}
