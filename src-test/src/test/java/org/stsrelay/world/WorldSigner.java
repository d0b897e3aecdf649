package org.stsrelay.world;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/**
 * Signs the world's answers online with one root-zone key (dnsjava's {@code DNSSEC.sign}), so a validator can
 * check them from the world's anchor (RFC 4035 §2.2).
 */
final class WorldSigner {

    /**
     * The key's TTL: unlike the world's data it may be cached, and must be, since a validator checks an NSEC3's
     * iteration count against the signing key it looks up again in its key cache (RFC 9276 §3.2).
     */
    private static final long KEY_TTL = 3600;

    private final KeyPair key;
    private final DNSKEYRecord dnskey;

    private WorldSigner(KeyPair key, DNSKEYRecord dnskey) {
        this.key = key;
        this.dnskey = dnskey;
    }

    /** A signer with a new ECDSA P-256 key for the root zone. */
    static WorldSigner create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair key = generator.generateKeyPair();
            // Flags 257: a zone key that is also the secure entry point the anchor names (RFC 4034 §2.1.1).
            return new WorldSigner(
                    key,
                    new DNSKEYRecord(
                            Name.root, DClass.IN, KEY_TTL, 257, 3, DNSSEC.Algorithm.ECDSAP256SHA256, key.getPublic()));
        } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot create the world's zone key", e);
        }
    }

    /** The root DNSKEY record the world serves. */
    DNSKEYRecord dnskey() {
        return dnskey;
    }

    /** The DS record of the world's root key, as a trust anchor. */
    DSRecord ds() {
        return new DSRecord(Name.root, DClass.IN, KEY_TTL, DNSSEC.Digest.SHA256, dnskey);
    }

    /** The RRSIG of {@code rrset} (records of one owner and type). */
    RRSIGRecord sign(List<Record> rrset) {
        RRset set = new RRset();
        rrset.forEach(set::addRR);
        Instant now = Instant.now();
        try {
            return DNSSEC.sign(
                    set, dnskey, key.getPrivate(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)));
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("cannot sign " + set.getName(), e);
        }
    }

    /**
     * An RRSIG of {@code rrset} that names the world's key but does not verify: the signature with one byte
     * flipped, so a validator finds the key and then rejects the signature (RFC 4035 §5.3.3).
     */
    RRSIGRecord signBroken(List<Record> rrset) {
        RRSIGRecord good = sign(rrset);
        byte[] signature = good.getSignature();
        signature[signature.length - 1] ^= 0x01;
        return new RRSIGRecord(
                good.getName(),
                good.getDClass(),
                good.getTTL(),
                good.getTypeCovered(),
                good.getAlgorithm(),
                good.getOrigTTL(),
                good.getExpire(),
                good.getTimeSigned(),
                good.getFootprint(),
                good.getSigner(),
                signature);
    }
}
