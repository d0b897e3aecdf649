package org.stsrelay.policy.dns;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** {@link DnsClient} over dnsjava's {@code Resolver.sendAsync}; dnsjava retries over TCP when a UDP answer is truncated. */
final class DnsjavaClient implements DnsClient {

    private final Resolver resolver;
    private final int maxCnameChain;

    DnsjavaClient(DnsSettings settings) {
        List<InetSocketAddress> servers = settings.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers() : settings.servers();
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setTimeout(settings.timeout());
            resolvers.add(simple);
        }
        ExtendedResolver extended = new ExtendedResolver(resolvers);
        extended.setLoadBalance(false);
        extended.setRetries(settings.retries());
        // ExtendedResolver's timeout bounds the whole query: every attempt on every server.
        extended.setTimeout(settings.timeout().multipliedBy((long) (settings.retries() + 1) * Math.max(1, servers.size())));
        this.resolver = extended;
        this.maxCnameChain = settings.maxCnameChain();
    }

    @Override
    public CompletionStage<DnsResult<String>> txt(String name) {
        return query(name, Type.TXT, DnsjavaClient::concatenated);
    }

    @Override
    public CompletionStage<DnsResult<MxRecord>> mx(String name) {
        return query(name, Type.MX, r -> new MxRecord(((MXRecord) r).getPriority(), ((MXRecord) r).getTarget().toString(true)));
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> a(String name) {
        return query(name, Type.A, r -> ((ARecord) r).getAddress());
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return query(name, Type.AAAA, r -> ((AAAARecord) r).getAddress());
    }

    // RFC 8461 §3.1: "strings are concatenated without adding spaces"; bytes kept 1:1 so non-ASCII stays visible.
    private static String concatenated(Record record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] string : ((TXTRecord) record).getStringsAsByteArrays()) {
            bytes.writeBytes(string);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private <T> CompletionStage<DnsResult<T>> query(String name, int type, Function<Record, T> data) {
        Name qname;
        try {
            qname = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException invalid) {
            return CompletableFuture.completedFuture(new DnsResult.Failure<>("invalid name " + name));
        }
        return send(qname, type, data, 0);
    }

    private <T> CompletionStage<DnsResult<T>> send(Name qname, int type, Function<Record, T> data, int hops) {
        Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
        // dnsjava's default executor is the common pool, which on a machine with two or fewer cores
        // CompletableFuture replaces with a new thread per task: one thread per DNS answer. Our
        // continuations only parse and start non-blocking work, so they run on dnsjava's selector thread.
        return resolver.sendAsync(query, Runnable::run)
                .handle((response, error) -> error != null
                        ? CompletableFuture.completedFuture(DnsjavaClient.<T>failure(error))
                        : interpret(qname, type, data, response, hops))
                .thenCompose(Function.identity());
    }

    private <T> CompletionStage<DnsResult<T>> interpret(Name qname, int type, Function<Record, T> data,
            Message response, int hops) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return CompletableFuture.completedFuture(new DnsResult.Failure<>(Rcode.string(rcode)));
        }
        List<Record> answers = response.getSection(Section.ANSWER);
        Name current = qname;
        int hop = hops;
        while (true) {
            List<T> values = recordsAt(answers, current, type, data);
            if (!values.isEmpty()) {
                return CompletableFuture.completedFuture(new DnsResult.Records<>(values, current.toString(true)));
            }
            Name target = cnameAt(answers, current);
            if (target == null) {
                break;
            }
            // RFC 8461 §3.1, §8.2: CNAME chains are followed, but never without bound.
            if (++hop > maxCnameChain) {
                return CompletableFuture.completedFuture(
                        new DnsResult.Failure<>("CNAME chain longer than " + maxCnameChain));
            }
            current = target;
        }
        if (rcode == Rcode.NXDOMAIN) {
            return CompletableFuture.completedFuture(new DnsResult.NxDomain<>(current.toString(true)));
        }
        if (!current.equals(qname)) {
            // The server answered with a CNAME but not its target's records: ask for the target itself.
            return send(current, type, data, hop);
        }
        return CompletableFuture.completedFuture(new DnsResult.NoData<>(current.toString(true)));
    }

    private static <T> List<T> recordsAt(List<Record> answers, Name owner, int type, Function<Record, T> data) {
        List<T> values = new ArrayList<>();
        for (Record record : answers) {
            if (record.getType() == type && record.getName().equals(owner)) {
                values.add(data.apply(record));
            }
        }
        return values;
    }

    private static Name cnameAt(List<Record> answers, Name owner) {
        for (Record record : answers) {
            if (record instanceof CNAMERecord cname && record.getName().equals(owner)) {
                return cname.getTarget();
            }
        }
        return null;
    }

    private static <T> DnsResult<T> failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
            return new DnsResult.Failure<>("timed out");
        }
        return new DnsResult.Failure<>(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
}
