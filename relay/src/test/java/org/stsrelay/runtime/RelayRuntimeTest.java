package org.stsrelay.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
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
        return config(0);
    }

    private RelayConfig config(int metricsPort) throws Exception {
        Path file = Files.writeString(directory.resolve("relay.yaml"), """
                hostname: relay.test
                inbound:
                  listen: ["127.0.0.1:0"]
                  allowed-networks: ["127.0.0.0/8"]
                spool:
                  directory: "%s"
                metrics:
                  listen: "127.0.0.1:%d"
                dns:
                  servers: ["127.0.0.1:9"]
                mta-sts:
                  store-directory: "%s"
                tlsrpt:
                  directory: "%s"
                """.formatted(
                directory.resolve("spool"), metricsPort, directory.resolve("policies"), directory.resolve("tlsrpt")));
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

    @Test
    @DisplayName("RFC 8460 §4.4: a started relay serves the received reports' /reports page, not 503 starting")
    void reportsPageIsServedOnceStarted() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RelayConfig config = config(port);
        try (RelayRuntime relay = RelayRuntime.start(config, Clock.systemUTC())) {
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/reports"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Received TLS-RPT reports").contains("No reports in this window.");
        }
    }
}
