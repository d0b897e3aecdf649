package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.stsrelay.policy.fetch.TestCa;

/**
 * The Internet as the relay sees it in a test, all on loopback: a DNS server, the MTA-STS policy
 * hosts, MX servers on their own 127.0.0.x addresses (all on one delivery port), STARTTLS
 * strippers, and the test CA whose PEM the relay trusts. Tests build domains into it while the
 * relay runs and read back what every MX received.
 */
public final class LocalWorld implements AutoCloseable {

    /** Where a policy host that is "down" resolves: an address nothing listens on. */
    private static final int DEAD_ADDRESS = 19;

    private static final int FIRST_HOST_ADDRESS = 20;

    private final WorldCertificates certificates;
    private final WorldDns dns;
    private final PolicyHosts policyHosts;
    private final int fetchPort;
    private final int deliveryPort;
    private final Path trustAnchors;
    private final AtomicInteger nextAddress = new AtomicInteger(FIRST_HOST_ADDRESS);
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();
    private final List<ReceivedMessage> received = new CopyOnWriteArrayList<>();

    private LocalWorld(
            WorldCertificates certificates,
            WorldDns dns,
            PolicyHosts policyHosts,
            int fetchPort,
            int deliveryPort,
            Path trustAnchors) {
        this.trustAnchors = trustAnchors;
        this.certificates = certificates;
        this.dns = dns;
        this.policyHosts = policyHosts;
        this.fetchPort = fetchPort;
        this.deliveryPort = deliveryPort;
    }

    /** Mints the CAs into {@code directory} and starts the DNS server (records with TTL 0) and the policy hosts. */
    public static LocalWorld start(Path directory) {
        return start(directory, Duration.ZERO);
    }

    /** The same with every DNS record, key and denial published with {@code dnsTtl}, as the benchmark needs. */
    public static LocalWorld start(Path directory, Duration dnsTtl) {
        WorldCertificates certificates = WorldCertificates.create(directory);
        int fetchPort = FreePorts.next();
        WorldDns dns = WorldDns.start(dnsTtl);
        // The relay validates the world's signed answers from the world's own root anchor.
        Path anchors = directory.resolve("dnssec-anchors.txt");
        try {
            Files.writeString(anchors, dns.anchorText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the world's trust anchor", e);
        }
        return new LocalWorld(
                certificates, dns, PolicyHosts.start(certificates, fetchPort), fetchPort, FreePorts.next(), anchors);
    }

    /**
     * The relay configuration sections that place it in this world: {@code dns}, {@code tls},
     * {@code mta-sts} and {@code delivery}, with the given retry schedule, queue lifetime and
     * enforcement switch. The timeouts are generous: every failure a test provokes answers at once (a
     * refused connection, SERVFAIL, a bad certificate), so they only bound a broken world, and a
     * loaded CI machine (a fresh JVM doing its first TLS handshake) never trips them on a good path.
     */
    public String relayYaml(Path policyStore, String enforcement, Duration retry, Duration queueLifetime) {
        return """
                dns:
                  servers: ["%s"]
                  timeout: 5s
                  retries: 1
                  trust-anchors: "%s"
                tls:
                  extra-ca-file: "%s"
                mta-sts:
                  store-directory: "%s"
                  fetch-port: %d
                  fetch-connect-timeout: 10s
                  fetch-timeout: 30s
                  enforcement: %s
                delivery:
                  port: %d
                  retry-schedule: ["%ds"]
                  queue-lifetime: %ds
                  delay-notice: 0s
                  ipv6: false
                  timeouts:
                    connect: 10s
                    greeting: 30s
                    ehlo: 30s
                    starttls: 30s
                """.formatted(
                        dns.address(),
                        trustAnchors,
                        certificates.trustedCaFile(),
                        policyStore,
                        fetchPort,
                        enforcement,
                        deliveryPort,
                        retry.toSeconds(),
                        queueLifetime.toSeconds());
    }

    /** The port every MX listens on ({@code delivery.port}). */
    public int deliveryPort() {
        return deliveryPort;
    }

    /** The world's DNSSEC trust anchor ({@code dns.trust-anchors}). */
    public Path trustAnchors() {
        return trustAnchors;
    }

    /** The trusted test CA as PEM ({@code tls.extra-ca-file}). */
    public Path caFile() {
        return certificates.trustedCaFile();
    }

    /**
     * A key and chain for {@code host} signed by the trusted test CA, for servers a test runs itself
     * (e.g. an https TLS-RPT receiver) that the relay must trust through {@code tls.extra-ca-file}.
     */
    public TestCa.Issued trustedIdentity(String host) {
        return certificates.issue(host, CertificateKind.GOOD);
    }

    /** The world's DNS server, to edit records directly. */
    public WorldDns dns() {
        return dns;
    }

    /** The port senders fetch MTA-STS policies from in this world ({@code mta-sts.fetch-port}). */
    public int fetchPort() {
        return fetchPort;
    }

    /** A loopback address no server of this world uses, for a server the test starts itself. */
    public InetAddress freeAddress() {
        return newAddress();
    }

    /** A certificate for {@code host} from the CA the relay trusts, written as PEM: {@code cert} and {@code key}. */
    public void writeTrustedIdentity(String host, Path cert, Path key) {
        certificates.writePem(trustedIdentity(host), cert, key);
    }

    /** The policy hosts' server. */
    public PolicyHosts policyHosts() {
        return policyHosts;
    }

    /** Starts an MX named {@code host} on a new loopback address and publishes its A record. */
    public MxServer mx(String host, MxOptions options) {
        return mx(host, options, received::add);
    }

    /** The same, handing what it receives to {@code observer} instead of the world's log (see {@link #received()}). */
    public MxServer mx(String host, MxOptions options, Consumer<ReceivedMessage> observer) {
        MxServer server = MxServer.start(
                host, new InetSocketAddress(newAddress(), deliveryPort), options, certificates, observer);
        servers.add(server);
        dns.a(host, server.inetAddress());
        return server;
    }

    /**
     * Starts one MX on a new loopback address that answers as every host directly under {@code zone}: its
     * certificate names {@code *.<zone>} only (RFC 6125 §6.4.3: the wildcard covers exactly one label). No A record
     * is published; the caller publishes each host name it gives that address.
     */
    public MxServer wildcardMx(String zone, MxOptions options, Consumer<ReceivedMessage> observer) {
        MxServer server = MxServer.start(
                "*." + zone, new InetSocketAddress(newAddress(), deliveryPort), options, certificates, observer);
        servers.add(server);
        return server;
    }

    /** The same, logging what it receives in the world's log (see {@link #received()}). */
    public MxServer wildcardMx(String zone, MxOptions options) {
        return wildcardMx(zone, options, received::add);
    }

    /** Starts a STARTTLS stripper answering as {@code host} and forwarding to {@code upstream}. */
    public StartTlsStripper stripper(String host, MxServer upstream) {
        StartTlsStripper stripper =
                StartTlsStripper.start(new InetSocketAddress(newAddress(), deliveryPort), upstream.address());
        servers.add(stripper);
        dns.a(host, stripper.address().getAddress());
        return stripper;
    }

    /** Publishes the MX set of {@code domain}: the hosts in order, preferences 10, 20, ... */
    public void routes(String domain, String... hosts) {
        List<WorldDns.Mx> records = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            records.add(new WorldDns.Mx(10 * (i + 1), hosts[i]));
        }
        dns.mx(domain, records);
    }

    /**
     * Publishes an MTA-STS policy (RFC 8461 §3.1 TXT record with {@code id}, §3.2 policy body) for
     * {@code domain}, served by a reachable policy host.
     */
    public void publishPolicy(String domain, String id, String mode, List<String> mxPatterns) {
        publishPolicy(domain, id, mode, mxPatterns, Duration.ofDays(1));
    }

    /** The same with the policy's {@code max_age} (RFC 8461 §3.2), e.g. short, so that a soak sees it refreshed. */
    public void publishPolicy(String domain, String id, String mode, List<String> mxPatterns, Duration maxAge) {
        String body = "version: STSv1\r\nmode: " + mode + "\r\n"
                + mxPatterns.stream().map(mx -> "mx: " + mx + "\r\n").collect(Collectors.joining())
                + "max_age: " + maxAge.toSeconds() + "\r\n";
        policyHosts.serve(domain, body);
        dns.a("mta-sts." + domain, loopback(1));
        dns.txt("_mta-sts." + domain, "v=STSv1; id=" + id + ";");
    }

    /** Announces a new policy {@code id} while the policy host no longer answers (connection refused). */
    public void policyHostDown(String domain, String newId) {
        dns.a("mta-sts." + domain, loopback(DEAD_ADDRESS));
        dns.txt("_mta-sts." + domain, "v=STSv1; id=" + newId + ";");
    }

    /** Everything any MX of the world received, in arrival order. */
    public List<ReceivedMessage> received() {
        return List.copyOf(received);
    }

    /** Messages received for {@code recipient}. */
    public List<ReceivedMessage> receivedFor(String recipient) {
        return received.stream()
                .filter(message -> message.recipients().contains(recipient))
                .toList();
    }

    private InetAddress newAddress() {
        int n = nextAddress.getAndIncrement();
        if (n > 250 * 250) {
            throw new IllegalStateException("the world ran out of loopback addresses");
        }
        return loopback(n);
    }

    private static InetAddress loopback(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (n / 250), (byte) (n % 250)});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable server : servers) {
            try {
                server.close();
            } catch (Exception e) {
                // closing the rest matters more than this one's failure
            }
        }
        policyHosts.close();
        try {
            dns.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
