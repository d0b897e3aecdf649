package org.stsrelay.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.stsrelay.policy.dns.DnssecAnchors;
import org.stsrelay.policy.dns.DnssecMode;
import org.stsrelay.support.PemFiles;

/**
 * Reads and validates the relay's YAML configuration in one pass. Defaults live here and only here;
 * config/relay.yaml documents the same values.
 */
public final class ConfigLoader {

    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final long MAX_MESSAGE_SIZE = 2L * 1024 * 1024 * 1024;

    private final ObjectMapper yaml;

    public ConfigLoader() {
        YAMLFactory factory = YAMLFactory.builder().build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.yaml = new ObjectMapper(factory);
    }

    /** Loads {@code file}; every problem is reported in the exception, each line prefixed with the file name. */
    public RelayConfig load(Path file) throws ConfigException {
        String name = file.toString();
        JsonNode root;
        try {
            root = parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(name + ": no such file"));
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(name + ": not valid YAML: " + describe(e)));
        } catch (IOException e) {
            throw new ConfigException(List.of(name + ": cannot be read: " + e.getMessage()));
        }
        return bind(root, name);
    }

    /** Loads configuration text; {@code name} prefixes every problem line. */
    public RelayConfig load(String text, String name) throws ConfigException {
        try {
            return bind(parse(text), name);
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(name + ": not valid YAML: " + describe(e)));
        }
    }

    private JsonNode parse(String text) throws JsonProcessingException {
        JsonNode root = yaml.readTree(text);
        return root == null ? MissingNode.getInstance() : root;
    }

    private RelayConfig bind(JsonNode root, String name) throws ConfigException {
        List<String> problems = new ArrayList<>();
        Section top = new Section(root, "", problems);
        String hostname = top.string("hostname", "localhost");
        if (!HOSTNAME.matcher(hostname).matches()) {
            top.problem("hostname", "\"" + hostname + "\" is not a host name (e.g. relay.example.net)");
        }
        InboundConfig inbound = inbound(top.section("inbound"));
        SpoolConfig spool = spool(top.section("spool"));
        MetricsConfig metrics = metrics(top.section("metrics"));
        DnsConfig dns = dns(top.section("dns"));
        TlsConfig tls = clientTls(top.section("tls"));
        MtaStsConfig mtaSts = mtaSts(top.section("mta-sts"), tls);
        DeliveryConfig delivery = delivery(top.section("delivery"));
        // A bad hostname is reported once, above; the report identity's defaults must not repeat it.
        TlsRptConfig tlsrpt =
                tlsrpt(top.section("tlsrpt"), HOSTNAME.matcher(hostname).matches() ? hostname : "localhost");
        DaneConfig dane = dane(top.section("dane"));
        ClusterConfig cluster = cluster(top.section("cluster"));
        OwnerSiteConfig ownerSite = ownerSite(top.section("owner-site"));
        ReceivedConfig received = received(top.section("received"));
        top.rejectUnknownKeys();
        if (!problems.isEmpty()) {
            List<String> lines = new ArrayList<>(problems.size());
            for (String p : problems) {
                lines.add(name + ": " + p);
            }
            throw new ConfigException(lines);
        }
        return new RelayConfig(
                hostname, inbound, spool, metrics, dns, tls, mtaSts, delivery, tlsrpt, dane, cluster, ownerSite,
                received);
    }

    private InboundConfig inbound(Section s) {
        int before = s.problemCount();
        List<HostPort> listen = s.list("listen", List.of("127.0.0.1:2525"), HostPort::parse);
        if (listen.isEmpty() && s.problemCount() == before) {
            s.problem(s.keyPath("listen"), "must name at least one address");
        }
        List<Cidr> networks = s.list("allowed-networks", List.of("127.0.0.0/8", "::1/128"), Cidr::parse);
        long maxSize = s.size("max-message-size", "50MB", 1024, MAX_MESSAGE_SIZE);
        long maxLine = s.size("max-line-length", "64KiB", 998, 16L * 1024 * 1024);
        int maxRecipients = s.integer("max-recipients", 1000, 1, 100_000);
        int maxConnections = s.integer("max-connections", 1000, 1, 1_000_000);
        int perIp = s.integer("max-connections-per-ip", 100, 1, 1_000_000);
        int badCommands = s.integer("max-bad-commands", 20, 1, 10_000);
        Duration commandTimeout = s.duration("command-timeout", "5m", Duration.ofSeconds(1), Duration.ofHours(1));
        Duration dataTimeout = s.duration("data-timeout", "5m", Duration.ofSeconds(1), Duration.ofHours(1));
        Duration dataTotal = s.duration("data-total-timeout", "30m", Duration.ofSeconds(1), Duration.ofHours(6));
        Optional<InboundConfig.TlsFiles> tls = tls(s.section("tls"));
        Section auth = s.section("auth");
        Path users = readableFile(auth, "users-file");
        InboundConfig.AuthFailures failures = authFailures(auth);
        auth.rejectUnknownKeys();
        if (users != null && tls.isEmpty()) {
            auth.problem(
                    auth.keyPath("users-file"),
                    "AUTH needs STARTTLS: set inbound.tls.certificate and inbound.tls.private-key too");
        }
        s.rejectUnknownKeys();
        return new InboundConfig(
                listen,
                networks,
                maxSize,
                (int) maxLine,
                maxRecipients,
                maxConnections,
                perIp,
                badCommands,
                commandTimeout,
                dataTimeout,
                dataTotal,
                tls,
                Optional.ofNullable(users),
                failures);
    }

    // RFC 4954 §9: a server that drops connections after failed AUTH SHOULD NOT do so before 3 failures.
    private static InboundConfig.AuthFailures authFailures(Section s) {
        int max = s.integer("max-failures", 5, 3, 1000);
        Duration window = s.duration("failure-window", "15m", Duration.ofSeconds(1), Duration.ofDays(1));
        Duration delay = s.duration("failure-delay", "1s", Duration.ZERO, Duration.ofMinutes(1));
        Duration maxDelay = s.duration("max-failure-delay", "10s", Duration.ZERO, Duration.ofMinutes(1));
        if (maxDelay.compareTo(delay) < 0) {
            s.problem(s.keyPath("max-failure-delay"), "is shorter than failure-delay (" + Units.format(delay) + ")");
            maxDelay = delay;
        }
        return new InboundConfig.AuthFailures(max, window, delay, maxDelay);
    }

    private Optional<InboundConfig.TlsFiles> tls(Section s) {
        Path cert = readableFile(s, "certificate");
        Path key = readableFile(s, "private-key");
        s.rejectUnknownKeys();
        if ((cert == null) != (key == null)) {
            s.problem(
                    s.keyPath(cert == null ? "certificate" : "private-key"),
                    "is empty, but STARTTLS needs both certificate and private-key");
            return Optional.empty();
        }
        return cert == null ? Optional.empty() : Optional.of(new InboundConfig.TlsFiles(cert, key));
    }

    private SpoolConfig spool(Section s) {
        Path dir = s.path("directory");
        if (dir == null) {
            dir = Path.of("data/spool");
        }
        long segment = s.size("segment-size", "64MiB", 1024 * 1024, 1L << 40);
        long buffer = s.size("memory-buffer", "1MiB", 4096, 256L * 1024 * 1024);
        long budget = s.size("memory-budget", "64MiB", 0, 1L << 40);
        Duration stateSync = s.duration("state-sync-delay", "1s", Duration.ZERO, Duration.ofSeconds(10));
        long contentCache = s.size("content-cache", "32MiB", 0, 1L << 34);
        Duration commitWindow = s.duration("commit-window", "2ms", Duration.ZERO, Duration.ofMillis(20));
        s.rejectUnknownKeys();
        return new SpoolConfig(dir, segment, (int) buffer, budget, stateSync, contentCache, commitWindow);
    }

    private MetricsConfig metrics(Section s) {
        String listen = s.string("listen", "127.0.0.1:9464");
        s.rejectUnknownKeys();
        if (listen.isBlank()) {
            return new MetricsConfig(Optional.empty());
        }
        try {
            return new MetricsConfig(Optional.of(HostPort.parse(listen)));
        } catch (IllegalArgumentException e) {
            s.problem(s.keyPath("listen"), "\"" + listen + "\" " + e.getMessage());
            return new MetricsConfig(Optional.empty());
        }
    }

    private DnsConfig dns(Section s) {
        List<HostPort> servers = s.list("servers", List.of(), ConfigLoader::dnsServer);
        Duration timeout = s.duration("timeout", "5s", Duration.ofMillis(100), Duration.ofMinutes(1));
        int retries = s.integer("retries", 2, 0, 10);
        DnssecMode dnssec = dnssecMode(s, servers);
        Path anchors = readableFile(s, "trust-anchors");
        if (anchors != null && Files.isReadable(anchors)) {
            DnssecAnchors.problem(anchors)
                    .ifPresent(what -> s.problem(s.keyPath("trust-anchors"), "\"" + anchors + "\" " + what));
        }
        s.rejectUnknownKeys();
        DnsConfig dns = new DnsConfig(servers, timeout, retries, dnssec, Optional.ofNullable(anchors));
        checkSettings(s, "dns", dns::settings);
        return dns;
    }

    private static DnssecMode dnssecMode(Section s, List<HostPort> servers) {
        String value = s.switchValue("dnssec", "validate");
        switch (value) {
            case "validate":
                return DnssecMode.VALIDATE;
            case "off":
                return DnssecMode.OFF;
            case "resolver":
                // RFC 6840 §5.7, RFC 4035 §4.9.3: an AD bit is only worth trusting from a validating resolver on
                // this host; across a network anyone on the path can set it.
                if (servers.isEmpty() || !servers.stream().allMatch(ConfigLoader::isLoopback)) {
                    s.problem(
                            s.keyPath("dnssec"),
                            "\"resolver\" trusts the AD bit, so every dns.servers entry must "
                                    + "be a loopback address (a validating resolver on this host); got "
                                    + (servers.isEmpty() ? "the system resolvers" : servers));
                }
                return DnssecMode.RESOLVER;
            default:
                s.problem(s.keyPath("dnssec"), "\"" + value + "\" is not validate, resolver or off");
                return DnssecMode.VALIDATE;
        }
    }

    private static boolean isLoopback(HostPort server) {
        try {
            return InetAddress.getByName(server.host()).isLoopbackAddress();
        } catch (UnknownHostException notLiteral) {
            return false;
        }
    }

    // dnsjava needs addresses to send queries to; a resolver named by a host name would need a resolver first.
    private static HostPort dnsServer(String text) {
        HostPort server = HostPort.parse(text);
        if (server.port() == 0) {
            throw new IllegalArgumentException("has port 0; a DNS server needs a port 1-65535");
        }
        try {
            Cidr.parse(server.host());
        } catch (IllegalArgumentException notAnAddress) {
            throw new IllegalArgumentException("is not an IP address and port (e.g. 127.0.0.1:53 or [::1]:53)");
        }
        return server;
    }

    private TlsConfig clientTls(Section s) {
        Path file = readableFile(s, "extra-ca-file");
        s.rejectUnknownKeys();
        if (file == null || !Files.isReadable(file)) {
            return new TlsConfig(Optional.ofNullable(file), List.of());
        }
        try {
            return new TlsConfig(Optional.of(file), PemFiles.certificates(file));
        } catch (IOException e) {
            s.problem(
                    s.keyPath("extra-ca-file"),
                    "\"" + file + "\" is not a PEM file of CA certificates: " + e.getMessage());
            return new TlsConfig(Optional.of(file), List.of());
        }
    }

    private MtaStsConfig mtaSts(Section s, TlsConfig tls) {
        Path store = s.path("store-directory");
        MtaStsConfig config = new MtaStsConfig(
                store == null ? Path.of("data/policies") : store,
                s.duration("id-recheck-interval", "5m", Duration.ofMinutes(1), Duration.ofDays(1)),
                s.bool("require-text-plain", true),
                s.duration("fetch-connect-timeout", "10s", Duration.ofSeconds(1), Duration.ofMinutes(5)),
                s.duration("fetch-timeout", "1m", Duration.ofSeconds(1), Duration.ofMinutes(10)),
                s.integer("max-concurrent-fetches", 16, 1, 1024),
                s.integer("fetch-port", 443, 1, 65535),
                enforcement(s));
        s.rejectUnknownKeys();
        checkSettings(s, "mta-sts", config::cacheSettings);
        checkSettings(s, "mta-sts", () -> config.fetchSettings(tls.extraCertificates()));
        return config;
    }

    private static ClusterConfig cluster(Section s) {
        String url = s.string("database", "");
        String user = s.string("user", "stsrelay");
        Path passwordFile = s.path("password-file");
        String node = s.string("node-name", "");
        Duration ship = s.duration("ship-interval", "10s", Duration.ofSeconds(1), Duration.ofMinutes(5));
        s.rejectUnknownKeys();
        if (url.isBlank()) {
            return ClusterConfig.SINGLE_NODE;
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            s.problem(
                    s.keyPath("database"),
                    "\"" + url + "\" is not a PostgreSQL JDBC URL " + "(jdbc:postgresql://host:5432/stsrelay)");
        }
        if (user.isBlank()) {
            s.problem(s.keyPath("user"), "must name the database user");
        }
        if (passwordFile != null && !Files.isReadable(passwordFile)) {
            s.problem(s.keyPath("password-file"), "cannot read " + passwordFile);
        }
        if (node.isBlank()) {
            node = NodeNames.localHost();
        } else if (!NodeNames.isValid(node)) {
            s.problem(s.keyPath("node-name"), "\"" + node + "\" is not a node name (1 to 63 of a-z, A-Z, 0-9, . _ -)");
        }
        return new ClusterConfig(
                Optional.of(new ClusterConfig.Database(url, user, Optional.ofNullable(passwordFile), node, ship)));
    }

    private static OwnerSiteConfig ownerSite(Section s) {
        String listen = s.string("listen", "");
        Path directory = s.path("domains-directory");
        Duration reload = s.duration("reload-interval", "5s", Duration.ofMillis(100), Duration.ofMinutes(10));
        s.rejectUnknownKeys();
        if (listen.isBlank()) {
            return new OwnerSiteConfig(
                    Optional.empty(), directory == null ? OwnerSiteConfig.OFF.domainsDirectory() : directory, reload);
        }
        HostPort address = null;
        try {
            address = HostPort.parse(listen);
        } catch (IllegalArgumentException e) {
            s.problem(s.keyPath("listen"), "\"" + listen + "\" " + e.getMessage());
        }
        if (directory == null) {
            s.problem(
                    s.keyPath("domains-directory"),
                    "must be set when owner-site.listen is: one directory per domain with mta-sts.txt, cert.pem, key.pem");
        } else if (!Files.isDirectory(directory)) {
            s.problem(s.keyPath("domains-directory"), directory + " is not a directory");
        }
        return new OwnerSiteConfig(
                Optional.ofNullable(address),
                directory == null ? OwnerSiteConfig.OFF.domainsDirectory() : directory,
                reload);
    }

    private static ReceivedConfig received(Section s) {
        Path directory = s.path("directory");
        long maxSize = s.size("max-report-size", "10MB", 1024, 1_000_000_000L);
        long maxExpanded = s.size("max-expanded-size", "50MB", 1024, 4_000_000_000L);
        int days = s.integer("ready-days", 14, 1, 365);
        int organisations = s.integer("ready-organisations", 2, 1, 1000);
        int labelled = s.integer("metrics-organisations", 10, 0, 100);
        int postedPerDay = s.integer("max-posted-per-day", ReceivedConfig.MAX_POSTED_PER_DAY, 1, 10_000_000);
        s.rejectUnknownKeys();
        if (maxExpanded < maxSize) {
            s.problem(s.keyPath("max-expanded-size"), "must be at least received.max-report-size");
        }
        return new ReceivedConfig(
                directory == null ? ReceivedConfig.DEFAULT.directory() : directory,
                maxSize,
                maxExpanded,
                days,
                organisations,
                labelled,
                postedPerDay);
    }

    private static DaneConfig dane(Section s) {
        String value = s.switchValue("mode", "enabled");
        DaneConfig.Mode mode = switch (value) {
            case "enabled" -> DaneConfig.Mode.ENABLED;
            case "report-only" -> DaneConfig.Mode.REPORT_ONLY;
            case "off" -> DaneConfig.Mode.OFF;
            default -> {
                s.problem(s.keyPath("mode"), "\"" + value + "\" is not enabled, report-only or off");
                yield DaneConfig.Mode.ENABLED;
            }
        };
        s.rejectUnknownKeys();
        return new DaneConfig(mode);
    }

    private static MtaStsConfig.Enforcement enforcement(Section s) {
        String value = s.string("enforcement", "published");
        return switch (value) {
            case "published" -> MtaStsConfig.Enforcement.PUBLISHED;
            case "report-only" -> MtaStsConfig.Enforcement.REPORT_ONLY;
            default -> {
                s.problem(s.keyPath("enforcement"), "\"" + value + "\" is not published or report-only");
                yield MtaStsConfig.Enforcement.PUBLISHED;
            }
        };
    }

    private DeliveryConfig delivery(Section s) {
        List<Duration> schedule =
                s.list("retry-schedule", List.of("5m", "10m", "20m", "40m", "1h"), ConfigLoader::retryDelay);
        if (schedule.isEmpty()) {
            s.problem(s.keyPath("retry-schedule"), "must name at least one wait, e.g. [\"5m\", \"1h\"]");
            schedule = List.of(Duration.ofMinutes(5));
        }
        int port = s.integer("port", 25, 1, 65535);
        boolean paused = s.bool("paused", false);
        Duration lifetime = s.duration("queue-lifetime", "5d", Duration.ofSeconds(1), Duration.ofDays(30));
        Duration delayNotice = s.duration("delay-notice", "4h", Duration.ZERO, Duration.ofDays(30));
        int maxConnections = s.integer("max-connections", 200, 1, 100_000);
        int perDomain = s.integer("max-connections-per-domain", 10, 1, 10_000);
        int perConnection = s.integer("max-messages-per-connection", 100, 1, 100_000);
        Duration idle = s.duration("connection-idle-timeout", "30s", Duration.ofSeconds(1), Duration.ofHours(1));
        boolean ipv4 = s.bool("ipv4", true);
        boolean ipv6 = s.bool("ipv6", true);
        if (!ipv4 && !ipv6) {
            s.problem(s.keyPath("ipv6"), "false, and ipv4 too: at least one address family must be on");
        }
        DeliveryConfig.Timeouts timeouts = timeouts(s.section("timeouts"));
        java.util.Map<String, DeliveryConfig.Override> overrides = overrides(s.section("overrides"));
        DeliveryConfig.TlsRequiredHeader tlsRequired = tlsRequiredHeader(s);
        s.rejectUnknownKeys();
        return new DeliveryConfig(
                port,
                paused,
                schedule,
                lifetime,
                delayNotice,
                maxConnections,
                perDomain,
                perConnection,
                idle,
                ipv4,
                ipv6,
                timeouts,
                overrides,
                tlsRequired);
    }

    private static DeliveryConfig.TlsRequiredHeader tlsRequiredHeader(Section s) {
        String value = s.string("tls-required-header", "honor");
        return switch (value) {
            case "honor" -> DeliveryConfig.TlsRequiredHeader.HONOR;
            case "ignore" -> DeliveryConfig.TlsRequiredHeader.IGNORE;
            default -> {
                s.problem(s.keyPath("tls-required-header"), "\"" + value + "\" is not honor or ignore");
                yield DeliveryConfig.TlsRequiredHeader.HONOR;
            }
        };
    }

    private static TlsRptConfig tlsrpt(Section s, String hostname) {
        boolean enabled = s.bool("enabled", true);
        Path directory = s.path("directory");
        String organization = s.string("organization-name", hostname);
        String contact = s.string("contact-info", "postmaster@" + hostname);
        if (!isAddress(contact)) {
            s.problem(s.keyPath("contact-info"), "\"" + contact + "\" is not an address (e.g. tlsrpt@example.net)");
            contact = "postmaster@" + hostname;
        }
        String from = s.string("from", "tlsrpt-noreply@" + contact.substring(contact.lastIndexOf('@') + 1));
        if (!isAddress(from)) {
            s.problem(s.keyPath("from"), "\"" + from + "\" is not an address (e.g. tlsrpt-noreply@example.net)");
        }
        Optional<TlsRptConfig.Dkim> dkim = dkim(s.section("dkim"));
        boolean onlyFailures = s.bool("only-failures", false);
        List<String> suppress = s.list("suppress", List.of(), text -> {
            String t = text.trim().toLowerCase(java.util.Locale.ROOT);
            if (t.isEmpty() || t.contains(" ")) {
                throw new IllegalArgumentException("is not an address or domain");
            }
            return t;
        });
        Duration window = s.duration("send-window", "4h", Duration.ZERO, Duration.ofHours(20));
        Duration retryFor = s.duration("retry-for", "24h", Duration.ofMinutes(1), Duration.ofDays(3));
        long maxSize = s.size("max-report-size", "10MB", 64 * 1024, 100_000_000L);
        s.rejectUnknownKeys();
        return new TlsRptConfig(
                enabled,
                directory == null ? Path.of("data/tlsrpt") : directory,
                organization,
                contact,
                from,
                dkim,
                onlyFailures,
                suppress,
                window,
                retryFor,
                maxSize);
    }

    private static Optional<TlsRptConfig.Dkim> dkim(Section s) {
        String domain = s.string("domain", "");
        String selector = s.string("selector", "");
        Path key = readableFile(s, "private-key");
        s.rejectUnknownKeys();
        if (domain.isEmpty() && selector.isEmpty() && key == null) {
            return Optional.empty();
        }
        if (domain.isEmpty() || selector.isEmpty() || key == null) {
            s.problem(
                    s.keyPath(domain.isEmpty() ? "domain" : selector.isEmpty() ? "selector" : "private-key"),
                    "is empty, but DKIM signing needs domain, selector and private-key");
            return Optional.empty();
        }
        if (!HOSTNAME.matcher(domain).matches()) {
            s.problem(s.keyPath("domain"), "\"" + domain + "\" is not a domain name");
        }
        return Optional.of(new TlsRptConfig.Dkim(domain.toLowerCase(java.util.Locale.ROOT), selector, key));
    }

    private static boolean isAddress(String text) {
        int at = text.lastIndexOf('@');
        return at > 0
                && at == text.indexOf('@')
                && HOSTNAME.matcher(text.substring(at + 1)).matches()
                && text.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>');
    }

    private static Duration retryDelay(String text) {
        Duration d = Units.parseDuration(text);
        if (d == null || d.isZero() || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("is not a duration from 1s to 1d (e.g. 5m)");
        }
        return d;
    }

    // RFC 5321 §4.5.3.2 client timeouts; connect and starttls are not in the RFC.
    private static DeliveryConfig.Timeouts timeouts(Section s) {
        Duration min = Duration.ofSeconds(1);
        Duration max = Duration.ofHours(1);
        DeliveryConfig.Timeouts t = new DeliveryConfig.Timeouts(
                s.duration("connect", "30s", min, max),
                s.duration("greeting", "5m", min, max),
                s.duration("ehlo", "5m", min, max),
                s.duration("starttls", "2m", min, max),
                s.duration("mail", "5m", min, max),
                s.duration("rcpt", "5m", min, max),
                s.duration("data-init", "2m", min, max),
                s.duration("data-block", "3m", min, max),
                s.duration("data-done", "10m", min, max));
        s.rejectUnknownKeys();
        return t;
    }

    private static java.util.Map<String, DeliveryConfig.Override> overrides(Section s) {
        java.util.Map<String, DeliveryConfig.Override> out = new java.util.TreeMap<>();
        for (String domain : s.keys()) {
            Section o = s.section(domain);
            String key = domain.toLowerCase(java.util.Locale.ROOT);
            if (!HOSTNAME.matcher(key).matches()) {
                s.problem(s.keyPath(domain), "is not a domain name");
            }
            String policy = o.string("mta-sts", "");
            if (!policy.isEmpty() && !List.of("enforce", "testing", "none").contains(policy)) {
                o.problem(o.keyPath("mta-sts"), "\"" + policy + "\" is not enforce, testing or none");
            }
            String hop = o.string("next-hop", "");
            Optional<HostPort> nextHop = Optional.empty();
            if (!hop.isEmpty()) {
                try {
                    nextHop = Optional.of(HostPort.parse(hop));
                } catch (IllegalArgumentException e) {
                    o.problem(o.keyPath("next-hop"), "\"" + hop + "\" " + e.getMessage());
                }
            }
            Optional<DeliveryConfig.DaneOverride> dane = daneOverride(o);
            o.rejectUnknownKeys();
            out.put(
                    key.endsWith(".") ? key.substring(0, key.length() - 1) : key,
                    new DeliveryConfig.Override(
                            policy.isEmpty() ? Optional.empty() : Optional.of(policy), nextHop, dane));
        }
        return out;
    }

    private static Optional<DeliveryConfig.DaneOverride> daneOverride(Section o) {
        String value = o.switchValue("dane", "");
        return switch (value) {
            case "" -> Optional.empty();
            case "require" -> Optional.of(DeliveryConfig.DaneOverride.REQUIRE);
            case "off" -> Optional.of(DeliveryConfig.DaneOverride.OFF);
            default -> {
                o.problem(o.keyPath("dane"), "\"" + value + "\" is not require or off");
                yield Optional.empty();
            }
        };
    }

    // The ranges above lie inside the policy module's limits; this reports, not throws, if they ever drift apart.
    private static void checkSettings(Section s, String sectionPath, Supplier<?> build) {
        try {
            build.get();
        } catch (IllegalArgumentException outOfRange) {
            s.problem(sectionPath, outOfRange.getMessage());
        }
    }

    private static Path readableFile(Section s, String key) {
        Path p = s.path(key);
        if (p != null && !Files.isReadable(p)) {
            s.problem(s.keyPath(key), "\"" + p + "\" " + (Files.exists(p) ? "cannot be read" : "does not exist"));
        }
        return p;
    }

    private static String describe(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (e.getLocation() != null) {
            msg += " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
        }
        return msg.replace('\n', ' ');
    }
}
