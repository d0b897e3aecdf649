package org.stsrelay.policy.dns;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** {@link DnsClient} over dnsjava's {@code Resolver.sendAsync}; dnsjava retries over TCP when a UDP answer is truncated. */
final class DnsjavaClient implements DnsClient {

    private static final Logger LOG = LoggerFactory.getLogger(DnsjavaClient.class);
    private static final String ROOT_ANCHORS = "root-anchors.txt";

    private final Lookup plain;
    private final SecureLookups secure;

    DnsjavaClient(DnsSettings settings, MeterRegistry registry, Ticker ticker) {
        Resolver plainResolver = resolver(settings);
        this.plain = new Lookup(
                query -> plainResolver
                        .sendAsync(query, Runnable::run)
                        .thenApply(response -> new Exchange.Exchanged(response, Security.INSECURE, "not validated")),
                settings.maxCnameChain());
        DnssecSettings dnssec = settings.dnssec();
        Exchange exchange;
        String probeZone;
        if (dnssec.mode() == DnssecMode.VALIDATE) {
            ValidatingResolver validating = new ValidatingResolver(resolver(settings));
            loadAnchors(validating, dnssec);
            probeZone = anchorZone(validating);
            exchange = new ValidatingExchange(validating);
        } else {
            // In off mode this exchange is never used: every answer goes the plain way, classified insecure.
            Resolver withDo = resolver(settings);
            // RFC 3225 §3: the DO bit asks the resolver for DNSSEC records and its validation result.
            withDo.setEDNS(0, 0, ExtendedFlags.DO, List.of());
            probeZone = dnssec.trustAnchors().map(DnssecAnchors::zone).orElse(".");
            exchange = new AdBitExchange(withDo);
        }
        this.secure = new SecureLookups(
                plain, new Lookup(exchange, settings.maxCnameChain()), probeZone, dnssec, registry, ticker);
    }

    private static Resolver resolver(DnsSettings settings) {
        List<InetSocketAddress> servers =
                settings.servers().isEmpty() ? ResolverConfig.getCurrentConfig().servers() : settings.servers();
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
        extended.setTimeout(
                settings.timeout().multipliedBy((long) (settings.retries() + 1) * Math.max(1, servers.size())));
        return extended;
    }

    private static void loadAnchors(ValidatingResolver validating, DnssecSettings dnssec) {
        try (InputStream in = dnssec.trustAnchors().isPresent()
                ? Files.newInputStream(dnssec.trustAnchors().get())
                : DnsjavaClient.class.getResourceAsStream(ROOT_ANCHORS)) {
            validating.loadTrustAnchors(in);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read DNSSEC trust anchors", unreadable);
        }
        if (validating.getTrustAnchors().items().isEmpty()) {
            throw new IllegalArgumentException("no DS or DNSKEY records in the DNSSEC trust anchors");
        }
    }

    private static String anchorZone(ValidatingResolver validating) {
        RRset first = validating.getTrustAnchors().items().iterator().next();
        return first.getName().toString();
    }

    @Override
    public CompletionStage<DnsResult<String>> txt(String name) {
        return plain.query(name, Type.TXT, DnsjavaClient::concatenated)
                .thenApply(timed -> timed.secured().answer());
    }

    @Override
    public CompletionStage<DnsResult<MxRecord>> mx(String name) {
        return plain.query(name, Type.MX, DnsjavaClient::mxRecord)
                .thenApply(timed -> timed.secured().answer());
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> a(String name) {
        return plain.query(name, Type.A, r -> ((ARecord) r).getAddress())
                .thenApply(timed -> timed.secured().answer());
    }

    @Override
    public CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return plain.query(name, Type.AAAA, r -> ((AAAARecord) r).getAddress())
                .thenApply(timed -> timed.secured().answer());
    }

    @Override
    public CompletionStage<Secured<MxRecord>> secureMx(String name) {
        return secure.lookup(name, Type.MX, DnsjavaClient::mxRecord);
    }

    @Override
    public CompletionStage<Secured<InetAddress>> secureAddresses(String name) {
        CompletionStage<Secured<InetAddress>> v4 = secure.lookup(name, Type.A, r -> ((ARecord) r).getAddress());
        CompletionStage<Secured<InetAddress>> v6 = secure.lookup(name, Type.AAAA, r -> ((AAAARecord) r).getAddress());
        return v4.thenCombine(v6, (four, six) -> {
            Security weakest = four.security().weakest(six.security());
            String reason = weakest == four.security() ? four.reason() : six.reason();
            return new Secured<>(AddressAnswers.merge(four.answer(), six.answer()), weakest, reason);
        });
    }

    @Override
    public CompletionStage<Secured<TlsaRecordData>> tlsa(String host, int port) {
        // RFC 7672 §2.2.3: the TLSA records of an SMTP server are at _<port>._tcp.<host>.
        return secure.lookup("_" + port + "._tcp." + host, Type.TLSA, record -> {
            TLSARecord tlsa = (TLSARecord) record;
            return new TlsaRecordData(
                    tlsa.getCertificateUsage(),
                    tlsa.getSelector(),
                    tlsa.getMatchingType(),
                    tlsa.getCertificateAssociationData());
        });
    }

    @Override
    public DnssecStatus dnssecStatus() {
        return secure.availability().status();
    }

    @Override
    public CompletionStage<DnssecStatus> checkDnssec() {
        return secure.availability().check();
    }

    @Override
    public CompletionStage<DnssecStatus> scheduleDnssecChecks(ScheduledExecutorService scheduler, Duration period) {
        scheduler.scheduleWithFixedDelay(
                this::checkQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return checkDnssec();
    }

    // A task that throws is never run again by the scheduler, so one bad check must not end the checking.
    private void checkQuietly() {
        try {
            checkDnssec().toCompletableFuture().join();
        } catch (RuntimeException unexpected) {
            LOG.error("DNSSEC availability check failed", unexpected);
        }
    }

    private static MxRecord mxRecord(Record record) {
        MXRecord mx = (MXRecord) record;
        return new MxRecord(mx.getPriority(), mx.getTarget().toString(true));
    }

    // RFC 8461 §3.1: "strings are concatenated without adding spaces"; bytes kept 1:1 so non-ASCII stays visible.
    private static String concatenated(Record record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] string : ((TXTRecord) record).getStringsAsByteArrays()) {
            bytes.writeBytes(string);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }
}
