package org.stsrelay.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestLineTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("delete 0A1B2C3D4E5F6G7H", new ControlRequest.DeleteMessage("0A1B2C3D4E5F6G7H")),
                Arguments.of("hold *", new ControlRequest.Hold(Optional.empty())),
                Arguments.of("hold example.com\n", new ControlRequest.Hold(Optional.of("example.com"))),
                Arguments.of("release *", new ControlRequest.Release(Optional.empty())),
                Arguments.of(
                        "release xn--bcher-kva.example",
                        new ControlRequest.Release(Optional.of("xn--bcher-kva.example"))),
                Arguments.of("flush *", new ControlRequest.Flush(Optional.empty())),
                Arguments.of("flush  a.example ", new ControlRequest.Flush(Optional.of("a.example"))),
                Arguments.of("policy-purge example.com", new ControlRequest.PurgePolicy("example.com")),
                Arguments.of("policy-refresh example.com", new ControlRequest.RefreshPolicy("example.com")),
                Arguments.of(
                        "report-send 2026-12-03 *",
                        new ControlRequest.SendReports(LocalDate.of(2026, 12, 3), Optional.empty())),
                Arguments.of(
                        "report-send 2026-12-03 b.example",
                        new ControlRequest.SendReports(LocalDate.of(2026, 12, 3), Optional.of("b.example"))));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void readsEveryKindOfRequestAndWritesItBackTheSame(String line, ControlRequest expected) {
        assertThat(RequestLine.parse(line)).isEqualTo(new ParsedRequest.Valid(expected));
        assertThat(RequestLine.parse(expected.line())).isEqualTo(new ParsedRequest.Valid(expected));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", "takes 1 argument"),
                Arguments.of("hold", "takes 1 argument"),
                Arguments.of("hold a.example b.example", "takes 1 argument"),
                Arguments.of("hold ../etc", "not a domain or *"),
                Arguments.of("hold Example.COM", "not a domain or *"),
                Arguments.of("flush a..example", "not a domain or *"),
                Arguments.of("delete ../../LOCK", "not a queue id"),
                Arguments.of("policy-purge *", "not a domain"),
                Arguments.of("policy-refresh example.com.", "not a domain"),
                Arguments.of("report-send 2026-13-01 *", "not a day"),
                Arguments.of("report-send 2026-12-03", "takes 2 argument"),
                Arguments.of("reboot now", "unknown request"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void namesWhatIsWrongWithALineThatIsNotARequest(String line, String reason) {
        assertThat(RequestLine.parse(line))
                .isInstanceOfSatisfying(
                        ParsedRequest.Invalid.class,
                        invalid -> assertThat(invalid.reason()).contains(reason));
    }
}
