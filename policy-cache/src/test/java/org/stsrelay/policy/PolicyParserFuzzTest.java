package org.stsrelay.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

class PolicyParserFuzzTest {

    /** RFC 8461 §3.2: the parser never throws, and whatever it accepts satisfies the policy invariants. */
    @FuzzTest(maxDuration = "10s")
    void parserNeverThrowsAndAcceptsOnlyPolicies(FuzzedDataProvider data) {
        String body = data.consumeRemainingAsString();
        ParseResult result = PolicyParser.parse(body);
        if (result instanceof ParseResult.Valid valid) {
            PolicyDocument document = valid.document();
            assertThat(document.text()).isEqualTo(body);
            assertThat(document.maxAgeSeconds()).isBetween(0L, PolicyParser.MAX_AGE_LIMIT);
            assertThat(document.mx().isEmpty())
                    .isEqualTo(document.mode() == Mode.NONE && document.mx().isEmpty());
            if (document.mode() != Mode.NONE) {
                assertThat(document.mx()).isNotEmpty();
            }
            assertThat(body).contains("version:");
            document.mx()
                    .forEach(mx -> assertThat(mx.matches(mx.pattern().replace("*", "x")))
                            .isTrue());
        } else {
            assertThat(((ParseResult.Invalid) result).reason()).isNotBlank();
        }
        StsRecordParser.Result record = StsRecordParser.parse(body);
        if (record instanceof StsRecordParser.Result.Valid valid) {
            assertThat(valid.record().id()).matches("[A-Za-z0-9]{1,32}");
        }
    }
}
