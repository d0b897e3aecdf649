package org.stsrelay.policy.dns;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Builds one answer from published zones, as a recursive resolver returns it: CNAMEs followed, denials proven. */
final class ZoneAnswer {

    private final Map<Name, List<Record>> zones;
    private final BiFunction<Name, Integer, Name> zoneOf;
    private final boolean dnssec;

    ZoneAnswer(Map<Name, List<Record>> zones, BiFunction<Name, Integer, Name> zoneOf, boolean dnssec) {
        this.zones = zones;
        this.zoneOf = zoneOf;
        this.dnssec = dnssec;
    }

    /** Adds the answer to {@code question}, following CNAMEs across zones, or a denial with its proof. */
    void answer(Message response, Record question) {
        int type = question.getType();
        Name current = question.getName();
        for (int hops = 0; hops < 20; hops++) {
            Name zone = zoneOf.apply(current, type);
            if (zone == null) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
                return;
            }
            List<Record> records = zones.get(zone);
            if (addSet(response, records, current, type)) {
                return;
            }
            if (type != Type.CNAME && addSet(response, records, current, Type.CNAME)) {
                current = cnameTarget(records, current);
                continue;
            }
            deny(response, zone, records, current);
            return;
        }
    }

    private boolean addSet(Message response, List<Record> records, Name owner, int type) {
        boolean any = false;
        for (Record record : records) {
            if (record.getName().equals(owner) && record.getType() == type) {
                response.addRecord(record, Section.ANSWER);
                any = true;
            }
        }
        if (any) {
            addSignatures(response, records, owner, type, Section.ANSWER);
        }
        return any;
    }

    private void addSignatures(Message response, List<Record> records, Name owner, int type, int section) {
        if (!dnssec) {
            return;
        }
        for (Record record : records) {
            if (record instanceof RRSIGRecord sig && sig.getName().equals(owner) && sig.getTypeCovered() == type) {
                response.addRecord(sig, section);
            }
        }
    }

    private static Name cnameTarget(List<Record> records, Name owner) {
        for (Record record : records) {
            if (record instanceof CNAMERecord cname && record.getName().equals(owner)) {
                return cname.getTarget();
            }
        }
        throw new IllegalStateException("no CNAME at " + owner);
    }

    // RFC 4035 §3.1.3: a denial carries the SOA and the NSEC records that prove the name or type absent,
    // including the one covering the wildcard that could have matched.
    private void deny(Message response, Name zone, List<Record> records, Name name) {
        boolean exists = records.stream()
                .anyMatch(r -> r.getName().equals(name) || r.getName().subdomain(name));
        response.getHeader().setRcode(exists ? Rcode.NOERROR : Rcode.NXDOMAIN);
        for (Record record : records) {
            if (record instanceof SOARecord) {
                response.addRecord(record, Section.AUTHORITY);
                addSignatures(response, records, record.getName(), Type.SOA, Section.AUTHORITY);
            }
        }
        if (!dnssec) {
            return;
        }
        for (Record record : records) {
            if (record instanceof NSECRecord nsec && proves(nsec, name, zone)) {
                response.addRecord(nsec, Section.AUTHORITY);
                addSignatures(response, records, nsec.getName(), Type.NSEC, Section.AUTHORITY);
            }
        }
    }

    private static boolean proves(NSECRecord nsec, Name name, Name zone) {
        if (nsec.getName().equals(name) || covers(nsec, name)) {
            return true;
        }
        Name ancestor = name;
        while (true) {
            if (covers(nsec, wildcard(ancestor))) {
                return true;
            }
            if (ancestor.equals(zone) || ancestor.labels() <= 1) {
                return false;
            }
            ancestor = new Name(ancestor, 1);
        }
    }

    private static boolean covers(NSECRecord nsec, Name name) {
        Name owner = nsec.getName();
        Name next = nsec.getNext();
        boolean last = next.compareTo(owner) <= 0;
        return owner.compareTo(name) < 0 && (last || name.compareTo(next) < 0);
    }

    private static Name wildcard(Name parent) {
        try {
            return Name.concatenate(Name.fromString("*"), parent);
        } catch (NameTooLongException | TextParseException e) {
            return parent;
        }
    }
}
