package org.stsrelay.world;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Signs the world's answers online with one root-zone key (dnsjava's {@code DNSSEC.sign}), so the relay can
 * validate them from the world's anchor: RRSIG on every answer, NSEC-proven denials (RFC 4035 §3.1).
 */
final class WorldSigner {

    private final KeyPair key;
    private final DNSKEYRecord dnskey;
    private final SOARecord soa;
    private final long ttl;

    private WorldSigner(KeyPair key, DNSKEYRecord dnskey, long ttl) {
        this.key = key;
        this.dnskey = dnskey;
        this.ttl = ttl;
        // RFC 2308 §5: a denial is cached for the smaller of the SOA's TTL and its minimum, so both are the world's TTL.
        this.soa = new SOARecord(Name.root, DClass.IN, ttl, Name.root, Name.root, 1, 3600, 600, 86400, ttl);
    }

    /** A signer with a new ECDSA P-256 key for the root zone, whose key and denials carry {@code ttl} seconds. */
    static WorldSigner create(long ttl) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair key = generator.generateKeyPair();
            // Flags 257: a zone key that is also the secure entry point the anchor names (RFC 4034 §2.1.1).
            return new WorldSigner(key, new DNSKEYRecord(Name.root, DClass.IN, ttl, 257, 3,
                    DNSSEC.Algorithm.ECDSAP256SHA256, key.getPublic()), ttl);
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot create the world's zone key", e);
        }
    }

    /** The root DNSKEY record the world serves. */
    DNSKEYRecord dnskey() {
        return dnskey;
    }

    /** The trust-anchor file text ({@code dns.trust-anchors}): the DS of the world's root key. */
    String anchorText() {
        return new DSRecord(Name.root, DClass.IN, 0, DNSSEC.Digest.SHA256, dnskey) + "\n";
    }

    /** Adds the RRSIG of {@code rrset} to {@code section}. */
    void sign(Message response, List<Record> rrset, int section) {
        if (!rrset.isEmpty()) {
            RRset set = new RRset();
            rrset.forEach(set::addRR);
            response.addRecord(signature(set), section);
        }
    }

    /**
     * Proves that {@code qname} has no records of the asked type: the SOA, and an NSEC at {@code qname} listing
     * only the types it has (an NXDOMAIN is answered as such a NODATA, as online signers do to avoid zone walking).
     */
    void deny(Message response, Name qname, Set<Integer> typesPresent) {
        TreeSet<Integer> types = new TreeSet<>(typesPresent);
        types.add(Type.NSEC);
        types.add(Type.RRSIG);
        NSECRecord nsec = new NSECRecord(qname, DClass.IN, ttl, successor(qname),
                types.stream().mapToInt(Integer::intValue).toArray());
        response.addRecord(soa, Section.AUTHORITY);
        sign(response, List.of(soa), Section.AUTHORITY);
        response.addRecord(nsec, Section.AUTHORITY);
        sign(response, List.of(nsec), Section.AUTHORITY);
    }

    // RFC 4034 §6.1: "\000.<name>" is the first name after <name> in canonical order.
    private static Name successor(Name name) {
        try {
            return Name.concatenate(Name.fromString("\\000"), name);
        } catch (TextParseException | NameTooLongException e) {
            return name;
        }
    }

    private RRSIGRecord signature(RRset set) {
        Instant now = Instant.now();
        try {
            return DNSSEC.sign(set, dnskey, key.getPrivate(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)));
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot sign " + set.getName(), e);
        }
    }
}
