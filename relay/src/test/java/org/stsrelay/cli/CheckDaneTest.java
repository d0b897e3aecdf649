package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code check}'s DANE items against a signed DNS world and a STARTTLS MX with a self-signed certificate. */
class CheckDaneTest {

    @TempDir
    static Path dir;

    private static DaneWorld world;
    private static Path config;

    private final StringWriter out = new StringWriter();

    @BeforeAll
    static void buildWorld() throws Exception {
        world = new DaneWorld(dir);
        config = world.config();
    }

    @AfterAll
    static void tearDown() throws Exception {
        world.close();
    }

    private String check(String domain, String... options) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        List<String> args = new ArrayList<>(
                List.of("check", "--config", config.toString(), domain, "--mx-port", String.valueOf(world.mxPort())));
        args.addAll(List.of(options));
        cl.execute(args.toArray(String[]::new));
        return out.toString();
    }

    @Test
    @DisplayName("RFC 7672 §3.1.1, §3.2: a 3 1 1 record matching a self-signed certificate authenticates it, and "
            + "the PKIX part says MTA-STS alone would refuse it")
    void matchingDaneEeOnSelfSignedCertificateIsOk() {
        String text = check("match.dane.example", "--probe-mx");
        assertThat(text)
                .contains(
                        "[ OK ] DNSSEC: the resolvers deliver validatable DNSSEC data",
                        "[ OK ] MX RRset secure: DANE applies to the MX hosts that publish TLSA records (RFC 7672 §2.2.1)",
                        "[ OK ] mx-match.dane.example: address records secure",
                        "[ OK ] mx-match.dane.example: TLSA secure: DANE applies to mx-match.dane.example: senders require "
                                + "TLS authenticated by one of its 1 usable record(s)",
                        world.served.presentation() + " (usable)",
                        "[ OK ] mx-match.dane.example: DANE authenticated: the presented chain matches \""
                                + world.served.presentation() + "\" (RFC 7672 §3.2)",
                        "sni: mx-match.dane.example",
                        "the certificate does not validate under PKIX",
                        "senders applying MTA-STS alone would refuse it (RFC 8461 §4.2)");
        assertThat(text).doesNotContain("[FAIL] mx-match", "[ ?? ]");
    }

    @Test
    @DisplayName("RFC 7672 §3.2: a 3 1 1 record of another key is a FAIL naming the closest miss")
    void mismatchingDaneEeFails() {
        String text = check("mismatch.dane.example", "--probe-mx");
        assertThat(text)
                .contains(
                        "[FAIL] mx-mismatch.dane.example: DANE fails: no usable TLSA record matches the "
                                + "presented chain, the closest miss is tlsa-invalid: a DANE sender will not deliver to this host",
                        "result type: tlsa-invalid",
                        world.otherKey.presentation() + ": does not match the server certificate");
    }

    @Test
    @DisplayName("RFC 7672 §2.1.2: a bogus TLSA answer is a FAIL: a DANE sender will not deliver to the host")
    void bogusTlsaFails() {
        String text = check("bogus.dane.example");
        assertThat(text)
                .contains(
                        "[FAIL] mx-bogus.dane.example: TLSA bogus (",
                        "a DANE sender will not deliver to this host (RFC 7672 §2.1.2)",
                        "dnssec: bogus");
    }

    @Test
    @DisplayName("RFC 7672 §2.2.1: an insecure MX RRset means DANE does not apply to the domain")
    void insecureMxMeansNoDane() {
        String text = check("plain.example");
        assertThat(text)
                .contains(
                        "[INFO] MX RRset insecure: DANE does not apply to this domain (RFC 7672 §2.2.1)",
                        "dnssec: insecure");
        assertThat(text).doesNotContain(": TLSA", ": address records");
    }

    @Test
    @DisplayName("RFC 7672 §3.1.3, §2.2: a PKIX-EE-only RRset is a WARN: unusable for SMTP, TLS unauthenticated")
    void pkixOnlyRrsetWarns() {
        String text = check("pkix.dane.example", "--probe-mx");
        assertThat(text)
                .contains(
                        "[WARN] mx-pkix.dane.example: TLSA secure but only PKIX-TA(0)/PKIX-EE(1) records, "
                                + "which SMTP senders treat as unusable (RFC 7672 §3.1.3)",
                        "(unusable: certificate usage 1 (PKIX) is not used for SMTP (RFC 7672 §3.1.3))",
                        "[ OK ] mx-pkix.dane.example: TLS established; the TLSA RRset has no usable record");
    }

    @Test
    @DisplayName("RFC 7671 §8, RFC 7672 §3.1: a single 3 1 1 record is a rollover WARN")
    void singleDaneEeRecordWarnsAboutRollover() {
        String text = check("match.dane.example");
        assertThat(text)
                .contains("[WARN] mx-match.dane.example: a single DANE-EE(3) record: a key or certificate "
                        + "change breaks delivery unless the next key's record is published first; publish \"3 1 1\" records "
                        + "for the current and the next key, or add a \"2 1 1\" record for the issuing CA (RFC 7671 §8, "
                        + "RFC 7672 §3.1)");
    }

    @Test
    @DisplayName("RFC 7671 §8: 3 1 1 beside a 2 1 1 for the next CA gives no rollover warning; the unmatched one "
            + "is listed")
    void currentPlusNextHasNoRolloverWarning() {
        String text = check("rollover.dane.example", "--probe-mx");
        assertThat(text)
                .contains(
                        "[ OK ] mx-rollover.dane.example: DANE authenticated",
                        "[INFO] mx-rollover.dane.example: 1 usable record(s) do not match the presented chain");
        assertThat(text).doesNotContain("a single DANE-EE(3) record", "no next key is published");
    }

    @Test
    @DisplayName("RFC 7671 §8, RFC 7672 §3.1.1: a 3 0 1 record of the whole certificate breaks at every renewal")
    void fullCertificateRecordWarns() {
        String text = check("fullcert.dane.example");
        assertThat(text)
                .contains("[WARN] mx-fullcert.dane.example: \"3 0 1\" matches the whole certificate, so it "
                        + "breaks at every renewal, even with the same key; prefer selector 1");
    }

    @Test
    @DisplayName("RFC 7672 §2.2: an NSEC-proven absence of TLSA is a secure denial: DANE does not apply to the host")
    void secureDenialMeansNoTlsa() {
        String text = check("nodane.dane.example", "--probe-mx");
        assertThat(text)
                .contains("[INFO] mx-nodane.dane.example: secure denial: no TLSA at "
                        + "_25._tcp.mx-nodane.dane.example, so DANE does not apply to this host");
        assertThat(text).doesNotContain("DANE authenticated", "DANE fails", "TLSA records require TLS");
    }

    @Test
    @DisplayName("RFC 7672 §2.2.2, §2.2.3, §8.1: a CNAME'd MX host is followed securely, its TLSA looked up at the "
            + "expanded name first, which is also the SNI name")
    void cnameMxHostUsesTheExpandedTlsaBaseDomain() {
        String text = check("cname.dane.example", "--probe-mx");
        assertThat(text)
                .contains(
                        "[ OK ] mx-cname.dane.example: address records secure",
                        "canonical name: mx-match.dane.example",
                        "tlsa name: _25._tcp.mx-match.dane.example",
                        "[ OK ] mx-cname.dane.example: DANE authenticated: the presented chain matches \""
                                + world.served.presentation() + "\"",
                        "sni: mx-match.dane.example");
    }

    @Test
    @DisplayName("RFC 7672 §2.2.3: a TLSA answer from an unsigned zone is ignored")
    void tlsaInUnsignedZoneIsIgnored() {
        String text = check("unsignedtlsa.dane.example");
        assertThat(text)
                .contains("[INFO] mx-unsignedtlsa.dane.example: TLSA in an unsigned zone: ignored, DANE does "
                        + "not apply to this host (RFC 7672 §2.2.3)");
    }

    @Test
    @DisplayName("RFC 7672 §2.1.1: resolvers that strip DNSSEC data make the DANE part a WARN, never a FAIL")
    void strippedDnssecIsAWarning() {
        world.dns.stripSignatures(true);
        try {
            String text = check("match.dane.example");
            assertThat(text)
                    .contains(
                            "[WARN] DNSSEC unavailable at this checker (",
                            "the DANE part could not be checked; this says nothing about the domain",
                            "status: unavailable");
            assertThat(text).doesNotContain("MX RRset", ": TLSA");
        } finally {
            world.dns.stripSignatures(false);
        }
    }

    @Test
    @DisplayName("RFC 7672 §2.2, §3.2: the JSON output carries the same DANE facts under stable keys")
    void jsonCarriesTheDaneFacts() throws Exception {
        JsonNode root = new ObjectMapper().readTree(check("match.dane.example", "--probe-mx", "--json"));
        List<JsonNode> items = new ArrayList<>();
        root.get("items").forEach(items::add);
        JsonNode dnssec = only(items, "dnssec");
        JsonNode mx = only(items, "dane-mx");
        JsonNode addresses = only(items, "dane-addresses");
        JsonNode tlsa = only(items, "dane-tlsa");
        JsonNode match = only(items, "dane-match");
        assertThat(dnssec.get("verdict").asText()).isEqualTo("OK");
        assertThat(dnssec.get("facts").get("status").asText()).isEqualTo("validating");
        assertThat(dnssec.get("facts").get("mode").asText()).isEqualTo("validate");
        assertThat(mx.get("facts").get("dnssec").asText()).isEqualTo("secure");
        assertThat(addresses.get("facts").get("dnssec").asText()).isEqualTo("secure");
        assertThat(addresses.get("facts").get("canonical_name").asText()).isEqualTo("mx-match.dane.example");
        assertThat(tlsa.get("verdict").asText()).isEqualTo("OK");
        assertThat(tlsa.get("facts").get("tlsa_name").asText()).isEqualTo("_25._tcp.mx-match.dane.example");
        assertThat(tlsa.get("facts").get("records").get(0).asText())
                .isEqualTo(world.served.presentation() + " (usable)");
        assertThat(match.get("verdict").asText()).isEqualTo("OK");
        assertThat(match.get("facts").get("sni").asText()).isEqualTo("mx-match.dane.example");
        assertThat(match.get("facts").get("matched_records").get(0).asText()).isEqualTo(world.served.presentation());
        assertThat(items)
                .filteredOn(item -> item.get("topic").asText().equals("dane-rollover"))
                .extracting(item -> item.get("verdict").asText())
                .containsExactly("WARN");
    }

    private static JsonNode only(List<JsonNode> items, String topic) {
        List<JsonNode> found = items.stream()
                .filter(item -> item.get("topic").asText().equals(topic))
                .toList();
        assertThat(found).as(topic).hasSize(1);
        return found.get(0);
    }
}
