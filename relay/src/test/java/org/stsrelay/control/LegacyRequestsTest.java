package org.stsrelay.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyRequestsTest {

    @TempDir
    Path directory;

    @Test
    void requestsLeftInTheFormatsOfEarlierVersionsBecomeControlRequests() throws Exception {
        Path spoolControl = Files.createDirectories(directory.resolve("spool/control"));
        Files.writeString(spoolControl.resolve("0A1B2C3D4E5F6G7H.delete"), "0A1B2C3D4E5F6G7H\n");
        Files.writeString(spoolControl.resolve("hold"), "hold\n");
        Files.writeString(spoolControl.resolve("hold@a.example"), "hold@a.example\n");
        Files.writeString(spoolControl.resolve("released"), "released\n");
        Files.writeString(spoolControl.resolve("flush-1700000000000-42@b.example"), "x\n");
        Path policyControl = Files.createDirectories(directory.resolve("policies/control"));
        Files.createFile(policyControl.resolve("c.example.purge"));
        Files.createFile(policyControl.resolve("d.example.refresh"));
        Path reportControl = Files.createDirectories(directory.resolve("tlsrpt/control"));
        Files.writeString(reportControl.resolve("send-2026-12-03-1.json"), "{\"day\":\"2026-12-03\"}");
        Files.writeString(
                reportControl.resolve("send-2026-12-03-2.json"), "{\"day\":\"2026-12-03\",\"domain\":\"e.example\"}");
        Files.writeString(reportControl.resolve("send-2026-12-03-3.json"), "{not json");

        FileControlPlane plane = FileControlPlane.ofSpool(directory.resolve("spool"));
        LegacyRequests legacy = new LegacyRequests(plane);
        legacy.migrateSpool(plane.directory());
        legacy.migratePolicies(directory.resolve("policies"));
        legacy.migrateReports(directory.resolve("tlsrpt"));

        LocalDate day = LocalDate.of(2026, 12, 3);
        assertThat(plane.pending())
                .extracting(PendingRequest::request)
                .containsExactlyInAnyOrder(
                        new ControlRequest.DeleteMessage("0A1B2C3D4E5F6G7H"),
                        new ControlRequest.Hold(Optional.empty()),
                        new ControlRequest.Hold(Optional.of("a.example")),
                        new ControlRequest.Flush(Optional.of("b.example")),
                        new ControlRequest.PurgePolicy("c.example"),
                        new ControlRequest.RefreshPolicy("d.example"),
                        new ControlRequest.SendReports(day, Optional.empty()),
                        new ControlRequest.SendReports(day, Optional.of("e.example")));
        try (var left = Files.list(spoolControl)) {
            assertThat(left.map(file -> file.getFileName().toString())).allMatch(name -> name.endsWith(".request"));
        }
        try (var left = Files.list(policyControl)) {
            assertThat(left).isEmpty();
        }
        try (var left = Files.list(reportControl)) {
            assertThat(left).isEmpty();
        }
    }
}
