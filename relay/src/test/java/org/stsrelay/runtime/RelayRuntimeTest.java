package org.stsrelay.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.ConfigLoader;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.control.FileControlPlane;
import org.stsrelay.queue.QueueControl;

class RelayRuntimeTest {

    @TempDir
    Path directory;

    private RelayConfig config() throws Exception {
        Path file = Files.writeString(directory.resolve("relay.yaml"), """
                hostname: relay.test
                inbound:
                  listen: ["127.0.0.1:0"]
                  allowed-networks: ["127.0.0.0/8"]
                spool:
                  directory: "%s"
                metrics:
                  listen: "127.0.0.1:0"
                dns:
                  servers: ["127.0.0.1:9"]
                mta-sts:
                  store-directory: "%s"
                tlsrpt:
                  directory: "%s"
                """.formatted(
                        directory.resolve("spool"), directory.resolve("policies"), directory.resolve("tlsrpt")));
        return new ConfigLoader().load(file);
    }

    @Test
    void requestsLeftWhileStoppedAreAppliedAtStartAndNewOnesByTheRunningRelay() throws Exception {
        RelayConfig config = config();
        FileControlPlane plane = FileControlPlane.ofSpool(config.spool().directory());
        Files.createDirectories(directory.resolve("spool/control"));
        // One in the format of an earlier version, one in today's.
        Files.writeString(directory.resolve("spool/control/hold@a.example"), "hold@a.example\n");
        plane.submit(new ControlRequest.Hold(Optional.of("b.example")));

        try (RelayRuntime relay = RelayRuntime.start(config, Clock.systemUTC())) {
            assertThat(plane.pending()).as("applied during the start").isEmpty();
            assertThat(new QueueControl(config.spool().directory()).holds().domains())
                    .containsExactlyInAnyOrder("a.example", "b.example");

            ControlRequest release = new ControlRequest.Release(Optional.of("a.example"));
            plane.submit(release);
            assertThat(plane.awaitApplied(release, Duration.ofSeconds(30))).isTrue();
            assertThat(new QueueControl(config.spool().directory()).holds().domains())
                    .containsExactly("b.example");
        }
    }
}
