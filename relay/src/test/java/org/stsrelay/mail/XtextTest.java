package org.stsrelay.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class XtextTest {

    @ParameterizedTest(name = "RFC 3461 §4: \"{0}\" (utf8 {1}) is xtext: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "abc                | false | true",
                "a+2Bb              | false | true",
                "rfc822;a+40b.test  | false | true",
                "''                 | false | false",
                "a=b                | false | false",
                "a b                | false | false",
                "a+2b               | false | false",
                "a+2                | false | false",
                "a+                 | false | false",
                "dé                 | false | false",
                "dé                 | true  | true",
            })
    void rfc3461Section4Syntax(String value, boolean utf8, boolean valid) {
        assertThat(Xtext.isValid(value, utf8)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "RFC 3461 §4: \"{0}\" decodes to \"{1}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                "abc         | abc",
                "a+2Bb       | a+b",
                "a+2bb       | a+b",
                "a+3Db+20c   | a=b c",
                "a+2         | a+2",
                "a+zz        | a+zz",
            })
    void rfc3461Section4DecodingForDisplay(String xtext, String decoded) {
        assertThat(Xtext.decode(xtext)).isEqualTo(decoded);
    }
}
