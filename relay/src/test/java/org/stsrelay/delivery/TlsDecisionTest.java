package org.stsrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stsrelay.config.MtaStsConfig.Enforcement;
import org.stsrelay.delivery.Verdict.Action;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.PolicyParser;

/** RFC 8461 §4, §5: (policy) × (what the MX showed) → proceed or refuse, and the RFC 8460 result type. */
class TlsDecisionTest {

    private static PolicyLookup lookup(String mode) {
        if (mode.equals("no-policy")) {
            return new PolicyLookup.NoPolicy(NoPolicyCause.NO_RECORD, "none", Optional.empty());
        }
        ParseResult.Valid valid = (ParseResult.Valid)
                PolicyParser.parse("version: STSv1\nmode: " + mode + "\nmx: mx1.example.com\nmax_age: 86400\n");
        return new PolicyLookup.Found(
                new Policy("example.com", "id1", valid.document(), Instant.EPOCH), true, Instant.MAX);
    }

    private static MxObservation seen(String cell) {
        return switch (cell) {
            case "good", "mx-not-in-policy" ->
                new MxObservation.Tls("TLSv1.3", "TLS_AES_128_GCM_SHA256", Optional.empty());
            case "no-starttls" -> new MxObservation.NoStartTls();
            case "handshake-failed" -> new MxObservation.HandshakeFailed("TLS handshake failed: alert");
            default ->
                new MxObservation.Tls(
                        "TLSv1.3",
                        "TLS_AES_128_GCM_SHA256",
                        Optional.of(new TlsResult.Failure(
                                TlsResultType.valueOf(cell.toUpperCase().replace('-', '_')), cell)));
        };
    }

    @ParameterizedTest(name = "{0} × {1} → {2} {3}")
    @CsvSource({
        "enforce,   good,                      DELIVER_VERIFIED,   success",
        "enforce,   certificate-expired,       REFUSE,             certificate-expired",
        "enforce,   certificate-not-trusted,   REFUSE,             certificate-not-trusted",
        "enforce,   certificate-host-mismatch, REFUSE,             certificate-host-mismatch",
        "enforce,   no-starttls,               REFUSE,             starttls-not-supported",
        "enforce,   handshake-failed,          REFUSE,             validation-failure",
        "enforce,   mx-not-in-policy,          REFUSE,             validation-failure",
        "testing,   good,                      DELIVER_VERIFIED,   success",
        "testing,   certificate-expired,       DELIVER_UNVERIFIED, certificate-expired",
        "testing,   certificate-not-trusted,   DELIVER_UNVERIFIED, certificate-not-trusted",
        "testing,   certificate-host-mismatch, DELIVER_UNVERIFIED, certificate-host-mismatch",
        "testing,   no-starttls,               DELIVER_PLAINTEXT,  starttls-not-supported",
        "testing,   handshake-failed,          RECONNECT_PLAINTEXT, validation-failure",
        "testing,   mx-not-in-policy,          DELIVER_UNVERIFIED, validation-failure",
        "none,      good,                      DELIVER_VERIFIED,   success",
        "none,      certificate-expired,       DELIVER_UNVERIFIED, certificate-expired",
        "none,      no-starttls,               DELIVER_PLAINTEXT,  starttls-not-supported",
        "none,      mx-not-in-policy,          DELIVER_VERIFIED,   success",
        "no-policy, good,                      DELIVER_VERIFIED,   success",
        "no-policy, certificate-not-trusted,   DELIVER_UNVERIFIED, certificate-not-trusted",
        "no-policy, certificate-host-mismatch, DELIVER_UNVERIFIED, certificate-host-mismatch",
        "no-policy, no-starttls,               DELIVER_PLAINTEXT,  starttls-not-supported",
        "no-policy, mx-not-in-policy,          DELIVER_VERIFIED,   success"
    })
    void rfc8461_5_policyModeDecidesEachMx(String mode, String cell, Action action, String result) {
        AppliedPolicy policy = AppliedPolicy.of(lookup(mode), Optional.empty(), Enforcement.PUBLISHED, false);
        String mx = cell.equals("mx-not-in-policy") ? "mx3.example.net" : "mx1.example.com";

        Verdict verdict = TlsDecision.decide(policy, mx, seen(cell));

        assertThat(verdict.action()).isEqualTo(action);
        assertThat(verdict.failure().map(f -> f.type().token()).orElse("success"))
                .isEqualTo(result);
    }

    @ParameterizedTest(name = "enforcement={0}, tlsOptional={1} → {2}")
    @CsvSource({"PUBLISHED, false, ENFORCE", "REPORT_ONLY, false, TESTING", "PUBLISHED, true, TESTING"})
    void reportOnlyAndTlsRequiredNoTurnEnforceIntoTesting(
            Enforcement enforcement, boolean tlsOptional, PolicyMode expected) {
        AppliedPolicy policy = AppliedPolicy.of(lookup("enforce"), Optional.empty(), enforcement, tlsOptional);
        assertThat(policy.mode()).isEqualTo(expected);
        assertThat(policy.publishedEnforce()).isEqualTo(expected == PolicyMode.ENFORCE);
    }

    @ParameterizedTest(name = "forced {0} without a published policy")
    @CsvSource({"enforce, ENFORCE", "testing, TESTING", "none, NONE"})
    void forcedModeWithoutPolicyChecksTlsButNoMxPatterns(String forced, PolicyMode expected) {
        AppliedPolicy policy =
                AppliedPolicy.of(lookup("no-policy"), Mode.fromToken(forced), Enforcement.PUBLISHED, false);
        assertThat(policy.mode()).isEqualTo(expected);
        assertThat(policy.allows("any.example.net")).isTrue();
        assertThat(policy.publishedEnforce()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "STS_POLICY_FETCH_ERROR, sts-policy-fetch-error",
        "STS_WEBPKI_INVALID, sts-webpki-invalid",
        "STS_POLICY_INVALID, sts-policy-invalid"
    })
    void rfc8460_4_3_2_2_failedPolicyLookupIsNoPolicyWithAResult(org.stsrelay.policy.ResultType type, String token) {
        AppliedPolicy policy = AppliedPolicy.of(
                new PolicyLookup.NoPolicy(NoPolicyCause.FETCH_FAILED, "fetch failed", Optional.of(type)),
                Optional.empty(),
                Enforcement.PUBLISHED,
                false);
        assertThat(policy.mode()).isEqualTo(PolicyMode.NO_POLICY);
        assertThat(policy.lookupFailure().orElseThrow().type().token()).isEqualTo(token);
    }
}
