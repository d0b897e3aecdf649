package org.stsrelay.world;

import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * The record that proves a name of the world's signed root zone has none of the asked type, made online for
 * that one name: an NSEC at the name (RFC 4034 §4) or an NSEC3 at the name's hash (RFC 5155 §3), each listing
 * the types the name has. A name that does not exist gets the same proof with no types, as online signers
 * answer NXDOMAIN to avoid zone walking.
 */
final class WorldDenial {

    /** RFC 9276 §3.1: no extra iterations and no salt; SHA-1 is the only NSEC3 hash (RFC 5155 §11). */
    private static final NSEC3PARAMRecord PARAMS =
            new NSEC3PARAMRecord(Name.root, DClass.IN, 0, NSEC3Record.SHA1_DIGEST_ID, 0, 0, new byte[0]);

    private static final base32 BASE32HEX = new base32(base32.Alphabet.BASE32HEX, false, false);

    private final boolean nsec3;
    private final long ttl;

    private WorldDenial(boolean nsec3, long ttl) {
        this.nsec3 = nsec3;
        this.ttl = ttl;
    }

    /** Denials proven with NSEC records of {@code ttl} seconds. */
    static WorldDenial nsec(long ttl) {
        return new WorldDenial(false, ttl);
    }

    /** Denials proven with NSEC3 records of {@code ttl} seconds. */
    static WorldDenial nsec3(long ttl) {
        return new WorldDenial(true, ttl);
    }

    /** The NSEC3PARAM record the zone apex holds when denials are NSEC3 (RFC 5155 §4). */
    static NSEC3PARAMRecord params() {
        return PARAMS;
    }

    /**
     * The proof that {@code name} has only {@code types}; {@code signed} says whether its RRsets carry RRSIGs,
     * false at an insecure delegation, whose NS RRset the parent does not sign (RFC 4035 §2.2).
     */
    Record proof(Name name, Set<Integer> types, boolean signed) {
        TreeSet<Integer> bitmap = new TreeSet<>(types);
        if (nsec3) {
            // RFC 5155 §3.2.1: the bitmap lists the types at the original owner name, not the NSEC3 itself.
            if (signed && !types.isEmpty()) {
                bitmap.add(Type.RRSIG);
            }
            return nsec3Record(name, bitmap);
        }
        // RFC 4035 §2.3: every NSEC bitmap lists NSEC and RRSIG, which the owner has, also at an insecure delegation.
        bitmap.add(Type.NSEC);
        bitmap.add(Type.RRSIG);
        return new NSECRecord(name, DClass.IN, ttl, successor(name), toArray(bitmap));
    }

    // RFC 5155 §3.1.7: the next hashed owner is hash + 1, so this record covers its own name's hash and nothing else.
    private NSEC3Record nsec3Record(Name name, Set<Integer> bitmap) {
        byte[] hash = hash(name);
        byte[] next = hash.clone();
        int i = next.length - 1;
        while (i >= 0 && ++next[i] == 0) {
            i--;
        }
        try {
            Name owner = Name.fromString(BASE32HEX.toString(hash).toLowerCase(Locale.ROOT), Name.root);
            return new NSEC3Record(
                    owner,
                    DClass.IN,
                    ttl,
                    PARAMS.getHashAlgorithm(),
                    0,
                    PARAMS.getIterations(),
                    PARAMS.getSalt(),
                    next,
                    toArray(bitmap));
        } catch (TextParseException e) {
            throw new IllegalStateException("cannot name the NSEC3 of " + name, e);
        }
    }

    private static byte[] hash(Name name) {
        try {
            return PARAMS.hashName(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1 for NSEC3", e);
        }
    }

    // RFC 4034 §6.1: "\000.<name>" is the first name after <name> in canonical order.
    private static Name successor(Name name) {
        try {
            return Name.concatenate(Name.fromString("\\000"), name);
        } catch (TextParseException | NameTooLongException e) {
            return name;
        }
    }

    private static int[] toArray(Set<Integer> types) {
        return types.stream().mapToInt(Integer::intValue).toArray();
    }
}
