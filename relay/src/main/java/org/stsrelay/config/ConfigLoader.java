package org.stsrelay.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

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
        top.rejectUnknownKeys();
        if (!problems.isEmpty()) {
            List<String> lines = new ArrayList<>(problems.size());
            for (String p : problems) {
                lines.add(name + ": " + p);
            }
            throw new ConfigException(lines);
        }
        return new RelayConfig(hostname, inbound, spool, metrics);
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
        Optional<InboundConfig.TlsFiles> tls = tls(s.section("tls"));
        Section auth = s.section("auth");
        Path users = readableFile(auth, "users-file");
        auth.rejectUnknownKeys();
        if (users != null && tls.isEmpty()) {
            auth.problem(auth.keyPath("users-file"),
                    "AUTH needs STARTTLS: set inbound.tls.certificate and inbound.tls.private-key too");
        }
        s.rejectUnknownKeys();
        return new InboundConfig(listen, networks, maxSize, (int) maxLine, maxRecipients, maxConnections,
                perIp, badCommands, commandTimeout, dataTimeout, tls, Optional.ofNullable(users));
    }

    private Optional<InboundConfig.TlsFiles> tls(Section s) {
        Path cert = readableFile(s, "certificate");
        Path key = readableFile(s, "private-key");
        s.rejectUnknownKeys();
        if ((cert == null) != (key == null)) {
            s.problem(s.keyPath(cert == null ? "certificate" : "private-key"),
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
        s.rejectUnknownKeys();
        return new SpoolConfig(dir, segment, (int) buffer);
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
            msg += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return msg.replace('\n', ' ');
    }
}
