package org.stsrelay.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.delivery.TlsResultType;

/** Reading journal chunks for shipping: complete lines only, counted in groups, in bounded chunks. */
class JournalTailTest {

    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private final JournalFormat format = new JournalFormat();

    @TempDir
    Path dir;

    private byte[] line(String at, String domain) {
        return format.encode(JournalEntry.of(Results.success(at, domain)));
    }

    private void append(byte[] bytes) throws Exception {
        Files.write(JournalFormat.file(dir, DAY), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void identicalResultsApartFromTheirTimeAreOneCountedGroup() throws Exception {
        append(line("2024-03-01T10:00:00Z", "a.example"));
        append(line("2024-03-01T10:00:01Z", "a.example"));
        append(line("2024-03-01T10:00:02Z", "b.example"));
        append(format.encode(JournalEntry.of(Results.failure(
                "2024-03-01T10:00:03Z", "a.example", TlsResultType.CERTIFICATE_EXPIRED, "mx", "192.0.2.1", "x"))));

        JournalChunk chunk = new JournalTail(dir).read(DAY, 0).orElseThrow();

        assertThat(chunk.results()).isEqualTo(4);
        assertThat(chunk.groups()).extracting(ResultGroup::count).containsExactly(2L, 1L, 1L);
        assertThat(chunk.to()).isEqualTo(Files.size(JournalFormat.file(dir, DAY)));
        assertThat(chunk.more()).isFalse();
    }

    @Test
    void aLineWithoutItsNewlineWaitsForTheNextChunk() throws Exception {
        byte[] first = line("2024-03-01T10:00:00Z", "a.example");
        byte[] second = line("2024-03-01T10:00:01Z", "a.example");
        append(first);
        append(Arrays.copyOf(second, second.length - 1));

        JournalChunk chunk = new JournalTail(dir).read(DAY, 0).orElseThrow();
        assertThat(chunk.to()).isEqualTo(first.length);
        assertThat(chunk.results()).isEqualTo(1);
        assertThat(new JournalTail(dir).read(DAY, chunk.to())).isEmpty();

        append(new byte[] {'\n'});
        assertThat(new JournalTail(dir).read(DAY, chunk.to()).orElseThrow().results())
                .isEqualTo(1);
    }

    @Test
    void aBacklogIsReadInChunksThatEndOnLines() throws Exception {
        byte[] one = line("2024-03-01T10:00:00Z", "a.example");
        for (int i = 0; i < 10; i++) {
            append(line("2024-03-01T10:00:0" + i + "Z", "a.example"));
        }
        JournalTail tail = new JournalTail(dir, one.length * 3 + 5);
        long position = 0;
        long results = 0;
        int chunks = 0;
        for (var chunk = tail.read(DAY, position); chunk.isPresent(); chunk = tail.read(DAY, position)) {
            assertThat(chunk.get().to() % one.length).isZero();
            position = chunk.get().to();
            results += chunk.get().results();
            chunks++;
        }
        assertThat(results).isEqualTo(10);
        assertThat(chunks).isEqualTo(4);
        assertThat(tail.countLines(DAY, 0)).isEqualTo(new JournalTail.LineCount(10, position));
    }

    @Test
    void aBatchPayloadHoldsExactlyTheGroups() throws Exception {
        append(line("2024-03-01T10:00:00Z", "a.example"));
        append(format.encode(JournalEntry.of(Results.fetchError("2024-03-01T10:00:01Z", "b.example"))));
        List<ResultGroup> groups =
                new JournalTail(dir).read(DAY, 0).orElseThrow().groups();
        BatchPayload payload = new BatchPayload();
        assertThat(payload.decode(payload.encode(groups))).isEqualTo(groups);
    }

    @Test
    void aMissingFileHasNothingToShip() throws Exception {
        assertThat(new JournalTail(dir).read(DAY, 0)).isEmpty();
    }
}
