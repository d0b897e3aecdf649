package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.policy.dns.DnsResult;
import picocli.CommandLine;

class CheckCommandTest {

    @TempDir
    static Path dir;

    private static PolicyWorld world;
    private static Path config;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void buildWorld() throws Exception {
        world = new PolicyWorld(dir);
        config = world.config("good", world.policyHost.port());
    }

    @AfterAll
    static void tearDown() throws Exception {
        world.close();
    }

    private int check(Path configFile, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 3];
        all[0] = "check";
        all[1] = "--config";
        all[2] = configFile.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return cl.execute(all);
    }

    @Test
    @DisplayName("RFC 8461 §3.1-§4.2, RFC 8460 §3: a domain set up well passes every item, MX probe included")
    void goodDomainPassesWithExitZero() {
        int exit = check(config, "good.test", "--probe-mx", "--mx-port", String.valueOf(world.mxPort()));
        assertThat(out.toString())
                .contains(
                        "[ OK ] _mta-sts TXT: one valid record, id 20260101",
                        "[ OK ] policy fetched: HTTP 200, text/plain; charset=utf-8, " + PolicyWorld.POLICY.length()
                                + " bytes",
                        "certificate names:",
                        "           mta-sts.good.test",
                        "[ OK ] policy valid: mode enforce, max_age 604800, 3 mx pattern(s)",
                        "[ OK ] mx1.good.test (preference 10) matches the policy's mx pattern mx1.good.test",
                        "[ OK ] TLS-RPT: reports go to mailto:tlsrpt@good.test",
                        "[ OK ] mx1.good.test (127.0.0.1 port " + world.mxPort() + "): STARTTLS, TLSv1.3",
                        "good.test: no problems found");
        assertThat(out.toString()).doesNotContain("[FAIL]", "[WARN]", "[ ?? ]");
        assertThat(exit).isZero();
    }

    @Test
    @DisplayName("RFC 8461 §3.1: no _mta-sts record means no policy: a problem, exit 1")
    void domainWithoutTxtRecordFails() {
        int exit = check(config, "nosts.test");
        assertThat(out.toString())
                .contains(
                        "[FAIL] _mta-sts TXT: missing, so senders see no MTA-STS policy",
                        "[INFO] policy fetch failed (sts-policy-fetch-error)",
                        "[INFO] mx1.nosts.test (preference 10): no valid policy to match it against",
                        "[WARN] TLS-RPT: no v=TLSRPTv1 record at _smtp._tls.nosts.test");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a policy host certificate that does not chain to a trusted CA is sts-webpki-invalid")
    void untrustedPolicyHostCertificateFails() throws Exception {
        int exit = check(world.config("rogue", world.rogueHost.port()), "good.test");
        assertThat(out.toString())
                .contains(
                        "[FAIL] policy fetch failed (sts-webpki-invalid): certificate for "
                                + "mta-sts.good.test (issuer CN=rogue root) does not chain to a trusted CA",
                        "certificate issuer: CN=rogue root");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §4.1: an MX host matching no mx pattern is a problem")
    void mxNotMatchingThePolicyFails() {
        int exit = check(config, "badmx.test");
        assertThat(out.toString())
                .contains(
                        "[ OK ] mx1.badmx.test (preference 10) matches the policy's mx pattern mx1.badmx.test",
                        "[FAIL] mx2.elsewhere.test (preference 20) matches no mx pattern of the policy");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §4.2, RFC 6125 §6.4: an MX certificate for another host name does not validate")
    void probeOfAnMxWithACertificateForAnotherNameFails() {
        int exit = check(config, "wrongname.test", "--probe-mx", "--mx-port", String.valueOf(world.mxPort()));
        assertThat(out.toString())
                .contains(
                        "[FAIL] mx1.wrongname.test (127.0.0.1 port " + world.mxPort()
                                + "): the certificate does not validate: the certificate is valid for [mx1.good.test], not "
                                + "mx1.wrongname.test",
                        "starttls offered: yes",
                        "tls: TLSv1.3");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §3.1, §3.2, RFC 8460 §3: a sloppy but clear domain keeps its protection, and check names "
            + "every flaw: WARN, and FAIL for a max_age other senders discard")
    void sloppyDomainIsReadLenientlyAndEveryFlawIsNamed() throws Exception {
        int exit = check(world.config("sloppy", world.sloppyHost.port()), "sloppy.test");
        assertThat(out.toString())
                .contains(
                        "[ OK ] _mta-sts TXT: one valid record, id a",
                        "[WARN] _mta-sts TXT: \"v=STSv1\" is not a record, because no \";\" follows v=STSv1; senders "
                                + "discard it before counting records",
                        "[WARN] _mta-sts TXT: whitespace between v=STSv1 and \";\": the RFC 8461 §3.1 ABNF allows it",
                        "[WARN] _mta-sts TXT: field id appears more than once: id=a is used and id=b is ignored "
                                + "(RFC 8461 §3.2: the first entry wins); publish it once",
                        "[ OK ] policy valid: mode enforce, max_age 31557600, 1 mx pattern(s)",
                        "[WARN] policy: line 4: mx mx1.sloppy.test. ends with a dot; read as mx1.sloppy.test",
                        "[WARN] policy: the version field is on line 3, not first",
                        "[WARN] policy: 1 blank line(s) before the first field; RFC 8461 §3.2 allows none",
                        "[WARN] policy: whitespace at the end of line(s) 3; some parsers keep it as part of the value",
                        "[FAIL] policy: max_age 99999999 is above 31557600 (one year, RFC 8461 §3.2); clamped to 31557600 "
                                + "here, but other senders discard the policy",
                        "[ OK ] mx1.sloppy.test (preference 10) matches the policy's mx pattern mx1.sloppy.test",
                        "[ OK ] TLS-RPT: reports go to mailto:a@sloppy.test, mailto:b@sloppy.test",
                        "[WARN] TLS-RPT: 2 rua fields: reports go to the URIs of every one",
                        "sloppy.test: 1 problem(s) found");
        assertThat(exit).isEqualTo(1);
    }

    static Stream<Arguments> tlsRptRecords() {
        return Stream.of(
                Arguments.of(
                        "RFC 8460 §3: a clean record",
                        List.of("v=TLSRPTv1; rua=mailto:a@x.test"),
                        List.of("[ OK ] TLS-RPT: reports go to mailto:a@x.test")),
                Arguments.of(
                        "RFC 8460 §3: a bare v=TLSRPTv1 is discarded before counting, and named",
                        List.of("v=TLSRPTv1", "v=TLSRPTv1; rua=mailto:a@x.test"),
                        List.of(
                                "[ OK ] TLS-RPT: reports go to mailto:a@x.test",
                                "[WARN] TLS-RPT: \"v=TLSRPTv1\" is "
                                        + "not a record, because no \";\" follows v=TLSRPTv1")),
                Arguments.of(
                        "RFC 8460 §3: only a bare v=TLSRPTv1 is no record",
                        List.of("v=TLSRPTv1"),
                        List.of(
                                "[WARN] TLS-RPT: no v=TLSRPTv1 record at _smtp._tls.x.test",
                                "[WARN] TLS-RPT: \"v=TLSRPTv1\" is not a record")),
                Arguments.of(
                        "RFC 8460 §3: two rua fields are both used, and warned about",
                        List.of("v=TLSRPTv1; rua=mailto:a@x.test; rua=https://r.x.test/t"),
                        List.of(
                                "[ OK ] TLS-RPT: reports go to mailto:a@x.test, https://r.x.test/t",
                                "[WARN] TLS-RPT: 2 rua fields: reports go to the URIs of every one, but the RFC 8460 "
                                        + "§3 ABNF has one rua with a comma-separated list, and other senders may "
                                        + "use only one field; write rua=mailto:a@x.test,https://r.x.test/t")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tlsRptRecords")
    @DisplayName("RFC 8460 §3: the TLS-RPT items of check, each tolerated flaw on its own line")
    void tlsRptItems(String name, List<String> records, List<String> lines) {
        List<CheckItem> items = CheckTlsRptItem.of("x.test", new DnsResult.Records<>(records, "_smtp._tls.x.test"));
        assertThat(items)
                .extracting(item -> item.verdict().label() + " " + item.summary())
                .hasSize(lines.size())
                .zipSatisfy(lines, (line, start) -> assertThat(line).startsWith(start));
    }

    @Test
    void jsonCarriesTheSameFindings() throws Exception {
        int exit = check(config, "badmx.test", "--json");
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("domain").asText()).isEqualTo("badmx.test");
        assertThat(root.get("exit_code").asInt()).isEqualTo(1).isEqualTo(exit);
        assertThat(root.get("items"))
                .extracting(item -> item.get("topic").asText())
                .containsExactly("mta-sts-txt", "policy-fetch", "policy-syntax", "mx", "mx", "dnssec", "tls-rpt");
        JsonNode fetch = root.get("items").get(1);
        assertThat(fetch.get("verdict").asText()).isEqualTo("OK");
        assertThat(fetch.get("facts").get("http_status").asInt()).isEqualTo(200);
        assertThat(fetch.get("facts").get("certificate_names").get(0).asText()).isEqualTo("mta-sts.good.test");
        assertThat(root.get("items").get(4).get("verdict").asText()).isEqualTo("FAIL");
    }

    @Test
    @DisplayName("exit 2 when DNS cannot be reached: nothing could be checked")
    void unreachableDnsMeansCouldNotCheck() throws Exception {
        Path unreachable = Files.writeString(
                dir.resolve("nodns.yaml"), "dns:\n  servers: [\"127.0.0.1:9\"]\n  timeout: 500ms\n  retries: 0\n");
        int exit = check(unreachable, "good.test");
        assertThat(out.toString()).contains("[ ?? ] _mta-sts TXT: could not be looked up");
        assertThat(exit).isEqualTo(2);
    }

    @Test
    void badArgumentsExitWithTwo() {
        assertThat(check(config, "not a domain")).isEqualTo(2);
        assertThat(err.toString()).contains("\"not a domain\" is not a domain name");
    }
}
