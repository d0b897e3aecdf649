package org.stsrelay.world;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import org.stsrelay.policy.dns.DnsSockets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The world's resolver: a loopback DNS server (UDP and TCP on one port) answering MX, A, TXT and TLSA
 * from a table the test edits while the relay runs; any other name is NXDOMAIN. Records have TTL 0 by
 * default so that the relay never answers a later question from its own cache of an earlier answer;
 * the delivery benchmark gives them a realistic TTL, so the relay's cache works as it does in production.
 */
public final class WorldDns implements AutoCloseable {

    private record Key(Name name, int type) {
    }

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<Key, List<Record>> table = new ConcurrentHashMap<>();
    private final long ttl;
    private final WorldSigner signer;
    private final AtomicLong queries = new AtomicLong();
    private volatile boolean open = true;

    private WorldDns(DatagramSocket udp, ServerSocket tcp, long ttl) {
        this.udp = udp;
        this.tcp = tcp;
        this.ttl = ttl;
        this.signer = WorldSigner.create(ttl);
        table.put(new Key(Name.root, Type.DNSKEY), List.of(signer.dnskey()));
    }

    /** The trust-anchor file text for {@code dns.trust-anchors}: every answer of this world is signed from it. */
    public String anchorText() {
        return signer.anchorText();
    }

    /** Starts the server on a free port of 127.0.0.1, its records with TTL 0. */
    public static WorldDns start() {
        return start(Duration.ZERO);
    }

    /** Starts the server on a free port of 127.0.0.1, every record, key and denial with {@code ttl}. */
    public static WorldDns start(Duration ttl) {
        try {
            DnsSockets sockets = DnsSockets.bind();
            WorldDns dns = new WorldDns(sockets.udp(), sockets.tcp(), ttl.toSeconds());
            Daemons.start("world-dns-udp", dns::serveUdp);
            Daemons.start("world-dns-tcp", dns::serveTcp);
            return dns;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the world's DNS server", e);
        }
    }

    /** {@code 127.0.0.1:port}, as {@code dns.servers} takes it. */
    public String address() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    /** Queries answered so far (UDP and TCP), to see how many lookups a resolver's cache spared. */
    public long queries() {
        return queries.get();
    }

    /** Replaces the MX set of {@code domain}; each host is given as preference and name. */
    public void mx(String domain, List<Mx> hosts) {
        List<Record> records = new ArrayList<>();
        for (Mx host : hosts) {
            records.add(new MXRecord(name(domain), DClass.IN, ttl, host.preference(), name(host.host())));
        }
        table.put(new Key(name(domain), Type.MX), records);
    }

    /** Replaces the A record of {@code host}. */
    public void a(String host, InetAddress address) {
        table.put(new Key(name(host), Type.A), List.of(new ARecord(name(host), DClass.IN, ttl, address)));
    }

    /** Replaces the TXT record of {@code owner} with one record holding {@code text}. */
    public void txt(String owner, String text) {
        table.put(new Key(name(owner), Type.TXT), List.of(new TXTRecord(name(owner), DClass.IN, ttl, text)));
    }

    /** Replaces the TLSA records of {@code _25._tcp.<host>}, each in presentation form (e.g. {@code "3 1 1 ab12..."}). */
    public void tlsa(String host, List<String> records) {
        Name owner = name("_25._tcp." + host);
        List<Record> parsed = new ArrayList<>();
        for (String text : records) {
            try {
                parsed.add(Record.fromString(owner, Type.TLSA, DClass.IN, ttl, text, Name.root));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a TLSA record: " + text, e);
            }
        }
        table.put(new Key(owner, Type.TLSA), parsed);
    }

    /** One MX of a domain. */
    public record Mx(int preference, String host) {
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + text, e);
        }
    }

    private byte[] answer(byte[] wire) throws IOException {
        Message query = new Message(wire);
        queries.incrementAndGet();
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RD);
        response.getHeader().setFlag(Flags.RA);
        response.addRecord(question, Section.QUESTION);
        List<Record> answers = table.getOrDefault(new Key(question.getName(), question.getType()), List.of());
        answers.forEach(record -> response.addRecord(record, Section.ANSWER));
        Set<Integer> typesPresent = table.entrySet().stream()
                .filter(entry -> entry.getKey().name().equals(question.getName()) && !entry.getValue().isEmpty())
                .map(entry -> entry.getKey().type()).collect(Collectors.toSet());
        boolean nameExists = table.keySet().stream().anyMatch(key -> key.name().equals(question.getName()));
        // NOERROR with no answer for an existing name of another type, as a real zone answers (NODATA).
        response.getHeader().setRcode(nameExists ? Rcode.NOERROR : Rcode.NXDOMAIN);
        // RFC 3225 §3: DNSSEC records only for queries that set the DO bit.
        if (query.getOPT() != null && (query.getOPT().getFlags() & ExtendedFlags.DO) != 0) {
            response.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
            if (answers.isEmpty()) {
                response.getHeader().setRcode(Rcode.NOERROR);
                signer.deny(response, question.getName(), typesPresent);
            } else {
                signer.sign(response, answers, Section.ANSWER);
            }
        }
        return response.toWire();
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (open) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] reply = answer(Arrays.copyOf(packet.getData(), packet.getLength()));
                udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (open) {
            try (Socket socket = tcp.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] reply = answer(query);
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            } catch (IOException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        udp.close();
        tcp.close();
    }
}
