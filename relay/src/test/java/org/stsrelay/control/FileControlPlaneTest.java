package org.stsrelay.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileControlPlaneTest {

    @TempDir
    Path directory;

    @Test
    void aRequestLeftTwiceIsPendingOnceAndRemovedOnceApplied() throws Exception {
        FileControlPlane plane = new FileControlPlane(directory.resolve("control"));
        ControlRequest flush = new ControlRequest.Flush(Optional.of("example.com"));
        plane.submit(flush);
        plane.submit(flush);
        assertThat(plane.pending()).extracting(PendingRequest::request).containsExactly(flush);
        assertThat(plane.isPending(flush)).isTrue();

        plane.remove(flush);
        assertThat(plane.pending()).isEmpty();
        assertThat(plane.awaitApplied(flush, Duration.ZERO)).isTrue();
    }

    @Test
    void aReleaseCancelsAPendingHoldOfTheSameTargetOnly() throws Exception {
        FileControlPlane plane = new FileControlPlane(directory);
        plane.submit(new ControlRequest.Hold(Optional.empty()));
        plane.submit(new ControlRequest.Hold(Optional.of("a.example")));
        plane.submit(new ControlRequest.Release(Optional.of("a.example")));
        assertThat(plane.pending())
                .extracting(PendingRequest::request)
                .containsExactlyInAnyOrder(
                        new ControlRequest.Hold(Optional.empty()),
                        new ControlRequest.Release(Optional.of("a.example")));
    }

    @Test
    void anUnappliedRequestIsReportedAsNotAppliedWhenTheWaitEnds() throws Exception {
        FileControlPlane plane = new FileControlPlane(directory);
        ControlRequest send = new ControlRequest.SendReports(LocalDate.of(2026, 12, 3), Optional.empty());
        plane.submit(send);
        assertThat(plane.awaitApplied(send, Duration.ofMillis(100))).isFalse();
        assertThat(directory.resolve("report-send_2026-12-03_all.request")).hasContent("report-send 2026-12-03 *");
    }

    @Test
    void anUnreadableOrMisnamedFileIsRemovedAndTemporaryFilesAreSkipped() throws Exception {
        FileControlPlane plane = new FileControlPlane(directory);
        Files.writeString(directory.resolve("junk.request"), "format c:\n");
        Files.writeString(directory.resolve("flush_all.request"), "hold *\n");
        Files.writeString(directory.resolve(".hold_all.request.1234.tmp"), "hold *\n");
        assertThat(plane.pending()).isEmpty();
        assertThat(directory.resolve("junk.request")).doesNotExist();
        assertThat(directory.resolve("flush_all.request")).doesNotExist();
        assertThat(directory.resolve(".hold_all.request.1234.tmp")).exists();
    }
}
