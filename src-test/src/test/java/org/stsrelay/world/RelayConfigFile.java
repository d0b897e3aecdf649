package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A relay configuration written for one test: free loopback ports, the spool inside the test's
 * temporary directory, everything else at the shipped defaults (config/relay.yaml).
 *
 * @param file the YAML file to pass to {@code --config}
 * @param smtpPort the inbound SMTP port on 127.0.0.1
 * @param metricsPort the /metrics, /readyz port on 127.0.0.1
 * @param spool the spool directory
 */
public record RelayConfigFile(Path file, int smtpPort, int metricsPort, Path spool) {

    /** The relay's hostname in these tests; appears in its greeting and Received: header. */
    public static final String HOSTNAME = "relay.test";

    /**
     * Delivery held and no resolver reachable: tests of acceptance and the spool keep every message
     * spooled for inspection, and nothing ever looks up or connects to a real domain.
     */
    private static final String NO_DELIVERY = """
            dns:
              servers: ["127.0.0.1:9"]
            delivery:
              paused: true
            """;

    /** Writes {@code relay.yaml} into {@code directory} with the default connection limits, delivery held. */
    public static RelayConfigFile write(Path directory) {
        return write(directory, 1000, 100);
    }

    /** Writes {@code relay.yaml} with delivery held; the limits are raised only by the benchmark. */
    public static RelayConfigFile write(Path directory, int maxConnections, int maxConnectionsPerIp) {
        return write(directory, maxConnections, maxConnectionsPerIp, NO_DELIVERY);
    }

    /**
     * Writes {@code relay.yaml} with the {@code dns}, {@code tls}, {@code mta-sts} and
     * {@code delivery} sections given in {@code worldYaml} (see LocalWorld#relayYaml).
     */
    public static RelayConfigFile write(Path directory, int maxConnections, int maxConnectionsPerIp, String worldYaml) {
        return write(directory, FreePorts.next(), maxConnections, maxConnectionsPerIp, worldYaml);
    }

    /**
     * Writes {@code relay.yaml} like {@link #write(Path)} (default limits, delivery held), but with
     * inbound SMTP on the fixed port {@code smtpPort} of 127.0.0.1, e.g. the 2525 the shipped
     * deploy/postfix/main.cf points at. The caller makes sure the port is free.
     */
    public static RelayConfigFile writeWithSmtpPort(Path directory, int smtpPort) {
        return write(directory, smtpPort, 1000, 100, NO_DELIVERY);
    }

    private static RelayConfigFile write(
            Path directory, int smtpPort, int maxConnections, int maxConnectionsPerIp, String worldYaml) {
        Path spool = directory.resolve("spool");
        RelayConfigFile config =
                new RelayConfigFile(directory.resolve("relay.yaml"), smtpPort, FreePorts.next(), spool);
        String yaml =
                """
                hostname: %s
                inbound:
                  listen: ["127.0.0.1:%d"]
                  allowed-networks: ["127.0.0.0/8"]
                  max-message-size: 50MB
                  max-connections: %d
                  max-connections-per-ip: %d
                spool:
                  directory: "%s"
                metrics:
                  listen: "127.0.0.1:%d"
                """.formatted(HOSTNAME, config.smtpPort, maxConnections, maxConnectionsPerIp, spool, config.metricsPort)
                        + worldYaml;
        try {
            Files.writeString(config.file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
    }

    /** Where the relay accepts SMTP. */
    public InetSocketAddress smtpAddress() {
        return new InetSocketAddress("127.0.0.1", smtpPort);
    }

    /** The base of /metrics, /healthz and /readyz. */
    public URI metricsBase() {
        return URI.create("http://127.0.0.1:" + metricsPort);
    }
}
