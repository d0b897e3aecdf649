package org.stsrelay.policy.dns;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Lookups that carry their DNSSEC status: validated, cached within their TTL, counted by type and status. */
final class SecureLookups {

    private final Lookup plain;
    private final Lookup secure;
    private final DnssecAvailability availability;
    private final AsyncCache<Key, Timed<?>> cache;
    private final MeterRegistry registry;
    private final String probeZone;

    /** {@code probeZone} is the trust anchor's zone, whose DNSKEY RRset proves that validation works. */
    SecureLookups(
            Lookup plain,
            Lookup secure,
            String probeZone,
            DnssecSettings settings,
            MeterRegistry registry,
            Ticker ticker) {
        this.plain = plain;
        this.probeZone = probeZone;
        this.secure = secure;
        this.registry = registry;
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .expireAfter(Expiry.<Key, Timed<?>>creating((key, timed) -> timed.ttl()))
                .ticker(ticker)
                .buildAsync();
        this.availability = new DnssecAvailability(settings.mode(), this::probe, this::forgetAll, registry);
    }

    DnssecAvailability availability() {
        return availability;
    }

    /** Looks up {@code name}/{@code type} with its security status, after the first availability check. */
    <T> CompletionStage<Secured<T>> lookup(String name, int type, Function<Record, T> data) {
        return availability
                .ready()
                .thenCompose(ready -> classified(name, type, data))
                .thenApply(secured -> count(type, secured));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletionStage<Secured<T>> classified(String name, int type, Function<Record, T> data) {
        CompletionStage<Secured<T>> answer;
        if (!availability.available()) {
            // RFC 7672 §2.1.1: without validation no answer is secure; the answer itself is still usable.
            String why = "DNSSEC unavailable: " + availability.status().reason();
            answer = plain.query(name, type, data)
                    .thenApply(timed -> new Secured<>(timed.secured().answer(), Security.INSECURE, why));
        } else {
            Key key = new Key(name.toLowerCase(Locale.ROOT), type);
            answer = cache.get(
                            key,
                            (k, executor) -> secure.query(name, type, data)
                                    .toCompletableFuture()
                                    .thenApply(timed -> (Timed<?>) timed))
                    .thenApply(timed -> (Secured<T>) timed.secured());
        }
        return answer;
    }

    private <T> Secured<T> count(int type, Secured<T> secured) {
        Counter.builder("sts.relay.dns.dnssec.answers")
                .description("DNS answers of the DNSSEC-aware lookups by query type and security status (RFC 4033 §5)")
                .tag("type", Type.string(type))
                .tag("security", secured.security().name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
        return secured;
    }

    private CompletionStage<Secured<?>> probe() {
        return secure.query(probeZone, Type.DNSKEY, record -> record.rdataToString())
                .thenApply(Timed::secured);
    }

    private void forgetAll() {
        cache.synchronous().invalidateAll();
    }

    private record Key(String name, int type) {}
}
