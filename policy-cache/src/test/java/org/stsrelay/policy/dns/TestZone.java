package org.stsrelay.policy.dns;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A zone for test DNS servers, signed with dnsjava (one ECDSA P-256 key, DNSKEY, RRSIG, NSEC chain, DS for
 * signed children; RFC 4035 §2) or left unsigned; {@link TestDnsServer#publish} serves it.
 */
public final class TestZone {

    private static final long TTL = 300;

    private final Name origin;
    private final KeyPair key;
    private final DNSKEYRecord dnskey;
    private final List<Record> data = new ArrayList<>();

    private TestZone(Name origin, boolean signed) {
        this.origin = origin;
        if (signed) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                key = generator.generateKeyPair();
                // Flags 257: a zone key that is also a secure entry point, signing every RRset (RFC 4034 §2.1.1).
                dnskey = new DNSKEYRecord(
                        origin, DClass.IN, TTL, 257, 3, DNSSEC.Algorithm.ECDSAP256SHA256, key.getPublic());
            } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
                throw new IllegalStateException("cannot create a zone key", e);
            }
        } else {
            key = null;
            dnskey = null;
        }
    }

    /** A zone signed with a new key. */
    public static TestZone signed(String origin) {
        return new TestZone(TestDnsServer.name(origin), true);
    }

    /** A zone without DNSSEC records. */
    public static TestZone unsigned(String origin) {
        return new TestZone(TestDnsServer.name(origin), false);
    }

    /** The zone's apex. */
    public Name origin() {
        return origin;
    }

    /** Whether the zone is signed. */
    public boolean isSigned() {
        return key != null;
    }

    /** Adds an authoritative record, parsed from zone-file text relative to the origin (e.g. {@code "mx A 127.0.0.1"}). */
    public TestZone add(String line) {
        try {
            String[] parts = line.trim().split("\\s+", 3);
            Name owner = Name.fromString(parts[0], origin);
            data.add(Record.fromString(owner, Type.value(parts[1]), DClass.IN, TTL, parts[2], origin));
            return this;
        } catch (IOException bad) {
            throw new IllegalArgumentException("bad record: " + line, bad);
        }
    }

    /** Adds an authoritative record. */
    public TestZone add(Record record) {
        data.add(record);
        return this;
    }

    /** Delegates {@code child} from this zone: NS, and a DS when the child is signed (RFC 4035 §2.4). */
    public TestZone delegate(TestZone child) {
        data.add(new NSRecord(child.origin, DClass.IN, TTL, child.origin));
        if (child.isSigned()) {
            data.add(child.ds());
        }
        return this;
    }

    /** The DS record of this zone's key, as its parent and a trust-anchor file hold it. */
    public DSRecord ds() {
        return new DSRecord(origin, DClass.IN, TTL, DNSSEC.Digest.SHA256, Objects.requireNonNull(dnskey, "unsigned"));
    }

    /** The trust-anchor file text for this zone, as {@code dns.trust-anchors} reads it. */
    public String anchorText() {
        return ds() + "\n";
    }

    /** Every record to serve: the data, SOA, and when signed the DNSKEY, NSEC chain and RRSIGs. */
    public List<Record> records() {
        List<Record> all = new ArrayList<>(data);
        all.add(new SOARecord(origin, DClass.IN, TTL, origin, origin, 1, 3600, 600, 86400, TTL));
        if (!isSigned()) {
            return all;
        }
        all.add(dnskey);
        all.addAll(nsecChain(all));
        return sign(all);
    }

    // RFC 4034 §4.1: each owner name points to the next in canonical order; the last points back to the apex.
    private List<Record> nsecChain(List<Record> records) {
        TreeMap<Name, TreeSet<Integer>> types = new TreeMap<>();
        for (Record record : records) {
            types.computeIfAbsent(record.getName(), n -> new TreeSet<>()).add(record.getType());
        }
        List<Name> owners = new ArrayList<>(types.keySet());
        List<Record> chain = new ArrayList<>();
        for (int i = 0; i < owners.size(); i++) {
            Name owner = owners.get(i);
            TreeSet<Integer> present = types.get(owner);
            present.add(Type.NSEC);
            // An unsigned delegation point has no RRSIG of its own but its NSEC (RFC 4035 §2.3).
            present.add(Type.RRSIG);
            int[] bitmap = present.stream().mapToInt(Integer::intValue).toArray();
            chain.add(new NSECRecord(owner, DClass.IN, TTL, owners.get((i + 1) % owners.size()), bitmap));
        }
        return chain;
    }

    // RFC 4035 §2.2: every authoritative RRset is signed; delegation NS RRsets are not.
    private List<Record> sign(List<Record> records) {
        Map<String, RRset> sets = new LinkedHashMap<>();
        for (Record record : records) {
            sets.computeIfAbsent(record.getName() + "/" + record.getType(), k -> new RRset())
                    .addRR(record);
        }
        List<Record> signed = new ArrayList<>(records);
        Instant now = Instant.now();
        for (RRset set : sets.values()) {
            if (set.getType() == Type.NS && !set.getName().equals(origin)) {
                continue;
            }
            try {
                signed.add(DNSSEC.sign(
                        set, dnskey, key.getPrivate(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
            } catch (DNSSEC.DNSSECException e) {
                throw new IllegalStateException("cannot sign " + set.getName(), e);
            }
        }
        return signed;
    }
}
