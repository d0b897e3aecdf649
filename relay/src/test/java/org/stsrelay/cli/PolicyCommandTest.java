package org.stsrelay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.cache.PolicyStore;
import org.stsrelay.policy.cache.StoredPolicy;
import picocli.CommandLine;

class PolicyCommandTest {

    @TempDir
    static Path worldDir;

    private static PolicyWorld world;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void buildWorld() throws Exception {
        world = new PolicyWorld(worldDir);
    }

    @AfterAll
    static void tearDown() throws Exception {
        world.close();
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path config() throws Exception {
        return Files.writeString(
                dir.resolve("relay.yaml"),
                "spool:\n  directory: " + dir.resolve("spool") + "\nmta-sts:\n  store-directory: "
                        + dir.resolve("policies") + "\n");
    }

    private void store(String domain, String id, String text) throws Exception {
        Instant validated = Instant.now().minusSeconds(60);
        PolicyStore.files(dir.resolve("policies"))
                .save(new StoredPolicy(
                        new Policy(domain, id, ((ParseResult.Valid) PolicyParser.parse(text)).document(), validated),
                        validated));
    }

    @Test
    void showWithoutAStoredPolicySaysSoAndExitsOne() throws Exception {
        assertThat(run("policy", "show", "Example.COM.", "--config", config().toString()))
                .isEqualTo(1);
        assertThat(out.toString()).isEqualTo("no stored policy for example.com" + System.lineSeparator());
        assertThat(Files.exists(dir.resolve("policies")))
                .as("show creates nothing")
                .isFalse();
    }

    @Test
    void showPrintsEveryFieldAndTheRawText() throws Exception {
        store(
                "example.com",
                "abc123",
                "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.example.net\n" + "max_age: 604800\n");
        assertThat(run("policy", "show", "example.com", "--config", config().toString()))
                .isZero();
        assertThat(out.toString())
                .contains(
                        "example.com: stored MTA-STS policy",
                        "  mode          enforce",
                        "  id            abc123",
                        "  max_age       604800 s (7 d)",
                        "  mx            mx1.example.com, *.example.net",
                        "  fetched at    ",
                        "  validated at  ",
                        "(in force)",
                        "  policy text",
                        "    mx: *.example.net");
    }

    @Test
    void showJson() throws Exception {
        store("example.com", "abc123", "version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 86400\n");
        assertThat(run("policy", "show", "example.com", "--json", "--config", config().toString()))
                .isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("policy").get("mode").asText()).isEqualTo("testing");
        assertThat(root.get("policy").get("mx").get(0).asText()).isEqualTo("mx1.example.com");
        assertThat(root.get("policy").get("in_force").asBoolean()).isTrue();
    }

    @Test
    void purgeRemovesTheStoredPolicyAndLeavesARequestForARunningRelay() throws Exception {
        store("example.com", "abc123", "version: STSv1\nmode: none\nmax_age: 86400\n");
        assertThat(run("policy", "purge", "example.com", "--config", config().toString()))
                .isZero();
        assertThat(out.toString())
                .contains("example.com: stored policy removed", "no relay is running: applied when it next starts");
        assertThat(PolicyStore.files(dir.resolve("policies")).load("example.com"))
                .isEmpty();
        assertThat(dir.resolve("spool/control/policy-purge_example.com.request"))
                .hasContent("policy-purge example.com");
        out.getBuffer().setLength(0);
        assertThat(run("policy", "purge", "example.com", "--config", config().toString()))
                .isEqualTo(1);
        assertThat(out.toString()).contains("no stored policy for example.com");
    }

    @Test
    void refreshFetchesAndStoresAValidPolicy() throws Exception {
        Path cfg = world.config("refresh", world.policyHost.port());
        assertThat(run("policy", "refresh", "good.test", "--config", cfg.toString()))
                .isZero();
        assertThat(out.toString())
                .contains(
                        "good.test: _mta-sts TXT record found, id 20260101",
                        "good.test: fetched https://mta-sts.good.test:" + world.policyHost.port()
                                + "/.well-known/mta-sts.txt: HTTP 200",
                        "good.test: stored the new policy: mode enforce, id 20260101, max_age 604800 s");
        assertThat(PolicyStore.files(worldDir.resolve("policies"))
                        .load("good.test")
                        .orElseThrow()
                        .policy()
                        .id())
                .isEqualTo("20260101");
        assertThat(worldDir.resolve("spool/control/policy-refresh_good.test.request"))
                .hasContent("policy-refresh good.test");
    }

    @Test
    @DisplayName("RFC 8461 §10.2: a failed refresh keeps the stored policy in force")
    void failedRefreshKeepsTheStoredPolicy() throws Exception {
        Path cfg = world.config("refresh-rogue", world.rogueHost.port());
        String text = "version: STSv1\nmode: enforce\nmx: mx9.good.test\nmax_age: 604800\n";
        PolicyStore store = PolicyStore.files(worldDir.resolve("policies"));
        Instant validated = Instant.now().minusSeconds(60);
        store.save(new StoredPolicy(
                new Policy("good.test", "old1", ((ParseResult.Valid) PolicyParser.parse(text)).document(), validated),
                validated));

        assertThat(run("policy", "refresh", "good.test", "--config", cfg.toString()))
                .isEqualTo(1);

        assertThat(out.toString())
                .contains(
                        "(sts-webpki-invalid)",
                        "good.test: the stored policy stays in force (mode enforce, id old1) until");
        assertThat(store.load("good.test").orElseThrow().policy().id()).isEqualTo("old1");
    }

    @Test
    void notADomainIsAUsageError() throws Exception {
        assertThat(run("policy", "show", "../etc/passwd", "--config", config().toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("\"../etc/passwd\" is not a domain name");
    }
}
