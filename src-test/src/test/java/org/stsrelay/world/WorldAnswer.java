package org.stsrelay.world;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Builds the world's answer to one query, as an authoritative server holding every zone answers it: CNAMEs
 * followed, RRSIGs on the signed root zone's RRsets and denials proven there, nothing of DNSSEC in the unsigned
 * zones. DNSSEC records go only to queries with the DO bit (RFC 3225 §3).
 */
final class WorldAnswer {

    /** More CNAMEs than any test publishes in a row: a longer chain is a loop. */
    private static final int MAX_CHAIN = 16;

    private final WorldRecords records;
    private final WorldSigner signer;
    private final WorldDenial denial;

    WorldAnswer(WorldRecords records, WorldSigner signer, WorldDenial denial) {
        this.records = records;
        this.signer = signer;
        this.denial = denial;
    }

    /** The response to {@code query}. */
    Message respond(Message query) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        // A stub-zone resolver (unbound) accepts data only from a server authoritative for it (RFC 1035 §4.1.1).
        response.getHeader().setFlag(Flags.AA);
        response.getHeader().setFlag(Flags.RD);
        response.getHeader().setFlag(Flags.RA);
        response.addRecord(question, Section.QUESTION);
        boolean dnssec = query.getOPT() != null && (query.getOPT().getFlags() & ExtendedFlags.DO) != 0;
        if (dnssec) {
            response.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        }
        answer(response, question.getName(), question.getType(), dnssec);
        return response;
    }

    private void answer(Message response, Name qname, int type, boolean dnssec) {
        Name current = qname;
        for (int hop = 0; hop < MAX_CHAIN; hop++) {
            boolean signed = dnssec && records.unsignedZoneOf(current, type).isEmpty();
            List<Record> rrset = records.get(current, type);
            if (!rrset.isEmpty()) {
                add(response, rrset, Section.ANSWER, signed);
                return;
            }
            List<Record> cname = type == Type.CNAME ? List.of() : records.get(current, Type.CNAME);
            if (cname.isEmpty()) {
                deny(response, current, type, dnssec);
                return;
            }
            // RFC 1034 §4.3.2: the CNAME goes into the answer and the search goes on at its target.
            add(response, cname, Section.ANSWER, signed);
            current = ((CNAMERecord) cname.get(0)).getTarget();
        }
        response.getHeader().setRcode(Rcode.SERVFAIL);
    }

    private void deny(Message response, Name name, int type, boolean dnssec) {
        Optional<Name> unsignedZone = records.unsignedZoneOf(name, type);
        Name zone = unsignedZone.orElse(Name.root);
        boolean signed = dnssec && unsignedZone.isEmpty();
        // A signed denial is answered as NODATA with a proof for the name itself, also for a name that does not
        // exist, as online signers do; without DNSSEC a missing name is NXDOMAIN.
        response.getHeader().setRcode(signed || records.exists(name) ? Rcode.NOERROR : Rcode.NXDOMAIN);
        add(response, records.get(zone, Type.SOA), Section.AUTHORITY, signed);
        if (signed) {
            // RFC 4035 §5.2: at an insecure delegation the parent proves there is no DS with an NSEC/NSEC3 whose
            // bitmap has NS but no DS; the delegation's NS RRset itself is not signed.
            boolean delegation = records.isUnsignedApex(name);
            Set<Integer> types = delegation ? Set.of(Type.NS) : records.typesAt(name);
            add(response, List.of(denial.proof(name, types, !delegation)), Section.AUTHORITY, true);
        }
    }

    private void add(Message response, List<Record> rrset, int section, boolean signed) {
        rrset.forEach(record -> response.addRecord(record, section));
        if (signed) {
            Record first = rrset.get(0);
            response.addRecord(
                    records.isBogus(first.getName(), first.getType()) ? signer.signBroken(rrset) : signer.sign(rrset),
                    section);
        }
    }
}
