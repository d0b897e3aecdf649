package org.stsrelay.world;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * What the world's DNS holds, edited by tests while it serves: the RRsets of the signed root zone and of the
 * unsigned zones delegated from it, which names are unsigned zones, and which RRsets are to be served with
 * broken signatures.
 */
final class WorldRecords {

    private record Key(Name name, int type) {}

    private final long ttl;
    private final Map<Key, List<Record>> rrsets = new ConcurrentHashMap<>();
    private final Set<Name> unsignedZones = ConcurrentHashMap.newKeySet();
    private final Set<Key> bogus = ConcurrentHashMap.newKeySet();

    /** Records whose zone apexes (SOA, NS) carry {@code ttl} seconds, as the world's data does. */
    WorldRecords(long ttl) {
        this.ttl = ttl;
    }

    /** Replaces the RRset of {@code name}/{@code type}; an empty list removes it. */
    void put(Name name, int type, List<Record> records) {
        if (records.isEmpty()) {
            rrsets.remove(new Key(name, type));
        } else {
            rrsets.put(new Key(name, type), List.copyOf(records));
        }
    }

    /** The RRset of {@code name}/{@code type}, or an empty list. */
    List<Record> get(Name name, int type) {
        return rrsets.getOrDefault(new Key(name, type), List.of());
    }

    /** The types {@code name} has records of. */
    Set<Integer> typesAt(Name name) {
        return rrsets.keySet().stream()
                .filter(key -> key.name().equals(name))
                .map(Key::type)
                .collect(Collectors.toSet());
    }

    /** Whether {@code name} exists: it or a name below it owns records (RFC 4592 §2.2.2, empty non-terminals). */
    boolean exists(Name name) {
        return rrsets.keySet().stream().anyMatch(key -> key.name().subdomain(name));
    }

    /** Makes {@code zone} an unsigned zone delegated from the root: its apex gets an SOA and an NS record. */
    void addUnsignedZone(Name zone) {
        unsignedZones.add(zone);
        put(zone, Type.SOA, List.of(soa(zone)));
        put(zone, Type.NS, List.of(new NSRecord(zone, DClass.IN, ttl, zone)));
    }

    /**
     * The unsigned zone that answers {@code name}/{@code type}: the deepest one at or above the name, except
     * that the DS RRset of a zone's apex belongs to the parent (RFC 4035 §2.4).
     */
    Optional<Name> unsignedZoneOf(Name name, int type) {
        Name best = null;
        for (Name zone : unsignedZones) {
            boolean holds = name.subdomain(zone) && !(type == Type.DS && name.equals(zone));
            if (holds && (best == null || zone.labels() > best.labels())) {
                best = zone;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether {@code name} is the apex of an unsigned zone. */
    boolean isUnsignedApex(Name name) {
        return unsignedZones.contains(name);
    }

    /** Serves the RRset {@code name}/{@code type} with a signature that does not verify from now on. */
    void breakSignature(Name name, int type) {
        bogus.add(new Key(name, type));
    }

    /** Whether the RRset {@code name}/{@code type} is served with a broken signature. */
    boolean isBogus(Name name, int type) {
        return bogus.contains(new Key(name, type));
    }

    /**
     * The SOA record of {@code zone}: RFC 2308 §5 caches a denial for the smaller of the SOA's TTL and its minimum,
     * so both are the world's TTL (0 by default: no denial is cached).
     */
    SOARecord soa(Name zone) {
        return new SOARecord(zone, DClass.IN, ttl, zone, zone, 1, 3600, 600, 86400, ttl);
    }
}
