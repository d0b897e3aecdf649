package org.stsrelay.policy.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.ResultType;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.policy.testing.FakeDns;
import org.stsrelay.policy.testing.FakeFetcher;
import org.stsrelay.policy.testing.FakeTime;

class PolicyResolverTest {

    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";

    private final FakeDns dns = new FakeDns();
    private final FakeFetcher fetcher = new FakeFetcher();
    private final PolicyResolver resolver =
            new PolicyResolver(dns, fetcher, new FakeTime(Instant.parse("2026-01-01T00:00:00Z")));

    private Discovery discover(String domain) {
        return resolver.discover(domain).toCompletableFuture().join();
    }

    @Test
    @DisplayName("RFC 8461 §3.1: other TXT records are discarded before counting")
    void discardsNonStsRecords() {
        dns.txt("_mta-sts.example.com", "v=spf1 -all", "v=STSv1; id=abc;", "google-site-verification=x");
        assertThat(discover("example.com")).isInstanceOf(Discovery.Discovered.class);
    }

    static Stream<Arguments> rrsets() {
        return Stream.of(
                Arguments.of("a bare v=STSv1 is not counted", List.of("v=STSv1", "v=STSv1; id=x"), "x"),
                Arguments.of("v=STSv1 and WSP without ';' is not counted", List.of("v=STSv1 \t", "v=STSv1; id=x"), "x"),
                Arguments.of(
                        "v=STSv1 followed by a field without ';' is not counted",
                        List.of("v=STSv1 id=y", "v=STSv1;id=x"),
                        "x"),
                Arguments.of(
                        "WSP before ';' is counted (field-delim = *WSP \";\" *WSP)",
                        List.of("v=STSv1 ; id=y", "v=STSv1; id=x"),
                        NoPolicyCause.SEVERAL_RECORDS),
                Arguments.of("only a bare v=STSv1 leaves no record", List.of("v=STSv1"), NoPolicyCause.NO_RECORD),
                Arguments.of("a repeated id keeps the first", List.of("v=STSv1; id=a; id=b"), "a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rrsets")
    @DisplayName(
            "RFC 8461 §3.1: strings that do not begin with \"v=STSv1;\" are discarded before the records are counted")
    void discardsBeforeCounting(String name, List<String> records, Object expected) {
        dns.txt("_mta-sts.example.com", records.toArray(String[]::new));
        Discovery discovery = discover("example.com");
        if (expected instanceof NoPolicyCause cause) {
            assertThat(((Discovery.Unavailable) discovery).cause()).isEqualTo(cause);
        } else {
            assertThat(((Discovery.Discovered) discovery).record().id()).isEqualTo(expected);
        }
    }

    @Test
    @DisplayName("RFC 8461 §3.1: several v=STSv1 records mean no available policy")
    void rejectsSeveralRecords() {
        dns.txt("_mta-sts.example.com", "v=STSv1; id=a;", "v=STSv1; id=b;");
        assertThat(((Discovery.Unavailable) discover("example.com")).cause()).isEqualTo(NoPolicyCause.SEVERAL_RECORDS);
    }

    @Test
    @DisplayName("RFC 8461 §3.1: an invalid record (bad id) means no available policy, with a reason")
    void rejectsInvalidRecord() {
        dns.txt("_mta-sts.example.com", "v=STSv1; id=2026-01-01;");
        Discovery.Unavailable result = (Discovery.Unavailable) discover("example.com");
        assertThat(result.cause()).isEqualTo(NoPolicyCause.INVALID_RECORD);
        assertThat(result.reason()).contains("id \"2026-01-01\"");
    }

    @Test
    @DisplayName("RFC 8461 §3.1: NXDOMAIN, NODATA and no v=STSv1 record are 'no record'; SERVFAIL is a DNS failure")
    void classifiesMissingRecords() {
        dns.txtResult("_mta-sts.nodata.example", new DnsResult.NoData<>("_mta-sts.nodata.example"));
        dns.txt("_mta-sts.other.example", "v=spf1 -all");
        dns.txtResult("_mta-sts.broken.example", new DnsResult.Failure<>("SERVFAIL"));
        assertThat(((Discovery.Unavailable) discover("missing.example")).cause())
                .isEqualTo(NoPolicyCause.NO_RECORD);
        assertThat(((Discovery.Unavailable) discover("nodata.example")).cause()).isEqualTo(NoPolicyCause.NO_RECORD);
        assertThat(((Discovery.Unavailable) discover("other.example")).cause()).isEqualTo(NoPolicyCause.NO_RECORD);
        assertThat(((Discovery.Unavailable) discover("broken.example")).cause()).isEqualTo(NoPolicyCause.DNS_FAILURE);
    }

    @Test
    @DisplayName("RFC 8461 §3.4: only _mta-sts.<policy domain> is asked, never the parent zone")
    void neverAsksTheParent() {
        dns.txt("_mta-sts.example.com", "v=STSv1; id=parent;");
        assertThat(discover("mail.example.com")).isInstanceOf(Discovery.Unavailable.class);
    }

    @Test
    @DisplayName("RFC 8460 §4.3.2.2: a fetched body that is not a policy is sts-policy-invalid")
    void invalidBodyIsPolicyInvalid() {
        fetcher.serve("example.com", "<html>hello</html>");
        Retrieval retrieval =
                resolver.retrieve("example.com", "abc").toCompletableFuture().join();
        assertThat(((Retrieval.NotRetrieved) retrieval).resultType()).isEqualTo(ResultType.STS_POLICY_INVALID);
    }

    @Test
    @DisplayName("a diagnosis keeps every step: TXT, fetch and parse")
    void diagnosesEveryStep() {
        dns.txt("_mta-sts.example.com", "v=STSv1; id=abc;");
        fetcher.serve("example.com", POLICY);
        Diagnosis diagnosis =
                resolver.diagnose("Example.COM.").toCompletableFuture().join().orElseThrow();
        assertThat(diagnosis.domain()).isEqualTo("example.com");
        assertThat(diagnosis.discovery()).isInstanceOf(Discovery.Discovered.class);
        assertThat(diagnosis.parseResult()).isPresent();
        assertThat(resolver.diagnose("[192.0.2.1]").toCompletableFuture().join())
                .isEmpty();
    }
}
