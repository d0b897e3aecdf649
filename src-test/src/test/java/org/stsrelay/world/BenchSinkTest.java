package org.stsrelay.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BenchSinkTest {

    private static final long FOURTH = Instant.parse("2026-12-04T07:54:01Z").toEpochMilli();
    private static final long TWENTIETH = Instant.parse("2026-11-20T17:05:09Z").toEpochMilli();

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of(
                        "the relay's field, one line",
                        "Received: from client.test by bench.relay.test with ESMTP id 1; Fri, 4 Dec 2026 07:54:01 +0000\r\n"
                                + "Subject: x\r\n\r\nbody\r\n",
                        FOURTH),
                Arguments.of(
                        "Postfix's folded field, a one-digit day padded with a space",
                        "Received: from localhost (localhost [127.0.0.1])\r\n\tby postfix.bench.test (Postfix) with ESMTP"
                                + " id 4AbC\r\n\tfor <rcpt@bench.test>; Fri,  4 Dec 2026 07:54:01 +0000 (UTC)\r\n\r\nbody\r\n",
                        FOURTH),
                Arguments.of(
                        "a two-digit day, other offset",
                        "Received: by postfix.bench.test; Fri, 20 Nov 2026 18:05:09 +0100 (CET)\r\n\r\n",
                        TWENTIETH),
                Arguments.of(
                        "only the top field counts",
                        "Received: by b; Fri, 4 Dec 2026 07:54:01 +0000\r\nReceived: by a; Fri, 20 Nov 2026 17:05:09"
                                + " +0000\r\n\r\n",
                        FOURTH),
                Arguments.of("no Received: field", "Subject: x\r\n\r\nReceived: in the body\r\n", -1L),
                Arguments.of("an unreadable date", "Received: by b; yesterday\r\n\r\n", -1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    @DisplayName("RFC 5321 §4.4, RFC 5322 §3.3: the top Received: field's date-time, in ms, or -1")
    void readsTheTopReceivedTime(String name, String content, long expected) {
        assertThat(BenchSink.topReceivedMillis(content)).isEqualTo(expected);
    }

    @Test
    @DisplayName("BenchSink DIR [--many-domains N]: the N, or 0 without the option; anything else is refused")
    void readsTheManyDomainsOption() {
        assertThat(BenchSinkOptions.parse("/tmp/sink").manyDomains()).isZero();
        assertThat(BenchSinkOptions.parse("/tmp/sink", "--many-domains", "1000").manyDomains())
                .isEqualTo(1000);
        assertThatThrownBy(() -> BenchSinkOptions.parse("/tmp/sink", "--domains", "5"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("RFC 6125 §6.4.3: each domain's MX name is one label under mx.many.test, which *.mx.many.test covers")
    void manyDomainNames() {
        assertThat(ManyDomains.domain(7)).isEqualTo("d0007.many.test");
        assertThat(ManyDomains.mxName("d0007.many.test")).isEqualTo("d0007.mx.many.test");
    }
}
