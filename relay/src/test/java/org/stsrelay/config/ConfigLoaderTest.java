package org.stsrelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stsrelay.policy.cache.CacheSettings;
import org.stsrelay.policy.dns.DnsSettings;
import org.stsrelay.policy.dns.DnssecMode;
import org.stsrelay.policy.fetch.FetchSettings;

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
                .containsExactly(
                        "relay.yaml: inbound.max-mesage-size: unknown key (did you mean \"max-message-size\"?)");
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
        assertThat(e.problems())
                .containsExactlyInAnyOrder(
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
        assertThat(problemsOf("inbound:\n  tls:\n    certificate: " + cert + "\n")
                        .problems())
                .containsExactly(
                        "relay.yaml: inbound.tls.private-key: is empty, but STARTTLS needs both certificate and private-key");
        assertThat(problemsOf("inbound:\n  tls:\n    certificate: " + cert + "\n    private-key: "
                                + dir.resolve("nope.pem") + "\n")
                        .problems())
                .containsExactly(
                        "relay.yaml: inbound.tls.private-key: \"" + dir.resolve("nope.pem") + "\" does not exist");
    }

    @Test
    void authWithoutTlsIsRefusedBecauseAuthIsOnlyOfferedAfterStarttls(@TempDir Path dir) throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "");
        assertThat(problemsOf("inbound:\n  auth:\n    users-file: " + users + "\n")
                        .problems())
                .containsExactly(
                        "relay.yaml: inbound.auth.users-file: AUTH needs STARTTLS: set inbound.tls.certificate and inbound.tls.private-key too");
    }

    @Test
    void abuseLimitsDefaultToAThirtyMinuteDataLimitAndFiveAuthFailuresIn15Minutes() throws Exception {
        InboundConfig c = loader.load("", "empty.yaml").inbound();
        assertThat(c.dataTotalTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.authFailures())
                .isEqualTo(new InboundConfig.AuthFailures(
                        5, Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofSeconds(10)));
    }

    @Test
    void abuseLimitsAreRead() throws Exception {
        InboundConfig c = loader.load("""
                inbound:
                  data-total-timeout: 2h
                  auth:
                    max-failures: 10
                    failure-window: 1h
                    failure-delay: 0s
                    max-failure-delay: 0s
                """, "r.yaml").inbound();
        assertThat(c.dataTotalTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(c.authFailures())
                .isEqualTo(new InboundConfig.AuthFailures(10, Duration.ofHours(1), Duration.ZERO, Duration.ZERO));
    }

    @Test
    void spoolCommitSettingsAreReadWithTheirDefaults() throws Exception {
        SpoolConfig defaults = loader.load("", "empty.yaml").spool();
        SpoolConfig set = loader.load("""
                spool:
                  state-sync-delay: 0s
                  content-cache: 0
                  commit-window: 5ms
                """, "r.yaml").spool();
        assertThat(defaults.stateSyncDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.contentCache()).isEqualTo(32L << 20);
        assertThat(defaults.commitWindow()).isEqualTo(Duration.ofMillis(2));
        assertThat(set.stateSyncDelay()).isZero();
        assertThat(set.contentCache()).isZero();
        assertThat(set.commitWindow()).isEqualTo(Duration.ofMillis(5));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            spool: {state-sync-delay: 11s} | relay.yaml: spool.state-sync-delay: "11s" is outside 0s to 10s
            spool: {commit-window: 21ms}   | relay.yaml: spool.commit-window: "21ms" is outside 0s to 20ms
            """)
    void spoolCommitSettingsOutsideTheirBoundsNameTheirKey(String yaml, String problem) {
        assertThat(problemsOf(yaml + "\n").problems()).containsExactly(problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            inbound: {data-total-timeout: 0s}       | relay.yaml: inbound.data-total-timeout: "0s" is outside 1s to 6h
            inbound: {data-total-timeout: 7h}       | relay.yaml: inbound.data-total-timeout: "7h" is outside 1s to 6h
            inbound: {auth: {max-failures: 2}}      | relay.yaml: inbound.auth.max-failures: 2 is not a whole number from 3 to 1000
            inbound: {auth: {failure-window: soon}} | relay.yaml: inbound.auth.failure-window: "soon" is not a duration (e.g. 30s, 5m, 1h)
            inbound: {auth: {failure-delay: 2m}}    | relay.yaml: inbound.auth.failure-delay: "2m" is outside 0s to 1m
            inbound: {auth: {failure-delay: 20s}}   | relay.yaml: inbound.auth.max-failure-delay: is shorter than failure-delay (20s)
            inbound: {auth: {failure-delay: 1s, max-failure-delay: 500ms}} | relay.yaml: inbound.auth.max-failure-delay: is shorter than failure-delay (1s)
            inbound: {auth: {max-failure: 5}}       | relay.yaml: inbound.auth.max-failure: unknown key (did you mean "max-failures"?)
            """)
    void badAbuseLimitsNameTheirKey(String yaml, String problem) {
        assertThat(problemsOf(yaml + "\n").problems()).containsExactly(problem);
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
        RelayConfig c =
                loader.load("inbound:\n  listen: [\"[::1]:2525\"]\n  allowed-networks: [\"2001:db8::/32\"]\n", "r");
        assertThat(c.inbound().listen()).containsExactly(new HostPort("::1", 2525));
        assertThat(c.inbound().allowedNetworks().get(0).contains(InetAddress.getByName("2001:db8::5")))
                .isTrue();
        assertThat(c.inbound().allowedNetworks().get(0).contains(InetAddress.getByName("2001:db9::5")))
                .isFalse();
    }

    @Test
    void policySectionsDefaultToSystemResolversAndTheRfcFetchLimits() throws Exception {
        RelayConfig c = loader.load("", "empty.yaml");
        assertThat(c.dns().servers()).isEmpty();
        assertThat(c.dns().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.dns().retries()).isEqualTo(2);
        assertThat(c.tls().extraCaFile()).isEmpty();
        assertThat(c.tls().extraCertificates()).isEmpty();
        assertThat(c.mtaSts().storeDirectory()).isEqualTo(Path.of("data/policies"));
        assertThat(c.mtaSts().idRecheckInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.mtaSts().requireTextPlain()).isTrue();
        // RFC 8461 §3.3: a one-minute fetch timeout, HTTPS on port 443.
        assertThat(c.mtaSts().fetchTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.mtaSts().fetchPort()).isEqualTo(443);
        assertThat(c.mtaSts().fetchSettings(List.of())).isEqualTo(FetchSettings.DEFAULTS);
        assertThat(c.mtaSts().cacheSettings()).isEqualTo(CacheSettings.DEFAULTS);
        assertThat(c.dns().settings()).isEqualTo(DnsSettings.DEFAULTS);
    }

    @Test
    void dnsServersAreIpAddressesWithPorts() throws Exception {
        RelayConfig c = loader.load("dns:\n  servers: [\"127.0.0.1:5353\", \"[::1]:53\"]\n", "r");
        assertThat(c.dns().servers()).containsExactly(new HostPort("127.0.0.1", 5353), new HostPort("::1", 53));
        assertThat(c.dns().settings().servers())
                .extracting(InetSocketAddress::getPort)
                .containsExactly(5353, 53);
        assertThat(problemsOf("dns:\n  servers: [\"ns.example.com:53\", \"127.0.0.1\", \"127.0.0.1:0\"]\n"
                                + "  retries: 11\n")
                        .problems())
                .containsExactly(
                        "relay.yaml: dns.servers[0]: \"ns.example.com:53\" is not an IP address and port (e.g. 127.0.0.1:53 or [::1]:53)",
                        "relay.yaml: dns.servers[1]: \"127.0.0.1\" is not host:port (e.g. 127.0.0.1:2525)",
                        "relay.yaml: dns.servers[2]: \"127.0.0.1:0\" has port 0; a DNS server needs a port 1-65535",
                        "relay.yaml: dns.retries: 11 is not a whole number from 0 to 10");
    }

    @Test
    @DisplayName("dns.dnssec: validate by default; resolver only with loopback resolvers (RFC 6840 §5.7)")
    void dnssecModeAndResolverNeedsLoopbackServers() throws Exception {
        assertThat(loader.load("", "r").dns().dnssec()).isEqualTo(DnssecMode.VALIDATE);
        assertThat(loader.load("dns:\n  dnssec: \"off\"\n", "r").dns().dnssec()).isEqualTo(DnssecMode.OFF);
        assertThat(loader.load("dns:\n  dnssec: resolver\n  servers: [\"127.0.0.1:53\", \"[::1]:5353\"]\n", "r")
                        .dns()
                        .settings()
                        .dnssec()
                        .mode())
                .isEqualTo(DnssecMode.RESOLVER);
        assertThat(problemsOf("dns:\n  dnssec: resolver\n").problems())
                .containsExactly(
                        "relay.yaml: dns.dnssec: \"resolver\" trusts the AD bit, so every dns.servers entry must be a "
                                + "loopback address (a validating resolver on this host); got the system resolvers");
        assertThat(problemsOf("dns:\n  dnssec: resolver\n  servers: [\"127.0.0.1:53\", \"192.0.2.1:53\"]\n")
                        .problems())
                .singleElement()
                .asString()
                .startsWith("relay.yaml: dns.dnssec: \"resolver\" trusts the AD bit")
                .endsWith("got [127.0.0.1:53, 192.0.2.1:53]");
        assertThat(problemsOf("dns:\n  dnssec: maybe\n").problems())
                .containsExactly("relay.yaml: dns.dnssec: \"maybe\" is not validate, resolver or off");
    }

    @Test
    void trustAnchorsMustBeDsOrDnskeyRecords(@TempDir Path dir) throws Exception {
        Path absent = dir.resolve("absent.txt");
        assertThat(problemsOf("dns:\n  trust-anchors: " + absent + "\n").problems())
                .containsExactly("relay.yaml: dns.trust-anchors: \"" + absent + "\" does not exist");
        Path wrongType = Files.writeString(dir.resolve("a.txt"), "example. 300 IN A 192.0.2.1\n");
        assertThat(problemsOf("dns:\n  trust-anchors: " + wrongType + "\n").problems())
                .containsExactly("relay.yaml: dns.trust-anchors: \"" + wrongType
                        + "\" holds a A record for example.; only DS or " + "DNSKEY records are trust anchors");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "; nothing\n");
        assertThat(problemsOf("dns:\n  trust-anchors: " + empty + "\n").problems())
                .containsExactly("relay.yaml: dns.trust-anchors: \"" + empty + "\" holds no DS or DNSKEY record");
        Path junk = Files.writeString(dir.resolve("junk.txt"), "this is not a zone file\n");
        assertThat(problemsOf("dns:\n  trust-anchors: " + junk + "\n").problems())
                .singleElement()
                .asString()
                .startsWith("relay.yaml: dns.trust-anchors: \"" + junk + "\" is not a zone-format file");
        Path good = Files.writeString(
                dir.resolve("root.txt"),
                ". 172800 IN DS 20326 8 2 " + "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
        assertThat(loader.load("dns:\n  trust-anchors: " + good + "\n", "r")
                        .dns()
                        .trustAnchors())
                .contains(good);
    }

    @Test
    void extraCaFileMustExistAndHoldCertificates(@TempDir Path dir) throws Exception {
        Path absent = dir.resolve("absent.pem");
        assertThat(problemsOf("tls:\n  extra-ca-file: " + absent + "\n").problems())
                .containsExactly("relay.yaml: tls.extra-ca-file: \"" + absent + "\" does not exist");
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        assertThat(problemsOf("tls:\n  extra-ca-file: " + junk + "\n").problems())
                .singleElement()
                .asString()
                .startsWith("relay.yaml: tls.extra-ca-file: \"" + junk + "\" is not a PEM file of CA certificates");
    }

    @Test
    void mtaStsKeysAreBoundAndCheckedWithTheirPaths() throws Exception {
        RelayConfig c = loader.load("""
                mta-sts:
                  store-directory: /var/lib/sts-relay/policies
                  id-recheck-interval: 10m
                  require-text-plain: false
                  fetch-connect-timeout: 3s
                  fetch-timeout: 20s
                  max-concurrent-fetches: 4
                  fetch-port: 8443
                """, "r");
        assertThat(c.mtaSts().fetchSettings(List.of()))
                .isEqualTo(new FetchSettings(
                        8443, Duration.ofSeconds(3), Duration.ofSeconds(20), 65_536, 4, false, List.of()));
        assertThat(c.mtaSts().cacheSettings().idRecheckInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(problemsOf("""
                mta-sts:
                  id-recheck-interval: 5s
                  require-text-plain: maybe
                  fetch-port: 0
                  enforcement: strict
                """).problems())
                .containsExactlyInAnyOrder(
                        "relay.yaml: mta-sts.id-recheck-interval: \"5s\" is outside 1m to 24h",
                        "relay.yaml: mta-sts.require-text-plain: \"maybe\" is not true or false",
                        "relay.yaml: mta-sts.fetch-port: 0 is not a whole number from 1 to 65535",
                        "relay.yaml: mta-sts.enforcement: \"strict\" is not published or report-only");
    }

    @Test
    void daneModeAndOverridesAreBoundAndChecked() throws Exception {
        assertThat(loader.load("", "r").dane().mode()).isEqualTo(DaneConfig.Mode.ENABLED);
        RelayConfig c = loader.load("""
                dane:
                  mode: report-only
                delivery:
                  overrides:
                    example.org:
                      dane: require
                    example.net:
                      dane: off
                """, "r");
        assertThat(c.dane().mode()).isEqualTo(DaneConfig.Mode.REPORT_ONLY);
        assertThat(c.delivery().overrides().get("example.org").dane()).contains(DeliveryConfig.DaneOverride.REQUIRE);
        assertThat(c.delivery().overrides().get("example.net").dane()).contains(DeliveryConfig.DaneOverride.OFF);
        // YAML 1.1 reads an unquoted off as false; for a switch it still means off.
        assertThat(loader.load("dane:\n  mode: off\ndns:\n  dnssec: off\n", "r")
                        .dane()
                        .mode())
                .isEqualTo(DaneConfig.Mode.OFF);
        assertThat(loader.load("dns:\n  dnssec: off\n", "r").dns().dnssec()).isEqualTo(DnssecMode.OFF);
        assertThat(problemsOf("""
                dane:
                  mode: strict
                  extra: 1
                delivery:
                  overrides:
                    example.org:
                      dane: always
                """).problems())
                .containsExactlyInAnyOrder(
                        "relay.yaml: dane.mode: \"strict\" is not enabled, report-only or off",
                        "relay.yaml: dane.extra: unknown key",
                        "relay.yaml: delivery.overrides.example.org.dane: \"always\" is not require or off");
    }

    @Test
    void deliveryDefaultsArePostfixLike() throws Exception {
        DeliveryConfig d = loader.load("", "r").delivery();
        assertThat(d.port()).isEqualTo(25);
        assertThat(d.paused()).isFalse();
        assertThat(d.queueLifetime()).isEqualTo(Duration.ofDays(5));
        assertThat(d.retryDelay(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.retryDelay(5)).isEqualTo(Duration.ofHours(1));
        assertThat(d.retryDelay(50)).isEqualTo(Duration.ofHours(1));
        assertThat(d.timeouts().dataDone()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.overrides()).isEmpty();
        assertThat(loader.load("", "r").mtaSts().enforcement()).isEqualTo(MtaStsConfig.Enforcement.PUBLISHED);
    }

    @Test
    void deliveryOverridesAndScheduleAreBoundAndChecked() throws Exception {
        DeliveryConfig d = loader.load("""
                mta-sts:
                  enforcement: report-only
                delivery:
                  port: 2525
                  retry-schedule: ["1s", "2s"]
                  overrides:
                    Example.ORG:
                      mta-sts: enforce
                      next-hop: "mx.example.org:2526"
                """, "r").delivery();
        assertThat(d.port()).isEqualTo(2525);
        assertThat(d.retrySchedule()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(d.overrides().get("example.org"))
                .isEqualTo(new DeliveryConfig.Override(
                        java.util.Optional.of("enforce"), java.util.Optional.of(new HostPort("mx.example.org", 2526))));
        assertThat(problemsOf("""
                delivery:
                  retry-schedule: ["soon"]
                  ipv4: false
                  ipv6: false
                  timeouts:
                    dat-done: 1m
                  overrides:
                    example.org:
                      mta-sts: strict
                      next-hop: nowhere
                """).problems())
                .containsExactlyInAnyOrder(
                        "relay.yaml: delivery.retry-schedule[0]: \"soon\" is not a duration from 1s to 1d (e.g. 5m)",
                        "relay.yaml: delivery.retry-schedule: must name at least one wait, e.g. [\"5m\", \"1h\"]",
                        "relay.yaml: delivery.ipv6: false, and ipv4 too: at least one address family must be on",
                        "relay.yaml: delivery.timeouts.dat-done: unknown key (did you mean \"data-done\"?)",
                        "relay.yaml: delivery.overrides.example.org.mta-sts: \"strict\" is not enforce, testing or none",
                        "relay.yaml: delivery.overrides.example.org.next-hop: \"nowhere\" is not host:port (e.g. 127.0.0.1:2525)");
    }

    @Test
    @DisplayName("RFC 8689 §4.2.2: TLS-Required: No is honoured unless delivery.tls-required-header says ignore")
    void tlsRequiredHeaderIsHonouredByDefaultAndChecked() throws Exception {
        assertThat(loader.load("", "r").delivery().tlsRequiredHeader())
                .isEqualTo(DeliveryConfig.TlsRequiredHeader.HONOR);
        assertThat(loader.load("delivery:\n  tls-required-header: ignore\n", "r")
                        .delivery()
                        .tlsRequiredHeader())
                .isEqualTo(DeliveryConfig.TlsRequiredHeader.IGNORE);
        assertThat(loader.load("delivery:\n  tls-required-header: honor\n", "r")
                        .delivery()
                        .tlsRequiredHeader())
                .isEqualTo(DeliveryConfig.TlsRequiredHeader.HONOR);
        assertThat(problemsOf("""
                delivery:
                  tls-required-header: refuse
                """).problems())
                .containsExactly("relay.yaml: delivery.tls-required-header: \"refuse\" is not honor or ignore");
        assertThat(problemsOf("""
                delivery:
                  tls-required-header: Ignore
                  tls-required-headers: ignore
                """).problems())
                .containsExactlyInAnyOrder(
                        "relay.yaml: delivery.tls-required-header: \"Ignore\" is not honor or ignore",
                        "relay.yaml: delivery.tls-required-headers: unknown key (did you mean \"tls-required-header\"?)");
    }

    @Test
    void tlsRptIdentityDefaultsFromHostnameAndDkimNeedsAllThree(@TempDir Path dir) throws Exception {
        TlsRptConfig t = loader.load("hostname: relay.example.net\n", "r").tlsrpt();
        assertThat(t.contactInfo()).isEqualTo("postmaster@relay.example.net");
        assertThat(t.submitter()).isEqualTo("relay.example.net");
        assertThat(t.from()).isEqualTo("tlsrpt-noreply@relay.example.net");
        assertThat(t.dkim()).isEmpty();
        assertThat(t.retryFor()).isEqualTo(Duration.ofHours(24));
        Path key = Files.writeString(dir.resolve("dkim.pem"), "x");
        assertThat(loader.load(
                                "tlsrpt:\n  dkim:\n    domain: example.net\n    selector: tlsrpt\n    private-key: "
                                        + key + "\n",
                                "r")
                        .tlsrpt()
                        .dkim())
                .contains(new TlsRptConfig.Dkim("example.net", "tlsrpt", key));
        assertThat(problemsOf("""
                tlsrpt:
                  contact-info: nobody
                  dkim:
                    domain: example.net
                """).problems())
                .containsExactlyInAnyOrder(
                        "relay.yaml: tlsrpt.contact-info: \"nobody\" is not an address (e.g. tlsrpt@example.net)",
                        "relay.yaml: tlsrpt.dkim.selector: is empty, but DKIM signing needs domain, selector and private-key");
    }
}
