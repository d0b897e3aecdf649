package org.stsrelay.tlsrpt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.TlsRptConfig;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.dns.DnsResult;
import org.stsrelay.spool.CommitResult;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.IncomingMessage;
import org.stsrelay.spool.Spool;
import org.stsrelay.tlsrpt.ReportState.Destination;
import org.stsrelay.tlsrpt.ReportState.Status;

/**
 * Sends one UTC day's TLS-RPT reports (RFC 8460 §5) to every usable, unsuppressed rua of each policy domain
 * and keeps the per-destination outcome in {@link ReportState}.
 *
 * <p>Blocking (DNS, spool commit and HTTPS are awaited): it runs on the report scheduler's own thread, never
 * on an event loop. A {@code mailto:} report is committed to the spool with the envelope kind
 * {@link Envelope.Kind#TLS_REPORT}, never derived from its header fields (a client can write those too), and
 * the queue delivers it despite TLS failures without reporting that delivery (RFC 8460 §3, §5.3.1). An {@code https:} destination that fails is retried with exponential
 * backoff, independently of the others, for {@link TlsRptConfig#retryFor()} (RFC 8460 §5.5).
 *
 * <p>Size cap: when the gzipped report exceeds {@link TlsRptConfig#maxReportSize()}, failure-details entries
 * are dropped, always from the policy with the most entries, until it fits; summaries keep the full counts.
 */
public final class ReportDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ReportDispatcher.class);
    static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    private static final long WAIT_SECONDS = 60;

    private final TlsRptConfig config;
    private final DnsClient dns;
    private final Spool spool;
    private final HttpsReportPoster poster;
    private final Optional<DkimSigner> signer;
    private final ReportMailBuilder mail;
    private final TlsReportJson json;
    private final DailyAggregator aggregator;
    private final ReportStateStore states;
    private final MeterRegistry registry;
    private final Clock clock;
    private final DistributionSummary bytes;
    private final Counter invalidRecords;

    /**
     * A single relay's dispatcher: results from its journal, state in files next to it.
     *
     * @param signer     DKIM signer of report mail; empty: unsigned, warned about here, once
     * @param messageIds Message-ID values of report mail
     */
    public ReportDispatcher(
            TlsRptConfig config,
            DnsClient dns,
            Spool spool,
            HttpsReportPoster poster,
            Optional<DkimSigner> signer,
            MeterRegistry registry,
            Clock clock,
            Supplier<String> messageIds) {
        this(
                config,
                dns,
                spool,
                poster,
                signer,
                registry,
                clock,
                messageIds,
                new DailyAggregator(config.directory()),
                new FileReportStates(config.directory()));
    }

    /** A fleet node's dispatcher: every node's results and the shared report state, from the fleet database. */
    public ReportDispatcher(
            TlsRptConfig config,
            DnsClient dns,
            Spool spool,
            HttpsReportPoster poster,
            Optional<DkimSigner> signer,
            MeterRegistry registry,
            Clock clock,
            Supplier<String> messageIds,
            FleetReporting fleet) {
        this(config, dns, spool, poster, signer, registry, clock, messageIds, fleet.aggregator(), fleet.states());
    }

    /** A dispatcher whose results and state come from {@code aggregator} and {@code states}. */
    ReportDispatcher(
            TlsRptConfig config,
            DnsClient dns,
            Spool spool,
            HttpsReportPoster poster,
            Optional<DkimSigner> signer,
            MeterRegistry registry,
            Clock clock,
            Supplier<String> messageIds,
            DailyAggregator aggregator,
            ReportStateStore states) {
        this.config = config;
        this.dns = dns;
        this.spool = spool;
        this.poster = poster;
        this.signer = signer;
        this.mail = new ReportMailBuilder(config, clock, messageIds);
        this.json = new TlsReportJson(config);
        this.aggregator = aggregator;
        this.states = states;
        this.registry = registry;
        this.clock = clock;
        this.bytes = DistributionSummary.builder("sts.relay.tlsrpt.report.bytes")
                .baseUnit("bytes")
                .description("Size of the gzipped TLS-RPT reports sent")
                .register(registry);
        this.invalidRecords = Counter.builder("sts.relay.tlsrpt.records.invalid")
                .description("Policy domains skipped: no single valid _smtp._tls record with a usable rua")
                .register(registry);
        // Every series exists from the start, at zero, so an alert on failures works before the first one.
        for (String transport : List.of("mailto", "https")) {
            for (Status status : Status.values()) {
                reports(transport, status);
            }
        }
        if (signer.isEmpty()) {
            LOG.warn("TLS-RPT reports will not be DKIM-signed; receivers may ignore them (RFC 8460 §3)");
        }
    }

    /** The policy domains with results on {@code day}. */
    public List<String> domains(LocalDate day) throws IOException {
        return aggregator.aggregate(day).stream()
                .map(DomainResults::policyDomain)
                .toList();
    }

    /**
     * Sends the day's reports to every destination not tried yet and retries those that are due; with
     * {@code domain} given, only that policy domain's. Returns the day's state afterwards.
     */
    public ReportState dispatch(LocalDate day, Optional<String> domain) throws IOException {
        return run(day, domain, false);
    }

    /** Tries again only the day's retrying destinations whose next try has come. */
    public ReportState retryDue(LocalDate day) throws IOException {
        return run(day, Optional.empty(), true);
    }

    /** Whether any destination of the day waits for a retry that is due now. */
    public boolean hasDueRetries(LocalDate day) throws IOException {
        ReportState state = states.load(day);
        return state.domains().keySet().stream().anyMatch(d -> hasDueRetry(state, d));
    }

    private ReportState run(LocalDate day, Optional<String> domain, boolean retriesOnly) throws IOException {
        ReportState loaded = states.load(day);
        if (retriesOnly && loaded.domains().keySet().stream().noneMatch(d -> hasDueRetry(loaded, d))) {
            return loaded; // the common case, without reading the day's journal
        }
        ReportState state = loaded;
        for (DomainResults results : aggregator.aggregate(day)) {
            String d = results.policyDomain();
            if (domain.isPresent() && !domain.get().equalsIgnoreCase(d)) {
                continue;
            }
            if (retriesOnly && !hasDueRetry(state, d)) {
                continue;
            }
            state = dispatchDomain(state, results);
        }
        return state;
    }

    private boolean hasDueRetry(ReportState state, String domain) {
        ReportState.DomainState d = state.domains().get(domain);
        return d != null && d.destinations().values().stream().anyMatch(this::due);
    }

    private boolean due(Destination d) {
        return d.status() == Status.RETRYING
                && d.nextTry().map(t -> !t.isAfter(clock.instant())).orElse(true);
    }

    private ReportState dispatchDomain(ReportState state, DomainResults results) throws IOException {
        String domain = results.policyDomain();
        if (config.onlyFailures() && results.failures() == 0) {
            LOG.debug("TLS-RPT: no failures for {} on {}, no report (only-failures)", domain, results.day());
            return state;
        }
        Optional<TlsRptRecord> record = record(domain);
        if (record.isEmpty()) {
            return state;
        }
        TlsReport report = ReportSizeCap.fit(json, results, config.maxReportSize());
        byte[] gzip = ReportGzip.gzip(report.json());
        for (URI rua : record.get().rua()) {
            String key = rua.toString();
            Optional<Destination> previous = state.destination(domain, key);
            if (previous.isPresent() && !due(previous.get())) {
                continue;
            }
            if (suppressed(rua)) {
                LOG.info("TLS-RPT: {} is suppressed, no report for {}", rua, domain);
                continue;
            }
            Destination next = "mailto".equalsIgnoreCase(rua.getScheme())
                    ? mailto(report, rua, previous)
                    : https(report, gzip, rua, previous);
            state = state.with(domain, report.reportId(), key, next);
            states.save(state);
        }
        return state;
    }

    /** RFC 8460 §3: exactly one {@code v=TLSRPTv1} record, with at least one usable rua; otherwise no report. */
    private Optional<TlsRptRecord> record(String domain) {
        String name = "_smtp._tls." + domain;
        DnsResult<String> answer;
        try {
            answer = dns.txt(name).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("TLS-RPT: cannot look up {}: {}", name, e.toString());
            return Optional.empty();
        }
        if (answer instanceof DnsResult.Failure<String> failure) {
            // A temporary DNS failure says nothing about the record; the next dispatch of the day tries again.
            LOG.warn("TLS-RPT: cannot look up {}: {}", name, failure.reason());
            return Optional.empty();
        }
        TlsRptRecordParser.Selection selection = TlsRptRecordParser.select(answer.valuesOrEmpty());
        if (selection instanceof TlsRptRecordParser.Selection.Found found) {
            found.record().skipped().forEach(s -> LOG.info("TLS-RPT: {} rua skipped: {}", name, s));
            return Optional.of(found.record());
        }
        invalidRecords.increment();
        LOG.info("TLS-RPT: no report for {}: {} gives {}", domain, name, selection);
        return Optional.empty();
    }

    private boolean suppressed(URI rua) {
        String target = "mailto".equalsIgnoreCase(rua.getScheme()) ? address(rua) : rua.getHost();
        String targetDomain = target == null ? "" : target.substring(target.lastIndexOf('@') + 1);
        return config.suppress().stream().anyMatch(s -> s.equalsIgnoreCase(target) || s.equalsIgnoreCase(targetDomain));
    }

    /** RFC 6068: the address of a {@code mailto:} URI, without any {@code ?header} part. */
    static String address(URI mailto) {
        String part = mailto.getSchemeSpecificPart();
        int query = part.indexOf('?');
        return query < 0 ? part : part.substring(0, query);
    }

    private Destination mailto(TlsReport report, URI rua, Optional<Destination> previous) {
        String recipient = address(rua);
        byte[] message = mail.build(
                new ReportMailInput(report.policyDomain(), report.day(), report.reportId(), report.json()), recipient);
        if (signer.isPresent()) {
            message = signer.get().sign(message);
        }
        Instant now = clock.instant();
        int attempts = previous.map(Destination::attempts).orElse(0) + 1;
        Instant first = previous.map(Destination::firstTry).orElse(now);
        Optional<String> error = commit(recipient, message);
        if (error.isEmpty()) {
            count("mailto", Status.QUEUED);
            bytes.record(message.length);
            LOG.info("TLS-RPT: report {} queued for {}", report.reportId(), recipient);
            return new Destination(Status.QUEUED, attempts, first, Optional.empty(), Optional.empty());
        }
        return failed("mailto", report, rua, attempts, first, error.get());
    }

    private Optional<String> commit(String recipient, byte[] message) {
        Envelope envelope = new Envelope(
                spool.nextId(),
                config.from(),
                List.of(Envelope.Recipient.of(recipient)),
                Envelope.MailParams.none(),
                new Envelope.ClientInfo("127.0.0.1", "localhost", Optional.empty(), Optional.empty(), Optional.empty()),
                clock.instant(),
                Envelope.Kind.TLS_REPORT);
        IncomingMessage content = spool.newMessage();
        try {
            content.append(Unpooled.wrappedBuffer(message))
                    .toCompletableFuture()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            CommitResult result =
                    spool.commit(envelope, content).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            return result instanceof CommitResult.Failed failed ? Optional.of(failed.reason()) : Optional.empty();
        } catch (Exception e) {
            content.discard();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return Optional.of("spool: " + e);
        }
    }

    private Destination https(TlsReport report, byte[] gzip, URI rua, Optional<Destination> previous) {
        Instant first = previous.map(Destination::firstTry).orElse(clock.instant());
        int attempts = previous.map(Destination::attempts).orElse(0) + 1;
        HttpsReportOutcome outcome;
        try {
            outcome = poster.post(rua, gzip).get(WAIT_SECONDS * 2, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            outcome = new HttpsReportOutcome.Failed(e.toString());
        }
        if (outcome instanceof HttpsReportOutcome.Failed failed) {
            return failed("https", report, rua, attempts, first, failed.reason());
        }
        count("https", Status.DELIVERED);
        bytes.record(gzip.length);
        LOG.info("TLS-RPT: report {} delivered to {}", report.reportId(), rua);
        return new Destination(Status.DELIVERED, attempts, first, Optional.empty(), Optional.empty());
    }

    /** RFC 8460 §5.5: retry with exponential backoff (1 minute, doubling) until retryFor after the first try. */
    private Destination failed(
            String transport, TlsReport report, URI rua, int attempts, Instant first, String reason) {
        Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempts - 1, 20));
        Instant next = clock.instant().plus(backoff);
        if (next.isAfter(first.plus(config.retryFor()))) {
            count(transport, Status.FAILED);
            LOG.warn(
                    "TLS-RPT: giving up on report {} to {} after {} attempt(s): {}",
                    report.reportId(),
                    rua,
                    attempts,
                    reason);
            return new Destination(Status.FAILED, attempts, first, Optional.empty(), Optional.of(reason));
        }
        LOG.info("TLS-RPT: report {} to {} failed ({}), retrying at {}", report.reportId(), rua, reason, next);
        return new Destination(Status.RETRYING, attempts, first, Optional.of(next), Optional.of(reason));
    }

    private void count(String transport, Status outcome) {
        reports(transport, outcome).increment();
    }

    private Counter reports(String transport, Status outcome) {
        return registry.counter(
                "sts.relay.tlsrpt.reports",
                "transport",
                transport,
                "outcome",
                outcome.name().toLowerCase(Locale.ROOT));
    }
}
