package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.policy.dns.TestDnsServer;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.TXTRecord;
import picocli.CommandLine;

class DomainPlanCommandTest {

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
        // fresh.test has MX hosts and nothing else yet: no _mta-sts, no policy host, no _smtp._tls.
        for (String host : new String[] {"mx1.fresh.test", "mx2.fresh.test"}) {
            int preference = host.startsWith("mx1") ? 10 : 20;
            world.dns.add(new MXRecord(
                    TestDnsServer.name("fresh.test"), DClass.IN, 300, preference, TestDnsServer.name(host)));
            world.dns.add(new ARecord(TestDnsServer.name(host), DClass.IN, 300, InetAddress.getByName("127.0.0.1")));
        }
        delegate();
    }

    private static void delegate() throws Exception {
        // delegated.test hands its _mta-sts record to a provider by CNAME (RFC 8461 §8.2).
        world.dns.add(new MXRecord(
                TestDnsServer.name("delegated.test"), DClass.IN, 300, 10, TestDnsServer.name("mx1.delegated.test")));
        world.dns.add(new ARecord(
                TestDnsServer.name("mx1.delegated.test"), DClass.IN, 300, InetAddress.getByName("127.0.0.1")));
        world.dns.add(new CNAMERecord(
                TestDnsServer.name("_mta-sts.delegated.test"),
                DClass.IN,
                300,
                TestDnsServer.name("_mta-sts.provider.test")));
        world.dns.add(new TXTRecord(TestDnsServer.name("_mta-sts.provider.test"), DClass.IN, 300, "v=STSv1; id=p1"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        world.close();
    }

    private int plan(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 6];
        all[0] = "domain";
        all[1] = "plan";
        all[2] = "--config";
        all[3] = config.toString();
        all[4] = "--mx-port";
        all[5] = String.valueOf(world.mxPort());
        System.arraycopy(args, 0, all, 6, args.length);
        return cl.execute(all);
    }

    private JsonNode planJson(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--json";
        int exit = plan(all);
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("exit_code").asInt()).isEqualTo(exit);
        return root;
    }

    @Test
    @DisplayName("RFC 8461 §3.1, §3.2, RFC 8460 §3: a domain without MTA-STS gets testing, its MX hosts, a fresh id")
    void aDomainWithoutMtaStsGetsATestingPlan() {
        int exit = plan("fresh.test");
        assertThat(out.toString())
                .containsSubsequence(
                        "MTA-STS and TLS-RPT plan for fresh.test: mode testing, max_age 86400, id ",
                        "_smtp._tls.fresh.test. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@fresh.test\"",
                        "version: STSv1",
                        "mode: testing",
                        "mx: mx1.fresh.test",
                        "mx: mx2.fresh.test",
                        "max_age: 86400",
                        "_mta-sts.fresh.test. IN TXT \"v=STSv1; id=",
                        "no policy is served yet (sts-policy-fetch-error)",
                        "mx patterns are the MX host names",
                        "rua is mailto:tlsrpt@fresh.test: make sure that mailbox exists");
        assertThat(out.toString()).contains("(new)").doesNotContain("Warnings:");
        assertThat(exit).isZero();
    }

    @Test
    @DisplayName("RFC 8461 §3.1: the published id is kept while the served policy is unchanged")
    void anUnchangedPolicyKeepsItsId() throws Exception {
        JsonNode root = planJson("good.test", "--mode", "enforce");
        assertThat(root.get("id").asText()).isEqualTo("20260101");
        assertThat(root.get("id_kept").asBoolean()).isTrue();
        assertThat(root.get("max_age").asLong()).isEqualTo(604_800);
        assertThat(root.get("mx"))
                .extracting(JsonNode::asText)
                .containsExactly("mx1.good.test", "mx1.badmx.test", "mx1.wrongname.test");
        assertThat(root.get("rua")).extracting(JsonNode::asText).containsExactly("mailto:tlsrpt@good.test");
        assertThat(root.get("records").get("mta_sts").get("value").asText()).isEqualTo("v=STSv1; id=20260101");
        // mx1.good.test was probed before enforce and its certificate validates.
        assertThat(root.get("warnings")).isEmpty();
        assertThat(root.get("exit_code").asInt()).isZero();
    }

    @Test
    @DisplayName("RFC 8461 §3.1: a new mode or new mx patterns get a new id")
    void aChangedPolicyGetsANewId() throws Exception {
        JsonNode testing = planJson("good.test");
        assertThat(testing.get("mode").asText()).isEqualTo("testing");
        assertThat(testing.get("id_kept").asBoolean()).isFalse();
        assertThat(testing.get("id").asText()).matches("[0-9]{14,15}").isNotEqualTo("20260101");
        out.getBuffer().setLength(0);
        JsonNode fewerMx = planJson("good.test", "--mode", "enforce", "--max-age", "1w", "--mx", "mx1.good.test");
        assertThat(fewerMx.get("id_kept").asBoolean()).isFalse();
        assertThat(fewerMx.get("policy").get("text").asText())
                .isEqualTo("version: STSv1\r\nmode: enforce\r\nmx: mx1.good.test\r\nmax_age: 604800\r\n");
    }

    @Test
    @DisplayName("RFC 8461 §4.2, RFC 6125 §6.4: enforce planned for an MX whose certificate names another host warns")
    void enforceWithAnMxCertificateForAnotherNameWarns() {
        int exit = plan("wrongname.test", "--mode", "enforce");
        assertThat(out.toString())
                .contains(
                        "Warnings:",
                        "MX host mx1.wrongname.test (127.0.0.1 port " + world.mxPort()
                                + "): the certificate does not validate: the certificate is valid for [mx1.good.test], "
                                + "not mx1.wrongname.test: senders applying the enforce policy will not deliver there "
                                + "(RFC 8461 §4.2)");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §4.1: --mx patterns that leave out an existing MX host warn")
    void patternsLeavingOutAnMxHostWarn() {
        int exit = plan("badmx.test", "--mx", "mx1.badmx.test");
        assertThat(out.toString())
                .contains("MX host mx2.elsewhere.test (preference 20) matches no mx pattern: senders will report every "
                        + "delivery there as a failure (RFC 8461 §4.1); add it with --mx");
        assertThat(exit).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §8.3: mode none explains how to withdraw the policy served now")
    void modeNoneExplainsTheWithdrawal() throws Exception {
        JsonNode root = planJson("good.test", "--mode", "none");
        assertThat(root.get("notes"))
                .extracting(JsonNode::asText)
                .anyMatch(note -> note.startsWith("mode none withdraws MTA-STS safely (RFC 8461 §8.3)"));
        assertThat(root.get("steps").get(1).asText()).contains("at least 604800 seconds");
    }

    @Test
    @DisplayName("RFC 8461 §8.2: a CNAME at _mta-sts means the provider publishes the id; the plan warns")
    void aDelegatedRecordWarns() throws Exception {
        JsonNode root = planJson("delegated.test");
        assertThat(root.get("warnings"))
                .extracting(JsonNode::asText)
                .anyMatch(warning -> warning.startsWith(
                        "_mta-sts.delegated.test is a CNAME to _mta-sts.provider.test: the policy is delegated"));
        assertThat(root.get("exit_code").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("RFC 8461 §3.2: with no MX host, no policy and no --mx there is nothing to name: exit 2, naming --mx")
    void aDomainWithNothingToNameAsksForMx() {
        assertThat(plan("nothing.test")).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("sts-relay: --mx: nothing.test has no MX host to name")
                .contains("MX records of nothing.test could not be read: nothing.test does not exist (NXDOMAIN)");
        assertThat(plan("nothing.test", "--mx", "mx.nothing.test", "--json")).isZero();
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(new String[] {"not a domain"}, "sts-relay: DOMAIN: \"not a domain\" is not a domain name"),
                Arguments.of(new String[] {"fresh.test", "--mode", "strict"}, "sts-relay: --mode: \"strict\""),
                Arguments.of(
                        new String[] {"fresh.test", "--mx", "*.*.fresh.test"}, "sts-relay: --mx: \"*.*.fresh.test\""),
                Arguments.of(new String[] {"fresh.test", "--max-age", "2y"}, "sts-relay: --max-age: \"2y\""),
                Arguments.of(new String[] {"fresh.test", "--max-age", "400d"}, "sts-relay: --max-age: \"400d\""),
                Arguments.of(new String[] {"fresh.test", "--rua", "http://r.fresh.test/"}, "sts-relay: --rua: "));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badOptions")
    @DisplayName("a bad option exits 2 with a message naming it, before any lookup")
    void badOptionsExitTwo(String[] args, String message) {
        assertThat(plan(args)).isEqualTo(2);
        assertThat(err.toString()).startsWith(message);
        assertThat(out.toString()).isEmpty();
    }
}
