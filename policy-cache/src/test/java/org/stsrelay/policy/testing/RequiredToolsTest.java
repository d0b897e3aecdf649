package org.stsrelay.policy.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredToolsTest {

    @ParameterizedTest(name = "STS_TEST_REQUIRE=\"{0}\", {1} present={2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                              | postfix         | true  | passes
            NULL                              | postfix         | false | skipped
            ''                                | prometheus      | false | skipped
            prometheus                        | postfix         | false | skipped
            postfix,prometheus,systemd-analyze| systemd-analyze | false | fails
            ' Postfix , prometheus '          | postfix         | false | fails
            postfix                           | postfix         | true  | passes
            """)
    void aMissingToolSkipsUnlessRequired(String variable, String tool, boolean present, String outcome) {
        RequiredTools tools = new RequiredTools(variable);
        switch (outcome) {
            case "passes" ->
                assertThatCode(() -> tools.check(tool, present, () -> "why")).doesNotThrowAnyException();
            case "skipped" ->
                assertThatThrownBy(() -> tools.check(tool, present, () -> "why"))
                        .isInstanceOf(TestAbortedException.class)
                        .hasMessageContaining(tool)
                        .hasMessageContaining("why");
            default ->
                assertThatThrownBy(() -> tools.check(tool, present, () -> "why"))
                        .isInstanceOf(AssertionFailedError.class)
                        .hasMessageContaining(tool + " is required by STS_TEST_REQUIRE")
                        .hasMessageContaining("why");
        }
    }
}
