package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.world.Await;
import org.stsrelay.world.LocalWorld;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;

/** The built relay validates the world's signed DNS from the anchor the world gives it in {@code dns.trust-anchors}. */
class DnssecWorldIT {

    private static final String AVAILABLE = "sts_relay_dns_dnssec_available{mode=\"validate\"} 1.0";

    @TempDir
    Path dir;

    @Test
    @DisplayName("RFC 4035 §5: with the world's anchor the relay finds DNSSEC available (gauge 1, logged)")
    void relayValidatesTheWorldFromItsAnchor() throws Exception {
        try (LocalWorld world = LocalWorld.start(dir)) {
            RelayConfigFile config = RelayConfigFile.write(
                    dir,
                    100,
                    100,
                    world.relayYaml(dir.resolve("policies"), "published", Duration.ofMinutes(1), Duration.ofHours(1)));
            try (RelayProcess relay = RelayProcess.start(RelayJar.located(), config, dir.resolve("relay.log"))) {
                Await.until(
                        Duration.ofSeconds(30),
                        () -> relay.metrics().contains(AVAILABLE),
                        () -> "no \"" + AVAILABLE + "\" in /metrics; log: " + relay.logLines());

                assertThat(relay.logLines())
                        .anyMatch(line -> line.contains("DNSSEC available"))
                        .noneMatch(line -> line.contains("DNSSEC UNAVAILABLE"));
            }
        }
    }
}
