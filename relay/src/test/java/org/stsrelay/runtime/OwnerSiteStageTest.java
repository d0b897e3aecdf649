package org.stsrelay.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.config.ConfigLoader;
import org.stsrelay.config.HostPort;
import org.stsrelay.config.RelayConfig;
import org.stsrelay.received.IntakeResult;
import org.stsrelay.received.ReportIntake;

class OwnerSiteStageTest {

    private static final ReportIntake REFUSING =
            (body, type, origin, submitter, dkim) -> new IntakeResult.Refused(IntakeResult.Refusal.STORAGE, "test");

    @TempDir
    Path directory;

    private RelayConfig config(String ownerSite) throws Exception {
        Path file = Files.writeString(directory.resolve("relay.yaml"), """
                hostname: relay.test
                spool:
                  directory: "%s"
                mta-sts:
                  store-directory: "%s"
                tlsrpt:
                  directory: "%s"
                %s
                """.formatted(
                directory.resolve("spool"), directory.resolve("policies"), directory.resolve("tlsrpt"), ownerSite));
        return new ConfigLoader().load(file);
    }

    @Test
    @DisplayName("without owner-site.listen the stage starts nothing")
    void offByDefault() throws Exception {
        try (OwnerSiteStage stage =
                new OwnerSiteStage(config(""), REFUSING, new SimpleMeterRegistry(), Clock.systemUTC())) {
            stage.start();

            assertThat(stage.boundAddress()).isEmpty();
        }
    }

    @Test
    @DisplayName("with owner-site.listen the stage listens until closed")
    void listensWhenConfigured() throws Exception {
        Path domains = Files.createDirectories(directory.resolve("owner"));
        RelayConfig config = config("""
                owner-site:
                  listen: "127.0.0.1:0"
                  domains-directory: "%s"
                """.formatted(domains));
        OwnerSiteStage stage = new OwnerSiteStage(config, REFUSING, new SimpleMeterRegistry(), Clock.systemUTC());
        stage.start();
        HostPort bound = HostPort.parse(stage.boundAddress().orElseThrow().replaceFirst("^/", ""));

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", bound.port()), 5000);
            assertThat(socket.isConnected()).isTrue();
        } finally {
            stage.close();
        }
    }
}
