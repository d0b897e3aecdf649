package org.stsrelay.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.MxPattern;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.dns.MxRecord;

class PlannerTest {

    private static final Instant NOW = Instant.parse("2026-12-04T19:00:00Z");
    private static final PlanRequest.OwnerSite SITE = new PlanRequest.OwnerSite(Path.of("/srv/owner-site"), false);
    private static final List<MxRecord> MX =
            List.of(new MxRecord(10, "mx1.example.com"), new MxRecord(20, "mx2.example.com"));
    private static final CurrentState NOTHING =
            new CurrentState(MX, Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());

    private static PlanRequest request(Mode mode, List<String> mx, Long maxAge, List<String> rua) {
        return new PlanRequest(
                "example.com",
                Optional.ofNullable(mode),
                mx.stream().map(p -> MxPattern.parse(p).orElseThrow()).toList(),
                Optional.ofNullable(maxAge),
                rua.stream().map(URI::create).toList(),
                SITE);
    }

    private static Plan planned(PlanRequest request, CurrentState state) {
        Planner.Decision decision = Planner.plan(request, state, NOW);
        assertThat(decision).isInstanceOf(Planner.Decision.Planned.class);
        return ((Planner.Decision.Planned) decision).plan();
    }

    private static PolicyDocument served(String text) {
        return ((ParseResult.Valid) PolicyParser.parse(text)).document();
    }

    static Stream<Arguments> inputs() {
        List<Arguments> all = new ArrayList<>();
        List<List<String>> patterns = List.of(
                List.of(),
                List.of("mx1.example.com"),
                List.of("*.example.com"),
                List.of("mx1.example.com", "*.mail.example.net", "backup.example.org"),
                List.of("MX1.Example.COM.", "bücher.example"));
        List<Long> maxAges = new ArrayList<>(List.of(1L, 86_400L, 1_209_600L, 31_557_600L));
        maxAges.add(null);
        List<List<String>> ruas = List.of(
                List.of(),
                List.of("mailto:tlsrpt@example.com"),
                List.of("https://mta-sts.example.com/tlsrpt"),
                List.of("mailto:a@example.com", "https://reports.example.net/v1/tlsrpt?x=1", "mailto:b@example.org"));
        List<Mode> modes = new ArrayList<>(List.of(Mode.values()));
        modes.add(null);
        for (Mode mode : modes) {
            for (List<String> mx : patterns) {
                for (Long maxAge : maxAges) {
                    for (List<String> rua : ruas) {
                        all.add(Arguments.of(mode, mx, maxAge, rua));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "mode {0}, mx {1}, max_age {2}, rua {3}")
    @MethodSource("inputs")
    @DisplayName("RFC 8461 §3.1, §3.2, RFC 8460 §3: every generated record and policy reads back with no notes")
    void everyPlanReadsBackThroughTheRelaysOwnParsers(Mode mode, List<String> mx, Long maxAge, List<String> rua) {
        Plan plan = planned(request(mode, mx, maxAge, rua), NOTHING);
        assertThat(PlanSelfCheck.failure(plan)).isEmpty();
        assertThat(plan.policyText()).startsWith("version: STSv1\r\n").endsWith("\r\n");
        assertThat(plan.policyText().replace("\r\n", "")).doesNotContain("\n", "\r");
    }

    @Test
    @DisplayName("RFC 8461 §3.2: a domain with no MTA-STS yet gets testing, its MX hosts, one day, a fresh id")
    void aFirstPlanIsTestingWithTheMxHostsAndAFreshId() {
        Plan plan = planned(request(null, List.of(), null, List.of()), NOTHING);
        assertThat(plan.mode()).isEqualTo(Mode.TESTING);
        assertThat(plan.mx()).extracting(MxPattern::pattern).containsExactly("mx1.example.com", "mx2.example.com");
        assertThat(plan.maxAgeSeconds()).isEqualTo(86_400);
        assertThat(plan.id()).isEqualTo("20261204190000");
        assertThat(plan.idKept()).isFalse();
        assertThat(plan.policyText())
                .isEqualTo("version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\n"
                        + "max_age: 86400\r\n");
        assertThat(plan.tlsRpt().zoneLine())
                .isEqualTo("_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\"");
        assertThat(plan.mtaSts().zoneLine()).isEqualTo("_mta-sts.example.com. IN TXT \"v=STSv1; id=20261204190000\"");
        assertThat(plan.ownerSiteFile()).isEqualTo(Path.of("/srv/owner-site/example.com/mta-sts.txt"));
        assertThat(plan.notes()).anyMatch(note -> note.startsWith("rua is mailto:tlsrpt@example.com: make sure"));
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §3.1: the id is kept while the served policy is unchanged, line endings aside")
    void theIdIsKeptForAnUnchangedPolicy() {
        PolicyDocument current =
                served("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.example.com\nmax_age: 604800\n");
        CurrentState state = new CurrentState(
                MX,
                Optional.of("20260101"),
                Optional.empty(),
                Optional.of(current),
                List.of(URI.create("mailto:r@example.com")),
                List.of());
        Plan plan = planned(request(Mode.ENFORCE, List.of(), null, List.of()), state);
        assertThat(plan.id()).isEqualTo("20260101");
        assertThat(plan.idKept()).isTrue();
        assertThat(plan.maxAgeSeconds()).isEqualTo(604_800);
        assertThat(plan.mx()).extracting(MxPattern::pattern).containsExactly("mx1.example.com", "*.example.com");
        assertThat(plan.rua()).containsExactly(URI.create("mailto:r@example.com"));
        assertThat(plan.warnings()).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §3.1: a new mode or new mx patterns need a new id")
    void aChangedPolicyGetsANewId() {
        PolicyDocument current = served("version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 86400\n");
        CurrentState state = new CurrentState(
                MX, Optional.of("20261204190000"), Optional.empty(), Optional.of(current), List.of(), List.of());
        Plan enforce = planned(request(Mode.ENFORCE, List.of("mx1.example.com"), null, List.of()), state);
        Plan moreMx = planned(request(null, List.of("*.example.com"), null, List.of()), state);
        // The stamp equals the id published now (two plans in one second): it still changes.
        assertThat(enforce.id()).isEqualTo("202612041900001");
        assertThat(moreMx.id()).isEqualTo("202612041900001");
        assertThat(List.of(enforce, moreMx)).noneMatch(Plan::idKept);
        assertThat(planned(request(null, List.of(), null, List.of()), state).idKept())
                .as("same mode, mx and max_age")
                .isTrue();
    }

    @Test
    @DisplayName("RFC 8461 §4.1: mx patterns that miss an MX host are a warning")
    void patternsThatMissAnMxHostAreAWarning() {
        Plan plan = planned(request(Mode.ENFORCE, List.of("mx1.example.com"), null, List.of()), NOTHING);
        assertThat(plan.warnings())
                .containsExactly("MX host mx2.example.com (preference 20) matches no mx pattern: senders applying "
                        + "the policy will not deliver there (RFC 8461 §4.1); add it with --mx");
        Plan wildcard = planned(request(Mode.ENFORCE, List.of("*.example.com"), null, List.of()), NOTHING);
        assertThat(wildcard.warnings()).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §3.2: enforce starts at one day with the advice to raise max_age to weeks")
    void enforceAdvisesRaisingMaxAge() {
        Plan plan = planned(request(Mode.ENFORCE, List.of(), null, List.of()), NOTHING);
        assertThat(plan.maxAgeSeconds()).isEqualTo(86_400);
        assertThat(plan.notes()).anyMatch(note -> note.startsWith("once enforce is stable, raise max_age to weeks"));
        assertThat(plan.notes()).anyMatch(note -> note.startsWith("enforce without a testing policy served now"));
        Plan small = planned(request(Mode.TESTING, List.of(), 3_600L, List.of()), NOTHING);
        assertThat(small.warnings()).anyMatch(warning -> warning.startsWith("max_age 3600 is under a day"));
    }

    @Test
    @DisplayName("RFC 8461 §8.3: mode none says how long to keep the old policy's withdrawal published")
    void modeNoneExplainsTheWithdrawal() {
        PolicyDocument current = served("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 1209600\n");
        CurrentState state =
                new CurrentState(MX, Optional.of("1"), Optional.empty(), Optional.of(current), List.of(), List.of());
        Plan plan = planned(request(Mode.NONE, List.of(), null, List.of()), state);
        assertThat(plan.notes())
                .anyMatch(note -> note.startsWith("mode none withdraws MTA-STS safely (RFC 8461 §8.3)")
                        && note.contains("(1209600 s)"));
        assertThat(plan.steps()).anyMatch(step -> step.contains("at least 1209600 seconds"));
        assertThat(plan.idKept()).isFalse();
    }

    @Test
    @DisplayName("RFC 8461 §3.2: without MX hosts, a policy or --mx there is nothing to name: refused, naming --mx")
    void noPatternsAtAllIsRefused() {
        CurrentState none =
                new CurrentState(List.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());
        Planner.Decision decision = Planner.plan(request(null, List.of(), null, List.of()), none, NOW);
        assertThat(decision)
                .isInstanceOfSatisfying(
                        Planner.Decision.Refused.class,
                        refused ->
                                assertThat(refused.message()).startsWith("--mx: example.com has no MX host to name"));
        assertThat(Planner.plan(request(Mode.NONE, List.of(), null, List.of()), none, NOW))
                .isInstanceOf(Planner.Decision.Planned.class);
    }

    @Test
    @DisplayName("RFC 1035 §3.3.14, RFC 8460 §3: a record longer than 255 octets is split into strings")
    void longRecordsAreSplitIntoStrings() {
        List<String> rua = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            rua.add("mailto:tlsrpt-reports-" + i + "@example.com");
        }
        Plan plan = planned(request(null, List.of(), null, rua), NOTHING);
        String line = plan.tlsRpt().zoneLine();
        assertThat(line).contains("\" \"");
        String joined = line.substring(line.indexOf('"') + 1, line.length() - 1).replace("\" \"", "");
        assertThat(joined).isEqualTo(plan.tlsRpt().value());
        assertThat(PlanSelfCheck.failure(plan)).isEmpty();
    }

    @Test
    @DisplayName("RFC 8461 §8.2: a CNAME at _mta-sts delegates the id to a provider, and the plan says so")
    void aDelegatedRecordIsAWarning() {
        CurrentState state = new CurrentState(
                MX, Optional.of("7"), Optional.of("_mta-sts.provider.example"), Optional.empty(), List.of(), List.of());
        Plan plan = planned(request(null, List.of(), null, List.of()), state);
        assertThat(plan.warnings())
                .anyMatch(warning -> warning.startsWith(
                        "_mta-sts.example.com is a CNAME to _mta-sts.provider.example: the policy is delegated"));
    }
}
