package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.stsrelay.policy.testing.LoopbackDnsServer;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The world's DNS: a loopback server (UDP and TCP on one port) authoritative for a root zone signed online
 * from the world's own key, and for the unsigned zones a test delegates from it. Tests edit the records while
 * the relay runs; any other name does not exist. Records have TTL 0 by default so that the relay never answers a
 * later question from its own cache of an earlier answer; the delivery benchmark gives them a realistic TTL, so
 * the relay's cache works as it does in production.
 */
public final class WorldDns implements AutoCloseable {

    /** The root's name server: a name only, since every query comes straight to this server. */
    private static final String ROOT_SERVER = "ns.world.";

    private final long ttl;
    private final WorldRecords records;
    private final WorldSigner signer = WorldSigner.create();
    private final AtomicLong queries = new AtomicLong();
    private final Map<Integer, AtomicLong> queriesByType = new ConcurrentHashMap<>();
    private volatile WorldDenial denial;
    private final LoopbackDnsServer server;

    private WorldDns(long ttl) throws IOException {
        this.ttl = ttl;
        this.records = new WorldRecords(ttl);
        this.denial = WorldDenial.nsec(ttl);
        records.put(Name.root, Type.DNSKEY, List.of(signer.dnskey()));
        records.put(Name.root, Type.SOA, List.of(records.soa(Name.root)));
        records.put(Name.root, Type.NS, List.of(new NSRecord(Name.root, DClass.IN, ttl, name(ROOT_SERVER))));
        this.server = LoopbackDnsServer.start("world-dns", (query, overTcp) -> answer(query));
    }

    /** The trust-anchor file text for {@code dns.trust-anchors}: every answer of this world is signed from it. */
    public String anchorText() {
        return anchorRecord() + "\n";
    }

    /** The DS record of the world's root key on one line, as unbound's {@code trust-anchor:} takes it. */
    public String anchorRecord() {
        return signer.ds().toString();
    }

    /** Starts the server on a free port of 127.0.0.1, its records with TTL 0. */
    public static WorldDns start() {
        return start(Duration.ZERO);
    }

    /** Starts the server on a free port of 127.0.0.1, every record and denial with {@code ttl}. */
    public static WorldDns start(Duration ttl) {
        try {
            return new WorldDns(ttl.toSeconds());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the world's DNS server", e);
        }
    }

    /** {@code 127.0.0.1:port}, as {@code dns.servers} takes it. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Queries answered so far (UDP and TCP), to see how many lookups a resolver's cache spared. */
    public long queries() {
        return queries.get();
    }

    /** Queries of {@code type} (a {@link Type} value, e.g. {@code Type.TXT}) answered so far. */
    public long queries(int type) {
        AtomicLong counted = queriesByType.get(type);
        return counted == null ? 0 : counted.get();
    }

    /** The server's port on 127.0.0.1, UDP and TCP. */
    public int port() {
        return server.port();
    }

    /** Replaces the MX set of {@code domain}; each host is given as preference and name. */
    public void mx(String domain, List<Mx> hosts) {
        List<Record> mx = new ArrayList<>();
        for (Mx host : hosts) {
            mx.add(new MXRecord(name(domain), DClass.IN, ttl, host.preference(), name(host.host())));
        }
        records.put(name(domain), Type.MX, mx);
    }

    /** Replaces the A record of {@code host}. */
    public void a(String host, InetAddress address) {
        records.put(name(host), Type.A, List.of(new ARecord(name(host), DClass.IN, ttl, address)));
    }

    /** Replaces the TXT record of {@code owner} with one record holding {@code text}. */
    public void txt(String owner, String text) {
        records.put(name(owner), Type.TXT, List.of(new TXTRecord(name(owner), DClass.IN, ttl, text)));
    }

    /**
     * Replaces the TXT record of {@code owner} with one record of several character-strings, as a text over 255 bytes
     * must be published (RFC 1035 §3.3.14); readers such as DKIM join them (RFC 6376 §3.6.2.2).
     */
    public void txt(String owner, List<String> strings) {
        records.put(name(owner), Type.TXT, List.of(new TXTRecord(name(owner), DClass.IN, ttl, strings)));
    }

    /** Replaces the TLSA records of {@code _25._tcp.<host>}, each in presentation form (e.g. {@code "3 1 1 ab12..."}). */
    public void tlsa(String host, List<String> tlsa) {
        Name owner = name("_25._tcp." + host);
        List<Record> parsed = new ArrayList<>();
        for (String text : tlsa) {
            try {
                parsed.add(Record.fromString(owner, Type.TLSA, DClass.IN, ttl, text, Name.root));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a TLSA record: " + text, e);
            }
        }
        records.put(owner, Type.TLSA, parsed);
    }

    /**
     * Makes {@code name} an alias of {@code target} (RFC 1034 §3.6.2); answers for the name carry the CNAME and
     * then the target's records, each part signed or not as the zone it lies in.
     */
    public void cname(String name, String target) {
        records.put(name(name), Type.CNAME, List.of(new CNAMERecord(name(name), DClass.IN, ttl, name(target))));
    }

    /**
     * Delegates {@code zone} from the signed root without a DS record: the root proves with a signed NSEC (or
     * NSEC3) at the zone's apex whose bitmap has NS but no DS that the delegation is insecure (RFC 4035 §5.2), and
     * every answer at or under the zone comes without RRSIG, NSEC or NSEC3, so a validator finds it INSECURE.
     */
    public void unsignedZone(String zone) {
        records.addUnsignedZone(name(zone));
    }

    /**
     * Proves denials with NSEC3 (RFC 5155: SHA-1, no extra iterations, no salt, an NSEC3PARAM at the apex) when
     * {@code nsec3} is true, with NSEC (RFC 4034 §4, the default) when false.
     */
    public void useNsec3(boolean nsec3) {
        records.put(Name.root, Type.NSEC3PARAM, nsec3 ? List.of(WorldDenial.params()) : List.of());
        denial = nsec3 ? WorldDenial.nsec3(ttl) : WorldDenial.nsec(ttl);
    }

    /**
     * Serves the RRset of {@code name} and {@code type} (a {@link Type} value, e.g. {@code Type.TLSA}) with an
     * RRSIG whose signature does not verify, so a validator finds the answer BOGUS (RFC 4035 §5.5).
     */
    public void bogus(String name, int type) {
        records.breakSignature(name(name), type);
    }

    /** One MX of a domain. */
    public record Mx(int preference, String host) {}

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + text, e);
        }
    }

    private byte[] answer(byte[] wire) throws IOException {
        queries.incrementAndGet();
        Message query = new Message(wire);
        if (query.getQuestion() != null) {
            queriesByType
                    .computeIfAbsent(query.getQuestion().getType(), type -> new AtomicLong())
                    .incrementAndGet();
        }
        return new WorldAnswer(records, signer, denial).respond(query).toWire();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
