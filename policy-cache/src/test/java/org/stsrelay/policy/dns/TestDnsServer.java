package org.stsrelay.policy.dns;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.stsrelay.policy.testing.LoopbackDnsServer;
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

/** A loopback DNS server on UDP and TCP (same port) answering from a map, like a recursive resolver would. */
public final class TestDnsServer implements AutoCloseable {

    private final LoopbackDnsServer server;
    private final List<Record> records = new ArrayList<>();
    private final Map<Name, Integer> rcodes = new ConcurrentHashMap<>();
    private final Set<Name> truncated = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final Set<Name> partialChains = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tcpQueries = new AtomicInteger();
    private final Map<Name, List<Record>> zones = new ConcurrentHashMap<>();
    private volatile boolean stripSignatures;
    private volatile boolean authenticData;

    /** Starts the server on a free loopback port. */
    public TestDnsServer() throws IOException {
        server = LoopbackDnsServer.start("test-dns", this::reply);
    }

    /** Returns {@code 127.0.0.1:port}, as {@code dns.servers} takes it. */
    public String address() {
        return server.address();
    }

    /** Adds a record to the answers. */
    public synchronized TestDnsServer add(Record record) {
        records.add(record);
        return this;
    }

    /** Serves {@code zone}'s records (with RRSIGs and NSEC denials to queries with the DO bit) as its own zone. */
    public TestDnsServer publish(TestZone zone) {
        zones.put(zone.origin(), new ArrayList<>(zone.records()));
        return this;
    }

    /** Replaces the published records of {@code forged}'s name and type, keeping their old signatures. */
    public synchronized TestDnsServer tamper(Record forged) {
        List<Record> zone = zones.get(zoneOf(forged.getName(), forged.getType()));
        zone.removeIf(r -> r.getName().equals(forged.getName()) && r.getType() == forged.getType());
        zone.add(forged);
        return this;
    }

    /** Leaves RRSIG records out of every answer, as a resolver that strips DNSSEC data does. */
    public TestDnsServer stripSignatures(boolean strip) {
        stripSignatures = strip;
        return this;
    }

    /** Sets the AD bit on answers to queries with the DO bit, as a validating resolver does for secure data. */
    public TestDnsServer authenticData(boolean ad) {
        authenticData = ad;
        return this;
    }

    /** Answers queries for {@code name} with {@code rcode}. */
    public TestDnsServer rcode(String name, int rcode) {
        rcodes.put(name(name), rcode);
        return this;
    }

    /** Answers queries for {@code name} over UDP with TC set and no records, forcing TCP. */
    TestDnsServer truncateOverUdp(String name) {
        truncated.add(name(name));
        return this;
    }

    TestDnsServer silent(String name) {
        silent.add(name(name));
        return this;
    }

    /** Answers {@code name} with its CNAME only, as some servers do, so the client must query the target. */
    TestDnsServer partialChain(String name) {
        partialChains.add(name(name));
        return this;
    }

    int tcpQueries() {
        return tcpQueries.get();
    }

    /** Parses an absolute name, adding the final dot. */
    public static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (IOException invalid) {
            throw new IllegalArgumentException(invalid);
        }
    }

    private byte[] reply(byte[] query, boolean overTcp) throws IOException {
        if (overTcp) {
            tcpQueries.incrementAndGet();
        }
        return answer(new Message(query), overTcp);
    }

    private synchronized byte[] answer(Message query, boolean overTcp) {
        Record question = query.getQuestion();
        Name qname = question.getName();
        if (silent.contains(qname)) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RD);
        response.getHeader().setFlag(Flags.RA);
        response.addRecord(question, Section.QUESTION);
        if (rcodes.containsKey(qname)) {
            response.getHeader().setRcode(rcodes.get(qname));
            return response.toWire();
        }
        if (!overTcp && truncated.contains(qname)) {
            response.getHeader().setFlag(Flags.TC);
            return response.toWire();
        }
        Name zone = zoneOf(qname, question.getType());
        if (zone != null) {
            boolean dnssec = query.getOPT() != null && (query.getOPT().getFlags() & ExtendedFlags.DO) != 0;
            if (dnssec) {
                response.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
                if (authenticData) {
                    response.getHeader().setFlag(Flags.AD);
                }
            }
            new ZoneAnswer(zones, this::zoneOf, dnssec && !stripSignatures).answer(response, question);
            return response.toWire();
        }
        Name current = qname;
        for (int hops = 0; hops < 20; hops++) {
            boolean any = false;
            for (Record record : records) {
                if (record.getName().equals(current) && record.getType() == question.getType()) {
                    response.addRecord(record, Section.ANSWER);
                    any = true;
                }
            }
            CNAMERecord cname = any ? null : cnameOf(current);
            if (cname == null) {
                response.getHeader().setRcode(any || exists(current) ? Rcode.NOERROR : Rcode.NXDOMAIN);
                return response.toWire();
            }
            response.addRecord(cname, Section.ANSWER);
            if (partialChains.contains(current)) {
                return response.toWire();
            }
            current = cname.getTarget();
        }
        return response.toWire();
    }

    // The deepest published zone holding the name; a DS record lives in the parent's zone (RFC 4035 §2.4).
    private Name zoneOf(Name name, int type) {
        Name best = null;
        for (Name origin : zones.keySet()) {
            boolean holds = name.subdomain(origin) && !(type == Type.DS && name.equals(origin));
            if (holds && (best == null || origin.labels() > best.labels())) {
                best = origin;
            }
        }
        return best;
    }

    private CNAMERecord cnameOf(Name owner) {
        for (Record record : records) {
            if (record instanceof CNAMERecord cname && record.getName().equals(owner)) {
                return cname;
            }
        }
        return null;
    }

    private boolean exists(Name owner) {
        return records.stream().anyMatch(record -> record.getName().equals(owner));
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
