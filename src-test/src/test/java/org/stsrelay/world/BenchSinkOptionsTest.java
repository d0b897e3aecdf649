package org.stsrelay.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchSinkOptionsTest {

    @Test
    void withoutOptionsTheWorldIsTheDeliveryBenchmarks() {
        assertThat(BenchSinkOptions.parse("/tmp/sink"))
                .isEqualTo(new BenchSinkOptions(Path.of("/tmp/sink"), 0, Duration.ofDays(1), Duration.ZERO, false, 0));
    }

    @Test
    void readsTheSoakOptions() {
        BenchSinkOptions options = BenchSinkOptions.parse(
                "dir", "--defer-every", "20", "--policy-max-age", "300", "--policy-id-every", "90", "--tls-reports");
        assertThat(options)
                .isEqualTo(new BenchSinkOptions(
                        Path.of("dir"), 20, Duration.ofSeconds(300), Duration.ofSeconds(90), true, 0));
    }

    @Test
    void refusesUnknownOptionsAndMissingValues() {
        assertThatThrownBy(() -> BenchSinkOptions.parse("dir", "--defer")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> BenchSinkOptions.parse("dir", "--defer-every")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchSinkOptions.parse("dir", "--policy-max-age", "0"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(BenchSinkOptions::parse).hasMessageContaining("usage");
    }
}
