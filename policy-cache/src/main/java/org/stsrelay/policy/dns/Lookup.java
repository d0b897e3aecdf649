package org.stsrelay.policy.dns;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/** One lookup over an {@link Exchange}: follows CNAMEs, tells NXDOMAIN, NODATA and failures apart, keeps the weakest status. */
final class Lookup {

    private final Exchange exchange;
    private final int maxCnameChain;

    Lookup(Exchange exchange, int maxCnameChain) {
        this.exchange = exchange;
        this.maxCnameChain = maxCnameChain;
    }

    /** Looks up {@code name}/{@code type}, converting each record with {@code data}. */
    <T> CompletionStage<Timed<T>> query(String name, int type, Function<Record, T> data) {
        Name qname;
        try {
            qname = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException invalid) {
            return done(
                    new DnsResult.Failure<>("invalid name " + name),
                    Security.INDETERMINATE,
                    "invalid name",
                    Duration.ZERO);
        }
        return send(qname, type, data, 0, Security.SECURE, "", Duration.ofDays(1));
    }

    private <T> CompletionStage<Timed<T>> send(
            Name qname,
            int type,
            Function<Record, T> data,
            int hops,
            Security sofar,
            String reasonSofar,
            Duration ttlSofar) {
        Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
        // dnsjava's default executor is the common pool, which on a machine with two or fewer cores
        // CompletableFuture replaces with a new thread per task: one thread per DNS answer. Our
        // continuations only parse and start non-blocking work, so they run on dnsjava's selector thread.
        return exchange.send(query)
                .handle((exchanged, error) -> {
                    if (error != null) {
                        return Lookup.<T>failure(error);
                    }
                    Security security = sofar.weakest(exchanged.security());
                    String reason = security == sofar && !reasonSofar.isEmpty() ? reasonSofar : exchanged.reason();
                    Duration ttl = min(ttlSofar, ttlOf(exchanged.response()));
                    return interpret(qname, type, data, exchanged.response(), hops, security, reason, ttl);
                })
                .thenCompose(Function.identity());
    }

    private <T> CompletionStage<Timed<T>> interpret(
            Name qname,
            int type,
            Function<Record, T> data,
            Message response,
            int hops,
            Security security,
            String reason,
            Duration ttl) {
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return done(
                    new DnsResult.Failure<>(Rcode.string(rcode)),
                    security == Security.BOGUS ? Security.BOGUS : Security.INDETERMINATE,
                    security == Security.BOGUS ? reason : "lookup failed: " + Rcode.string(rcode),
                    Duration.ZERO);
        }
        List<Record> answers = response.getSection(Section.ANSWER);
        Name current = qname;
        int hop = hops;
        while (true) {
            List<T> values = recordsAt(answers, current, type, data);
            if (!values.isEmpty()) {
                return done(new DnsResult.Records<>(values, current.toString(true)), security, reason, ttl);
            }
            Name target = cnameAt(answers, current);
            if (target == null) {
                break;
            }
            // RFC 8461 §3.1, §8.2: CNAME chains are followed, but never without bound.
            if (++hop > maxCnameChain) {
                return done(
                        new DnsResult.Failure<>("CNAME chain longer than " + maxCnameChain),
                        Security.INDETERMINATE,
                        "CNAME chain too long",
                        Duration.ZERO);
            }
            current = target;
        }
        if (rcode == Rcode.NXDOMAIN) {
            return done(new DnsResult.NxDomain<>(current.toString(true)), security, reason, ttl);
        }
        if (!current.equals(qname)) {
            // The server answered with a CNAME but not its target's records: ask for the target itself,
            // and the answer is only as secure as both responses (RFC 7672 §2.2.2).
            return send(current, type, data, hop, security, reason, ttl);
        }
        return done(new DnsResult.NoData<>(current.toString(true)), security, reason, ttl);
    }

    private static <T> CompletionStage<Timed<T>> done(
            DnsResult<T> result, Security security, String reason, Duration ttl) {
        return CompletableFuture.completedFuture(new Timed<>(new Secured<>(result, security, reason), ttl));
    }

    // RFC 2308 §5: a denial is cached for the smaller of the SOA's TTL and its minimum field.
    private static Duration ttlOf(Message response) {
        long seconds = Long.MAX_VALUE;
        for (Record record : response.getSection(Section.ANSWER)) {
            seconds = Math.min(seconds, record.getTTL());
        }
        for (Record record : response.getSection(Section.AUTHORITY)) {
            if (record instanceof SOARecord soa) {
                seconds = Math.min(seconds, Math.min(soa.getTTL(), soa.getMinimum()));
            }
        }
        return seconds == Long.MAX_VALUE ? Duration.ZERO : Duration.ofSeconds(seconds);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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

    private static <T> CompletionStage<Timed<T>> failure(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String reason = cause instanceof TimeoutException || cause instanceof SocketTimeoutException
                ? "timed out"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return done(new DnsResult.Failure<>(reason), Security.INDETERMINATE, "lookup failed: " + reason, Duration.ZERO);
    }
}
