package org.stsrelay.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writesReplacesAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("a/b/policy.txt");
        AtomicInteger fsyncs = new AtomicInteger();

        AtomicFiles.write(target, "one".getBytes(StandardCharsets.UTF_8), fsyncs::incrementAndGet);
        AtomicFiles.write(target, "two".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.readString(target)).isEqualTo("two");
        assertThat(fsyncs).hasValue(2);
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void createNeverReplacesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("day/report.json");

        boolean first = AtomicFiles.create(target, "one".getBytes(StandardCharsets.UTF_8));
        boolean second = AtomicFiles.create(target, "two".getBytes(StandardCharsets.UTF_8));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(Files.readString(target)).isEqualTo("one");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void temporaryNamesAreRecognised() {
        assertThat(AtomicFiles.isTemporary(Path.of(".x.1234.tmp"))).isTrue();
        assertThat(AtomicFiles.isTemporary(Path.of("x.tmp"))).isFalse();
        assertThat(AtomicFiles.isTemporary(Path.of("example.com"))).isFalse();
    }

    @Test
    void threadsAreNamedForTheirJob() {
        var factory = NamedThreads.daemon("dns-check");
        Thread first = factory.newThread(() -> {});
        Thread second = factory.newThread(() -> {});

        assertThat(first.getName()).isEqualTo("dns-check");
        assertThat(second.getName()).isEqualTo("dns-check-2");
        assertThat(first.isDaemon()).isTrue();
        assertThat(NamedThreads.nonDaemon("x").newThread(() -> {}).isDaemon()).isFalse();
    }
}
