package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.dane.TlsaRecord;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.dns.DnssecMode;
import org.stsrelay.policy.dns.DnssecStatus;
import org.stsrelay.policy.dns.MxRecord;
import org.stsrelay.policy.dns.Secured;
import org.stsrelay.policy.dns.Security;
import org.stsrelay.policy.dns.TlsaRecordData;

/** The DNS-side DANE items of {@code check}, one table row per DNSSEC outcome, without a network. */
class CheckDaneItemsTest {

    private static final String HOST = "mx1.x.test";
    private static final DnssecStatus VALIDATING = new DnssecStatus(DnssecMode.VALIDATE, true, "validated");
    private static final Secured<MxRecord> SECURE_MX = new Secured<>(
            new DnsResult.Records<>(List.of(new MxRecord(10, HOST)), "x.test"), Security.SECURE, "validated");
    private static final Secured<InetAddress> SECURE_ADDRESS = addresses(Security.SECURE);
    private static final byte[] DIGEST = HexFormat.of().parseHex("00".repeat(32));

    private static Secured<InetAddress> addresses(Security security) {
        return new Secured<>(
                new DnsResult.Records<>(List.of(InetAddress.getLoopbackAddress()), HOST), security, "test");
    }

    private static Secured<TlsaRecordData> tlsa(Security security, TlsaRecordData... records) {
        DnsResult<TlsaRecordData> answer = records.length == 0
                ? new DnsResult.NxDomain<>("_25._tcp." + HOST)
                : new DnsResult.Records<>(List.of(records), "_25._tcp." + HOST);
        return new Secured<>(answer, security, "test");
    }

    private static TlsaRecordData record(int usage, int selector, int matchingType) {
        return new TlsaRecordData(usage, selector, matchingType, DIGEST);
    }

    private static CheckDaneFindings host(Secured<InetAddress> addresses, Optional<Secured<TlsaRecordData>> tlsa) {
        return new CheckDaneFindings(
                VALIDATING, SECURE_MX, List.of(new CheckDaneFindings.Host(HOST, addresses, tlsa, HOST)));
    }

    private static CheckDaneFindings withTlsa(Security security, TlsaRecordData... records) {
        return host(SECURE_ADDRESS, Optional.of(tlsa(security, records)));
    }

    static Stream<Arguments> findings() {
        Secured<MxRecord> noMx = new Secured<>(new DnsResult.Failure<>("SERVFAIL"), Security.BOGUS, "bad RRSIG");
        return Stream.of(
                Arguments.of(
                        "RFC 7672 §2.1.1: DNSSEC unavailable at the checker is a WARN and ends the DANE part",
                        new CheckDaneFindings(
                                new DnssecStatus(DnssecMode.VALIDATE, false, "DNSKEY is INSECURE"),
                                SECURE_MX,
                                List.of()),
                        List.of("[WARN] DNSSEC unavailable at this checker (DNSKEY is INSECURE): the DANE part could "
                                + "not be checked")),
                Arguments.of(
                        "dns.dnssec off is a fact about the checker, INFO",
                        new CheckDaneFindings(new DnssecStatus(DnssecMode.OFF, false, "off"), SECURE_MX, List.of()),
                        List.of("[INFO] DNSSEC is off here (dns.dnssec: off): the DANE part is not checked")),
                Arguments.of(
                        "RFC 7672 §2.1.2: a bogus MX RRset is a FAIL",
                        new CheckDaneFindings(VALIDATING, noMx, List.of()),
                        List.of(
                                "[ OK ] DNSSEC",
                                "[FAIL] MX RRset bogus (bad RRSIG): a DANE sender will not deliver "
                                        + "to this domain (RFC 7672 §2.1.2)")),
                Arguments.of(
                        "RFC 7672 §2.1.2: an indeterminate MX RRset could not be checked",
                        new CheckDaneFindings(
                                VALIDATING,
                                new Secured<>(SECURE_MX.answer(), Security.INDETERMINATE, "timeout"),
                                List.of()),
                        List.of(
                                "[ OK ] DNSSEC",
                                "[ ?? ] MX RRset indeterminate (timeout): a DANE sender treats it as "
                                        + "a lookup error")),
                Arguments.of(
                        "RFC 7672 §2.1.2: bogus address records are a FAIL for the host",
                        host(addresses(Security.BOGUS), Optional.empty()),
                        List.of(
                                "[ OK ] DNSSEC",
                                "[ OK ] MX RRset secure",
                                "[FAIL] mx1.x.test: address records bogus "
                                        + "(test): a DANE sender will not deliver to this host")),
                Arguments.of(
                        "RFC 7672 §2.2.2: insecure address records: no TLSA lookup, DANE does not apply",
                        host(addresses(Security.INSECURE), Optional.empty()),
                        List.of(
                                "[ OK ] DNSSEC",
                                "[ OK ] MX RRset secure",
                                "[INFO] mx1.x.test: address records " + "insecure: DANE does not apply to this host")),
                Arguments.of(
                        "RFC 7672 §2.1.2: an indeterminate TLSA answer could not be checked",
                        withTlsa(Security.INDETERMINATE),
                        List.of(
                                "[ OK ] DNSSEC",
                                "[ OK ] MX RRset secure",
                                "[ OK ] mx1.x.test: address records secure",
                                "[ ?? ] mx1.x.test: TLSA indeterminate (test)")),
                Arguments.of(
                        "RFC 7672 §2.2: a secure NXDOMAIN at the TLSA name is a secure denial",
                        withTlsa(Security.SECURE),
                        List.of(
                                "[ OK ] DNSSEC",
                                "[ OK ] MX RRset secure",
                                "[ OK ] mx1.x.test: address records secure",
                                "[INFO] mx1.x.test: secure denial: no TLSA at _25._tcp.mx1.x.test")),
                Arguments.of(
                        "RFC 7672 §2.2, §3.1.3: records but none usable: TLS without authentication, WARN",
                        withTlsa(Security.SECURE, record(3, 1, 9), record(0, 1, 1)),
                        List.of(
                                "[ OK ] DNSSEC",
                                "[ OK ] MX RRset secure",
                                "[ OK ] mx1.x.test: address records secure",
                                "[WARN] mx1.x.test: TLSA secure but no usable record (RFC 7672 §3.1.3): senders "
                                        + "require TLS but do not authenticate the server")),
                Arguments.of(
                        "RFC 7671 §8: a lone 2 1 1 record gives no warning from DNS alone",
                        withTlsa(Security.SECURE, record(2, 1, 1)),
                        List.of(
                                "[ OK ] DNSSEC",
                                "[ OK ] MX RRset secure",
                                "[ OK ] mx1.x.test: address records secure",
                                "[ OK ] mx1.x.test: TLSA secure: DANE applies to mx1.x.test")),
                Arguments.of(
                        "RFC 7671 §8, RFC 7672 §3.1.1: a lone 3 0 1 record is two rollover warnings",
                        withTlsa(Security.SECURE, record(3, 0, 1)),
                        List.of(
                                "[ OK ] DNSSEC",
                                "[ OK ] MX RRset secure",
                                "[ OK ] mx1.x.test: address records secure",
                                "[ OK ] mx1.x.test: TLSA secure",
                                "[WARN] mx1.x.test: a single DANE-EE(3) record",
                                "[WARN] mx1.x.test: \"3 0 1\" matches the whole certificate")),
                Arguments.of(
                        "RFC 7671 §8: 3 1 1 for the current and the next key gives no warning",
                        withTlsa(
                                Security.SECURE,
                                record(3, 1, 1),
                                new TlsaRecordData(3, 1, 1, HexFormat.of().parseHex("11".repeat(32)))),
                        List.of(
                                "[ OK ] DNSSEC",
                                "[ OK ] MX RRset secure",
                                "[ OK ] mx1.x.test: address records secure",
                                "[ OK ] mx1.x.test: TLSA secure")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("findings")
    void daneItems(String name, CheckDaneFindings findings, List<String> lines) {
        List<CheckItem> items = CheckDaneItems.of(findings);
        assertThat(items)
                .extracting(item -> item.verdict().label() + " " + item.summary())
                .hasSize(lines.size())
                .zipSatisfy(lines, (line, start) -> assertThat(line).startsWith(start));
    }

    static Stream<Arguments> probeMatches() {
        TlsaRecord ee = TlsaRecord.of(3, 1, 1, DIGEST);
        TlsaRecord next = TlsaRecord.of(3, 1, 1, HexFormat.of().parseHex("11".repeat(32)));
        TlsaRecord ta = TlsaRecord.of(2, 1, 1, DIGEST);
        return Stream.of(
                Arguments.of(
                        "RFC 7671 §8: a sole 2 1 1 that matched means no next key is published",
                        List.of(ta),
                        List.of(ta),
                        List.of("[WARN] mx1.x.test: the presented chain matches the only usable record")),
                Arguments.of(
                        "RFC 7671 §8: a sole 3 1 1 is already warned about from DNS",
                        List.of(ee),
                        List.of(ee),
                        List.of()),
                Arguments.of(
                        "RFC 7671 §8: current and next: the unmatched one is listed",
                        List.of(ee, next),
                        List.of(ee),
                        List.of("[INFO] mx1.x.test: 1 usable record(s) do not match the presented chain")),
                Arguments.of(
                        "RFC 7672 §3.2: nothing matched: the match item fails, no rollover items",
                        List.of(ee),
                        List.of(),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probeMatches")
    void rolloverAfterProbe(String name, List<TlsaRecord> usable, List<TlsaRecord> matched, List<String> lines) {
        assertThat(CheckDaneRollover.afterProbe(HOST, usable, matched))
                .extracting(item -> item.verdict().label() + " " + item.summary())
                .hasSize(lines.size())
                .zipSatisfy(lines, (line, start) -> assertThat(line).startsWith(start));
    }
}
