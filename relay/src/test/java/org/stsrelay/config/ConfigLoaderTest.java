package org.stsrelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private final ConfigLoader loader = new ConfigLoader();

    private ConfigException problemsOf(String yaml) {
        try {
            loader.load(yaml, "relay.yaml");
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected the configuration to be refused:\n" + yaml);
    }

    @Test
    void shippedConfigurationLoadsAndStatesExactlyTheDefaults() throws Exception {
        RelayConfig shipped = loader.load(Path.of("../config/relay.yaml"));
        RelayConfig defaults = loader.load("", "empty.yaml");
        assertThat(shipped).usingRecursiveComparison().isEqualTo(defaults);
    }

    @Test
    void defaultsAreSafe_loopbackOnly_noTls_noAuth() throws Exception {
        RelayConfig c = loader.load("", "empty.yaml");
        assertThat(c.inbound().listen()).containsExactly(new HostPort("127.0.0.1", 2525));
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        InetAddress v6 = InetAddress.getByName("::1");
        InetAddress outside = InetAddress.getByName("192.0.2.1");
        assertThat(c.inbound().allowedNetworks()).allMatch(n -> n.contains(v4) || n.contains(v6));
        assertThat(c.inbound().allowedNetworks()).noneMatch(n -> n.contains(outside));
        assertThat(c.inbound().tls()).isEmpty();
        assertThat(c.inbound().usersFile()).isEmpty();
        assertThat(c.inbound().maxMessageSize()).isEqualTo(50_000_000L);
        assertThat(c.inbound().maxLineLength()).isEqualTo(65536);
        assertThat(c.inbound().maxRecipients()).isEqualTo(1000);
        assertThat(c.inbound().commandTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.spool().directory()).isEqualTo(Path.of("data/spool"));
        assertThat(c.metrics().listen()).contains(new HostPort("127.0.0.1", 9464));
    }

    @Test
    void badSizeNamesFileKeyPathAndExample() {
        assertThat(problemsOf("inbound:\n  max-message-size: 5XB\n").problems())
                .containsExactly("relay.yaml: inbound.max-message-size: \"5XB\" is not a size (e.g. 50MB)");
    }

    @Test
    void unknownKeyIsAnErrorWithItsPathAndASuggestion() {
        assertThat(problemsOf("inbound:\n  max-mesage-size: 5MB\n").problems())
                .containsExactly("relay.yaml: inbound.max-mesage-size: unknown key (did you mean \"max-message-size\"?)");
    }

    @Test
    void everyProblemIsReportedInOnePass() {
        ConfigException e = problemsOf("""
                hostname: "bad host!"
                inbound:
                  listen: ["127.0.0.1"]
                  allowed-networks: ["10.0.0.0/33", "example.com"]
                  max-recipients: many
                  command-timeout: 5 minutes
                colour: blue
                """);
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "relay.yaml: hostname: \"bad host!\" is not a host name (e.g. relay.example.net)",
                "relay.yaml: inbound.listen[0]: \"127.0.0.1\" is not host:port (e.g. 127.0.0.1:2525)",
                "relay.yaml: inbound.allowed-networks[0]: \"10.0.0.0/33\" has a prefix length outside 0-32",
                "relay.yaml: inbound.allowed-networks[1]: \"example.com\" is not a network (e.g. 10.0.0.0/8 or ::1/128)",
                "relay.yaml: inbound.max-recipients: \"many\" is not a whole number from 1 to 100000",
                "relay.yaml: inbound.command-timeout: \"5 minutes\" is not a duration (e.g. 30s, 5m, 1h)",
                "relay.yaml: colour: unknown key");
    }

    @Test
    void wrongTypesAreNamed() {
        assertThat(problemsOf("inbound: 5\n").problems())
                .containsExactly("relay.yaml: inbound: must be a mapping of keys to values");
        assertThat(problemsOf("inbound:\n  listen: 127.0.0.1:25\n").problems())
                .containsExactly("relay.yaml: inbound.listen: must be a list, e.g. [\"a\", \"b\"]");
    }

    @Test
    void tlsNeedsBothFilesAndTheyMustExist(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        assertThat(problemsOf("inbound:\n  tls:\n    certificate: " + cert + "\n").problems())
                .containsExactly("relay.yaml: inbound.tls.private-key: is empty, but STARTTLS needs both certificate and private-key");
        assertThat(problemsOf("inbound:\n  tls:\n    certificate: " + cert + "\n    private-key: "
                + dir.resolve("nope.pem") + "\n").problems())
                .containsExactly("relay.yaml: inbound.tls.private-key: \"" + dir.resolve("nope.pem") + "\" does not exist");
    }

    @Test
    void authWithoutTlsIsRefusedBecauseAuthIsOnlyOfferedAfterStarttls(@TempDir Path dir) throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "");
        assertThat(problemsOf("inbound:\n  auth:\n    users-file: " + users + "\n").problems())
                .containsExactly("relay.yaml: inbound.auth.users-file: AUTH needs STARTTLS: set inbound.tls.certificate and inbound.tls.private-key too");
    }

    @Test
    void duplicateKeysAndBrokenYamlAreReportedNotThrown() {
        assertThat(problemsOf("hostname: a\nhostname: b\n").problems().get(0))
                .startsWith("relay.yaml: not valid YAML: Duplicate field 'hostname'");
        assertThat(problemsOf("inbound: [\n").problems().get(0)).startsWith("relay.yaml: not valid YAML:");
    }

    @Test
    void missingFileIsOneClearLine(@TempDir Path dir) {
        assertThatThrownBy(() -> loader.load(dir.resolve("absent.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("absent.yaml") + ": no such file");
    }

    @Test
    void sizesAndDurationsAcceptBothUnitFamilies() throws Exception {
        RelayConfig c = loader.load("""
                inbound:
                  max-message-size: 10MiB
                  max-line-length: 1000
                  command-timeout: 90s
                metrics:
                  listen: ""
                """, "r.yaml");
        assertThat(c.inbound().maxMessageSize()).isEqualTo(10L << 20);
        assertThat(c.inbound().maxLineLength()).isEqualTo(1000);
        assertThat(c.inbound().commandTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.metrics().listen()).isEmpty();
    }

    @Test
    void ipv6ListenAndNetworks() throws Exception {
        RelayConfig c = loader.load("inbound:\n  listen: [\"[::1]:2525\"]\n  allowed-networks: [\"2001:db8::/32\"]\n", "r");
        assertThat(c.inbound().listen()).containsExactly(new HostPort("::1", 2525));
        assertThat(c.inbound().allowedNetworks().get(0).contains(InetAddress.getByName("2001:db8::5"))).isTrue();
        assertThat(c.inbound().allowedNetworks().get(0).contains(InetAddress.getByName("2001:db9::5"))).isFalse();
    }
}
