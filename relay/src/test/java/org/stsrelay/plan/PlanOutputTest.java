package org.stsrelay.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.dns.MxRecord;

class PlanOutputTest {

    private static final Plan PLAN = plan();

    private static Plan plan() {
        PlanRequest request = new PlanRequest(
                "example.com",
                Optional.of(Mode.TESTING),
                List.of(),
                Optional.empty(),
                List.of(),
                new PlanRequest.OwnerSite(Path.of("/srv/site"), true));
        CurrentState state = new CurrentState(
                List.of(new MxRecord(10, "mx1.example.com")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                List.of("no policy is served yet"));
        return ((Planner.Decision.Planned) Planner.plan(request, state, Instant.parse("2026-12-04T19:00:00Z"))).plan();
    }

    @Test
    @DisplayName("RFC 8460 §3, RFC 8461 §3.1-§3.3, §8.1: the text lists the records in publishing order")
    void textListsRecordsInPublishingOrder() {
        StringWriter text = new StringWriter();
        PlanText.print(PLAN, new PrintWriter(text, true));
        String out = text.toString();
        assertThat(out)
                .containsSubsequence(
                        "MTA-STS and TLS-RPT plan for example.com: mode testing, max_age 86400, id 20261204190000 (new)",
                        "1. TLS-RPT record (RFC 8460 §3):",
                        "   _smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\"",
                        "2. Policy file (RFC 8461 §3.2), served at https://mta-sts.example.com/.well-known/mta-sts.txt",
                        "--- mta-sts.txt ---",
                        "version: STSv1",
                        "mode: testing",
                        "mx: mx1.example.com",
                        "max_age: 86400",
                        "--- end ---",
                        "owner site serves it from " + Path.of("/srv/site/example.com/mta-sts.txt"),
                        "3. Policy host (RFC 8461 §3.3): mta-sts.example.com needs an A/AAAA record",
                        "4. MTA-STS record (RFC 8461 §3.1), published only once the policy file is reachable",
                        "   _mta-sts.example.com. IN TXT \"v=STSv1; id=20261204190000\"",
                        "Notes:",
                        "   - no policy is served yet",
                        "Steps:",
                        "   1. Publish the _smtp._tls record first",
                        "   2. Publish the policy file",
                        "   3. Run `sts-relay check example.com` after each step.",
                        "   4. Stay in mode testing for at least two weeks",
                        "`sts-relay received summary --domain example.com`",
                        "   5. Then switch to enforce with a small max_age",
                        "   6. Once enforce is stable, raise max_age to weeks");
        assertThat(out).doesNotContain("Warnings:", "set owner-site.listen");
        // The policy is printed without indentation, so a copy of it parses.
        String copied = out.substring(out.indexOf("--- mta-sts.txt ---\n") + 20, out.indexOf("   --- end ---"));
        assertThat(PolicyParser.parse(copied))
                .isInstanceOfSatisfying(
                        ParseResult.Valid.class,
                        valid -> assertThat(valid.document().notes()).isEmpty());
    }

    @Test
    void jsonCarriesTheSamePlan() throws Exception {
        StringWriter json = new StringWriter();
        PlanJson.print(PLAN, 0, new PrintWriter(json, true));
        JsonNode root = new ObjectMapper().readTree(json.toString());
        assertThat(root.get("domain").asText()).isEqualTo("example.com");
        assertThat(root.get("exit_code").asInt()).isZero();
        assertThat(root.get("mode").asText()).isEqualTo("testing");
        assertThat(root.get("max_age").asLong()).isEqualTo(86_400);
        assertThat(root.get("id").asText()).isEqualTo("20261204190000");
        assertThat(root.get("id_kept").asBoolean()).isFalse();
        assertThat(root.get("records").get("tls_rpt").get("value").asText())
                .isEqualTo("v=TLSRPTv1; rua=mailto:tlsrpt@example.com");
        assertThat(root.get("records").get("mta_sts").get("zone_line").asText())
                .isEqualTo("_mta-sts.example.com. IN TXT \"v=STSv1; id=20261204190000\"");
        assertThat(root.get("policy").get("text").asText()).isEqualTo(PLAN.policyText());
        assertThat(root.get("policy").get("url").asText())
                .isEqualTo("https://mta-sts.example.com/.well-known/mta-sts.txt");
        assertThat(root.get("notes").get(0).asText()).isEqualTo("no policy is served yet");
        assertThat(root.get("warnings")).isEmpty();
        assertThat(root.get("steps")).hasSize(6);
    }
}
