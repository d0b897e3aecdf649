package org.stsrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stsrelay.config.DaneConfig;
import org.stsrelay.config.DeliveryConfig.DaneOverride;
import org.stsrelay.dane.DaneStatus;
import org.stsrelay.dane.ReferenceIdentifiers;
import org.stsrelay.dane.TlsaRecord;
import org.stsrelay.dane.TlsaRrset;

/** The per-host decision table of RFC 7672 §2.1.2, §2.2 and §6, row by row. */
class HostPlanTest {

    private static final AppliedDane ENABLED = AppliedDane.of(DaneConfig.Mode.ENABLED, Optional.empty());
    private static final AppliedDane REPORT_ONLY = AppliedDane.of(DaneConfig.Mode.REPORT_ONLY, Optional.empty());
    private static final AppliedDane REQUIRED =
            AppliedDane.of(DaneConfig.Mode.REPORT_ONLY, Optional.of(DaneOverride.REQUIRE));

    private static DaneStatus.Applies records(int usage) throws Exception {
        TlsaRecord record = TlsaRecord.of(usage, 1, 1, new byte[32]);
        return new DaneStatus.Applies(
                TlsaRrset.classify(List.of(record)),
                ReferenceIdentifiers.of("mx.example"),
                List.of(InetAddress.getByName("192.0.2.1")));
    }

    static Stream<Arguments> table() throws Exception {
        DaneStatus usable = records(3);
        DaneStatus unusable = records(1);
        DaneStatus bogus = new DaneStatus.Bogus("mx.example", "bad signature");
        DaneStatus failed = new DaneStatus.Unresolved("TLSA lookup failed: SERVFAIL");
        DaneStatus none = new DaneStatus.NotApplicable("no TLSA");
        return Stream.of(
                Arguments.of("§3.2 usable records: DANE decides", ENABLED, false, usable, "Dane"),
                Arguments.of(
                        "§2.2 no usable record: DANE decides (TLS without authentication)",
                        ENABLED,
                        false,
                        unusable,
                        "Dane"),
                Arguments.of("report-only: MTA-STS decides, DANE observes", REPORT_ONLY, false, usable, "MtaSts"),
                Arguments.of(
                        "§2.1.2 bogus: refused, never MTA-STS",
                        ENABLED,
                        false,
                        bogus,
                        "DaneFailure:dnssec-invalid:refused"),
                Arguments.of(
                        "report-only bogus: reported, then MTA-STS",
                        REPORT_ONLY,
                        false,
                        bogus,
                        "DaneFailure:dnssec-invalid:reported"),
                Arguments.of("§2.1.2 lookup failure: unreachable", ENABLED, false, failed, "Unreachable"),
                Arguments.of("report-only lookup failure: MTA-STS", REPORT_ONLY, false, failed, "MtaSts"),
                Arguments.of("§2.2 no TLSA: MTA-STS or opportunistic", ENABLED, false, none, "MtaSts"),
                Arguments.of(
                        "§6 mandatory DANE, no TLSA: dane-required",
                        REQUIRED,
                        false,
                        none,
                        "DaneFailure:dane-required:refused"),
                Arguments.of("§6 mandatory DANE, usable records: DANE decides", REQUIRED, false, usable, "Dane"),
                Arguments.of(
                        "RFC 8689 §4.2.1 REQUIRETLS without enforce, usable records: DANE",
                        ENABLED,
                        true,
                        usable,
                        "Dane"),
                Arguments.of(
                        "RFC 8689 §4.2.1 REQUIRETLS without enforce, no usable record: unreachable",
                        ENABLED,
                        true,
                        unusable,
                        "Unreachable"),
                Arguments.of(
                        "RFC 8689 §4.2.1 REQUIRETLS, report-only DANE: unreachable",
                        REPORT_ONLY,
                        true,
                        usable,
                        "Unreachable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void plan(String rule, AppliedDane dane, boolean daneOnly, DaneStatus status, String expected) {
        HostPlan plan = HostPlan.of(dane, daneOnly, "mx.example", status);

        String actual = plan.getClass().getSimpleName();
        if (plan instanceof HostPlan.DaneFailure failure) {
            actual += ":" + failure.failure().type().token() + ":" + (failure.enforced() ? "refused" : "reported");
        }
        assertThat(actual).as(rule).isEqualTo(expected);
    }
}
