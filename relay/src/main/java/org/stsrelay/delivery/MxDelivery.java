package org.stsrelay.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.smtp.SmtpRequests;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.DaneConfig;
import org.stsrelay.config.DeliveryConfig;
import org.stsrelay.config.MtaStsConfig.Enforcement;
import org.stsrelay.dane.DaneLookup;
import org.stsrelay.dane.DaneStatus;
import org.stsrelay.dane.DaneVerifier;
import org.stsrelay.delivery.RecipientResult.Outcome;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.PolicySource;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.support.NamedThreads;
import org.stsrelay.support.TrustStores;

/**
 * Delivers to a domain's MX hosts over SMTP, applying DANE where the hosts publish DNSSEC-signed TLSA records
 * (RFC 7672) and the domain's MTA-STS policy elsewhere (RFC 8461 §4, §5): route, one policy lookup per
 * attempt, STARTTLS with exact certificate classification, the decision, transfer, and connection reuse.
 * Produces a result per recipient and a TLS result per TLS session and policy domain.
 */
public final class MxDelivery implements DomainDelivery, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MxDelivery.class);
    /** An idle connection older than this is checked with RSET before it carries a message. */
    static final Duration RSET_AFTER_IDLE = Duration.ofSeconds(2);

    private final DeliveryConfig config;
    private final Enforcement enforcement;
    private final DaneConfig.Mode daneMode;
    private final PolicySource policies;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final RouteResolver routes;
    private final DaneLookup daneLookup;
    private final HostJudge judge;
    private final SessionResults sessions;
    private final Connector connector;
    private final MessageTransfer transfer;
    private final OutboundConnections pool;
    private final ExecutorService contentReaders;

    /**
     * Creates the delivery stage; {@code hostname} is said in EHLO, {@code extraCas} are trusted besides the
     * system's CAs, and {@code group} carries every connection.
     */
    public MxDelivery(
            DeliveryConfig config,
            Enforcement enforcement,
            String hostname,
            DnsClient dns,
            PolicySource policies,
            List<X509Certificate> extraCas,
            EventLoopGroup group,
            MeterRegistry registry,
            Clock clock,
            Random random) {
        this(
                config,
                enforcement,
                DaneConfig.Mode.ENABLED,
                hostname,
                dns,
                policies,
                extraCas,
                group,
                registry,
                clock,
                random);
    }

    /** Creates the delivery stage with {@code daneMode} as the relay-wide DANE switch. */
    public MxDelivery(
            DeliveryConfig config,
            Enforcement enforcement,
            DaneConfig.Mode daneMode,
            String hostname,
            DnsClient dns,
            PolicySource policies,
            List<X509Certificate> extraCas,
            EventLoopGroup group,
            MeterRegistry registry,
            Clock clock,
            Random random) {
        this.config = config;
        this.enforcement = enforcement;
        this.daneMode = daneMode;
        this.policies = policies;
        this.clock = clock;
        this.metrics = new DeliveryMetrics(registry);
        this.routes = new RouteResolver(dns, config, random);
        this.daneLookup = new DaneLookup(dns);
        this.judge = new HostJudge(new DaneDecision(new DaneVerifier(clock)));
        this.sessions = new SessionResults(clock);
        ClientEngines tls = ClientEngines.create();
        log.info("outbound TLS runs on the {} provider", tls.provider());
        this.connector = new Connector(
                group, config.timeouts(), hostname, tls, new CertificateCheck(TrustStores.pkix(extraCas), clock));
        // Content is read from the spool off the event loop: disk reads may block.
        this.contentReaders = Executors.newCachedThreadPool(NamedThreads.daemon("delivery-content"));
        this.transfer = new MessageTransfer(config.timeouts(), contentReaders);
        // A delivery waits for a free connection at most as long as it would wait for a connect.
        this.pool = new OutboundConnections(
                config.maxConnections(),
                config.maxConnectionsPerDomain(),
                config.maxMessagesPerConnection(),
                config.connectionIdleTimeout(),
                config.timeouts().connect(),
                clock,
                group);
    }

    @Override
    public CompletionStage<DeliveryReport> deliver(DeliveryRequest request) {
        Instant start = clock.instant();
        Optional<DeliveryConfig.Override> override =
                Optional.ofNullable(config.overrides().get(request.domain()));
        Optional<Mode> forced =
                override.flatMap(DeliveryConfig.Override::policy).flatMap(Mode::fromToken);
        AppliedDane dane = AppliedDane.of(daneMode, override.flatMap(DeliveryConfig.Override::dane));
        // RFC 8461 §5: one policy per attempt, for all of this domain's recipients.
        CompletableFuture<PolicyLookup> lookup =
                policies.lookup(request.domain()).toCompletableFuture();
        CompletableFuture<Route> route = routes.route(
                request.domain(), override.flatMap(DeliveryConfig.Override::nextHop), dane.lookups(), dane.enforcing());
        return lookup.thenCombine(route, (found, where) -> new Object[] {found, where})
                .thenCompose(both -> {
                    AppliedPolicy policy =
                            AppliedPolicy.of((PolicyLookup) both[0], forced, enforcement, request.tlsOptional());
                    Attempt attempt = new Attempt(request, policy, dane);
                    return follow(attempt, (Route) both[1]).thenApply(results -> finish(attempt, results, start));
                });
    }

    private CompletableFuture<List<RecipientResult>> follow(Attempt attempt, Route route) {
        List<Integer> all = attempt.request.recipients();
        if (route instanceof Route.NullMx) {
            return done(RecipientResults.all(
                    all,
                    Outcome.FAILED,
                    556,
                    "5.1.10",
                    "the domain accepts no mail (null MX, RFC 7505)",
                    Optional.empty()));
        }
        if (route instanceof Route.NoDomain nx) {
            return done(RecipientResults.all(
                    all, Outcome.FAILED, 550, "5.1.2", "domain does not exist: " + nx.reason(), Optional.empty()));
        }
        if (route instanceof Route.DnsTrouble trouble) {
            return done(RecipientResults.all(
                    all, Outcome.DEFERRED, 451, "4.4.3", "MX lookup failed: " + trouble.reason(), Optional.empty()));
        }
        Route.Hosts hosts = (Route.Hosts) route;
        // RFC 8689 §4.2.1: REQUIRETLS goes only to an MX authenticated by a published enforce policy, or by DANE
        // below a DNSSEC-signed MX RRset.
        boolean requireTls = attempt.request.envelope().params().requireTls();
        if (requireTls && !attempt.policy.publishedEnforce() && !(hosts.secure() && attempt.dane.enforcing())) {
            return done(RecipientResults.all(
                    all,
                    Outcome.DEFERRED,
                    451,
                    "4.7.30",
                    "REQUIRETLS: " + attempt.request.domain()
                            + " has no MTA-STS enforce policy in force and no DNSSEC-signed MX records for DANE",
                    Optional.empty()));
        }
        return pool.slot(attempt.request.domain()).thenCompose(slot -> {
            if (slot.isEmpty()) {
                return done(RecipientResults.all(
                        all, Outcome.DEFERRED, 451, "4.4.5", "too many connections", Optional.empty()));
            }
            return walk(attempt, hosts, 0)
                    .whenComplete((results, error) -> slot.get().release());
        });
    }

    /** RFC 8461 §5.1, RFC 7672 §2.2.1: MX hosts in order; a refused candidate is treated as unreachable. */
    private CompletableFuture<List<RecipientResult>> walk(Attempt attempt, Route.Hosts route, int next) {
        if (next >= route.hosts().size()) {
            return done(attempt.giveUp());
        }
        String host = route.hosts().get(next);
        return daneStatus(attempt, route, host)
                .thenCompose(status -> atHost(attempt, host, route.port(), status))
                .thenCompose(
                        delivered -> delivered.isPresent() ? done(delivered.get()) : walk(attempt, route, next + 1));
    }

    /** What DNSSEC says about {@code host}; DANE applies only below a secure MX RRset (RFC 7672 §2.2.1). */
    private CompletableFuture<DaneStatus> daneStatus(Attempt attempt, Route.Hosts route, String host) {
        if (!attempt.dane.lookups()) {
            return done(new DaneStatus.NotApplicable("DANE is off for " + attempt.request.domain()));
        }
        if (!route.secure()) {
            return done(new DaneStatus.NotApplicable(
                    "the MX records of " + attempt.request.domain() + " are not DNSSEC-signed"));
        }
        if (RouteResolver.isLiteral(host)) {
            return done(new DaneStatus.NotApplicable("an address literal has no TLSA records (RFC 7672 §2.2)"));
        }
        return daneLookup.host(host, attempt.request.domain(), route.tlsaPort());
    }

    /** DANE decides where it applies and enforces; everything else goes the MTA-STS way (RFC 8461 §2). */
    private CompletableFuture<Optional<List<RecipientResult>>> atHost(
            Attempt attempt, String host, int port, DaneStatus status) {
        boolean daneOnly = attempt.request.envelope().params().requireTls() && !attempt.policy.publishedEnforce();
        HostPlan plan = HostPlan.of(attempt.dane, daneOnly, host, status);
        if (plan instanceof HostPlan.Dane dane) {
            return addresses(
                    attempt,
                    new HostTls(host, Optional.of(dane.records()), true),
                    port,
                    routes.allowed(dane.records().addresses()),
                    0);
        }
        if (plan instanceof HostPlan.MtaSts sts) {
            return mtaSts(attempt, host, port, sts.observed(), sts.known());
        }
        if (plan instanceof HostPlan.Unreachable unreachable) {
            if (unreachable.daneLine()) {
                AttemptLog.dane(
                        attempt.request.envelope().id().toString(),
                        attempt.request.domain(),
                        host,
                        "-",
                        host,
                        true,
                        "unreachable",
                        unreachable.reason());
            }
            attempt.unreachable(host, unreachable.reason());
            return done(Optional.empty());
        }
        HostPlan.DaneFailure failed = (HostPlan.DaneFailure) plan;
        TlsResult.Failure failure = failed.failure();
        record(attempt, sessions.dane(failed.baseDomain(), List.of(), host, null, null, null, Optional.of(failure)));
        AttemptLog.dane(
                attempt.request.envelope().id().toString(),
                attempt.request.domain(),
                host,
                "-",
                failed.baseDomain(),
                failed.enforced(),
                failure.type().token(),
                failure.reasonCode());
        if (!failed.enforced()) {
            return mtaSts(attempt, host, port, Optional.empty(), Optional.empty());
        }
        metrics.refusal(failure.type());
        refuse(attempt, "DANE", host, "-", "none", failure);
        return done(Optional.empty());
    }

    /**
     * RFC 8461 §4.1, §5: the MTA-STS path; {@code observed} are TLSA records DANE only reports on, and
     * {@code known} the host's addresses when the DANE lookup already found them.
     */
    private CompletableFuture<Optional<List<RecipientResult>>> mtaSts(
            Attempt attempt,
            String host,
            int port,
            Optional<DaneStatus.Applies> observed,
            Optional<List<InetAddress>> known) {
        Optional<TlsResult.Failure> mismatch = TlsDecision.mxMismatch(attempt.policy, host);
        mismatch.ifPresent(m -> metrics.mxMismatch());
        if (mismatch.isPresent() && attempt.policy.mode() == PolicyMode.ENFORCE) {
            // RFC 8461 §4.1, §5: an MX outside the policy is not contacted at all.
            record(attempt, sessions.session(attempt, host, null, null, null, mismatch));
            refuse(attempt, "MTA-STS enforce", host, "-", "none", mismatch.get());
            return done(Optional.empty());
        }
        HostTls rule = new HostTls(host, observed, false);
        CompletableFuture<List<InetAddress>> addresses =
                known.isPresent() ? done(routes.allowed(known.get())) : routes.addresses(host);
        return addresses.thenCompose(found -> {
            if (found.isEmpty()) {
                attempt.unreachable(host, "no address");
                return done(Optional.empty());
            }
            return addresses(attempt, rule, port, found, 0);
        });
    }

    private CompletableFuture<Optional<List<RecipientResult>>> addresses(
            Attempt attempt, HostTls rule, int port, List<InetAddress> addresses, int next) {
        if (next >= addresses.size()) {
            if (addresses.isEmpty()) {
                attempt.unreachable(rule.host(), "no address");
            }
            return done(Optional.empty());
        }
        InetSocketAddress address = new InetSocketAddress(addresses.get(next), port);
        return atAddress(attempt, rule, address)
                .thenCompose(delivered ->
                        delivered.isPresent() ? done(delivered) : addresses(attempt, rule, port, addresses, next + 1));
    }

    /** Reuses an idle connection the host's rule accepts (RSET first, RFC 5321 §4.1.1.5), else opens one. */
    private CompletableFuture<Optional<List<RecipientResult>>> atAddress(
            Attempt attempt, HostTls rule, InetSocketAddress address) {
        OutboundConnections.Key key =
                new OutboundConnections.Key(rule.host(), address.getAddress().getHostAddress(), address.getPort());
        Optional<SmtpConnection> idle = pool.takeIdle(
                key,
                c -> !judge.judge(attempt.policy, rule, c.observation())
                        .applied()
                        .refused());
        if (idle.isEmpty()) {
            return fresh(attempt, key, rule, address);
        }
        SmtpConnection connection = idle.get();
        // RFC 5321 §4.1.1.4: a completed transaction leaves the session ready for the next MAIL, so a connection
        // handed back moments ago is used at once; RSET checks only one that sat idle, when the server may have
        // given up on it.
        if (Duration.between(connection.idleSince(), clock.instant()).compareTo(RSET_AFTER_IDLE) < 0) {
            return reused(attempt, key, rule, connection);
        }
        return connection
                .command(SmtpRequests.rset(), config.timeouts().mail(), "the RSET reply")
                .handle((reply, error) -> error == null && reply.code() == 250)
                .thenCompose(clean -> {
                    if (!clean) {
                        connection.close();
                        return fresh(attempt, key, rule, address);
                    }
                    return reused(attempt, key, rule, connection);
                });
    }

    private CompletableFuture<Optional<List<RecipientResult>>> reused(
            Attempt attempt, OutboundConnections.Key key, HostTls rule, SmtpConnection connection) {
        metrics.connectionReused();
        HostJudge.Judgement judgement = judge.judge(attempt.policy, rule, connection.observation());
        // RFC 8460 §4.3, §4.4: the report counts TLS sessions, so a reused connection adds nothing to
        // a policy domain it already counted for; a domain new to it gets the session counted once.
        reportReused(attempt, rule, connection, judgement);
        return send(attempt, key, connection, rule);
    }

    private CompletableFuture<Optional<List<RecipientResult>>> fresh(
            Attempt attempt, OutboundConnections.Key key, HostTls rule, InetSocketAddress address) {
        return open(address)
                .thenCompose(greeted -> connector
                        .startTls(greeted, rule.host(), rule.serverName(), address.getPort())
                        .thenCompose(seen -> decided(attempt, key, rule, address, greeted, seen)))
                .exceptionally(failure -> {
                    // RFC 8460 §4.3.4: refused or silent connections are transient, not TLS results.
                    attempt.unreachable(rule.host(), SmtpFailure.reasonOf(failure));
                    return Optional.empty();
                });
    }

    private CompletableFuture<Optional<List<RecipientResult>>> decided(
            Attempt attempt,
            OutboundConnections.Key key,
            HostTls rule,
            InetSocketAddress address,
            Connector.Greeted greeted,
            MxObservation seen) {
        HostJudge.Judgement judgement = judge.judge(attempt.policy, rule, seen);
        Verdict verdict = judgement.applied();
        String host = rule.host();
        String ip = address.getAddress().getHostAddress();
        java.net.SocketAddress remote = greeted.channel().remoteAddress();
        java.net.SocketAddress local = greeted.channel().localAddress();
        String helo = greeted.extensions().name();
        judgement
                .dane()
                .ifPresent(dane -> reportDane(
                        attempt,
                        rule,
                        ip,
                        dane,
                        sessions.dane(
                                rule.dane().get().baseDomain(),
                                rule.dane().get().presentation(),
                                host,
                                remote,
                                local,
                                helo,
                                dane.verdict().failure())));
        if (!rule.daneDecides()) {
            record(attempt, sessions.session(attempt, host, remote, local, helo, verdict.failure()));
        }
        String tlsSeen = seen instanceof MxObservation.Tls tls ? tls.protocol() + "/" + tls.cipher() : "none";
        switch (verdict.action()) {
            case REFUSE -> {
                // RFC 8461 §5, RFC 7672 §3.2: nothing is sent to this MX; QUIT and go on.
                greeted.channel()
                        .writeAndFlush(SmtpRequests.quit())
                        .addListener(done -> greeted.channel().close());
                metrics.refusal(verdict.failure().orElseThrow().type());
                refuse(
                        attempt,
                        rule.refusedBy(),
                        host,
                        ip,
                        tlsSeen,
                        verdict.failure().orElseThrow());
                return done(Optional.empty());
            }
            case RECONNECT_PLAINTEXT -> {
                greeted.channel().close();
                metrics.plaintext(attempt.policy.mode());
                return open(address)
                        .thenCompose(again ->
                                send(attempt, key, connection(attempt, rule, again, Optional.empty(), seen), rule));
            }
            case DELIVER_PLAINTEXT -> {
                metrics.plaintext(attempt.policy.mode());
                return send(attempt, key, connection(attempt, rule, greeted, Optional.empty(), seen), rule);
            }
            default -> {
                MxObservation.Tls tls = (MxObservation.Tls) seen;
                metrics.tlsSession(tls.protocol());
                SmtpConnection.TlsSession session = new SmtpConnection.TlsSession(
                        tls.protocol(), tls.cipher(), verdict.action() == Verdict.Action.DELIVER_VERIFIED);
                // RFC 3207 §4.2: after TLS the client discards what it knew and says EHLO again.
                return connector
                        .ehlo(greeted.channel(), greeted.replies())
                        .thenCompose(again ->
                                send(attempt, key, connection(attempt, rule, again, Optional.of(session), seen), rule));
            }
        }
    }

    private void reportDane(Attempt attempt, HostTls rule, String ip, DaneDecision.Outcome dane, TlsResult result) {
        record(attempt, result);
        AttemptLog.dane(
                attempt.request.envelope().id().toString(),
                attempt.request.domain(),
                rule.host(),
                ip,
                rule.dane().orElseThrow().baseDomain(),
                rule.daneDecides(),
                dane.verdict().failure().map(f -> f.type().token()).orElse("success"),
                dane.detail());
    }

    /** Records the results of a reused connection's session under each policy domain that has not counted it. */
    private void reportReused(Attempt attempt, HostTls rule, SmtpConnection connection, HostJudge.Judgement judgement) {
        if (judgement.dane().isPresent()) {
            DaneStatus.Applies records = rule.dane().orElseThrow();
            DaneDecision.Outcome dane = judgement.dane().get();
            if (claim(attempt, connection, daneScope(records))) {
                reportDane(
                        attempt,
                        rule,
                        connection.remoteIp(),
                        dane,
                        sessions.dane(
                                records.baseDomain(),
                                records.presentation(),
                                rule.host(),
                                connection.channel().remoteAddress(),
                                connection.channel().localAddress(),
                                connection.extensions().name(),
                                dane.verdict().failure()));
            }
        }
        if (rule.daneDecides()) {
            return;
        }
        Optional<TlsResult.Failure> failure = judgement.applied().failure();
        if (claim(attempt, connection, attempt.reportScope())) {
            record(attempt, sessions.session(attempt, rule.host(), connection, failure));
        } else {
            attempt.sessionResult(SessionResults.sessionFailure(attempt, failure));
        }
    }

    private CompletableFuture<Connector.Greeted> open(InetSocketAddress address) {
        pool.beforeOpening();
        return connector.open(address).thenApply(greeted -> {
            metrics.connectionOpened();
            greeted.channel().closeFuture().addListener(closed -> metrics.connectionClosed());
            return greeted;
        });
    }

    /** A connection for mail, whose session was just reported under each policy domain its rule applies. */
    private static SmtpConnection connection(
            Attempt attempt,
            HostTls rule,
            Connector.Greeted greeted,
            Optional<SmtpConnection.TlsSession> tls,
            MxObservation seen) {
        SmtpConnection connection =
                new SmtpConnection(greeted.channel(), greeted.replies(), rule.host(), tls, greeted.extensions(), seen);
        rule.dane().ifPresent(records -> claim(attempt, connection, daneScope(records)));
        if (!rule.daneDecides()) {
            claim(attempt, connection, attempt.reportScope());
        }
        return connection;
    }

    /** RFC 8460 §4.4: DANE sessions are reported under the TLSA base domain and its records. */
    private static SmtpConnection.ReportScope daneScope(DaneStatus.Applies records) {
        return new SmtpConnection.ReportScope(records.baseDomain(), records.presentation());
    }

    /**
     * Whether {@code attempt} reports {@code connection}'s session under {@code scope}: only a reportable attempt
     * claims it, so a session that first carried a TLS report (never recorded, RFC 8460 §3) is still counted
     * for ordinary mail.
     */
    private static boolean claim(Attempt attempt, SmtpConnection connection, SmtpConnection.ReportScope scope) {
        return attempt.request.reportable() && connection.claimReport(scope);
    }

    private CompletableFuture<Optional<List<RecipientResult>>> send(
            Attempt attempt, OutboundConnections.Key key, SmtpConnection connection, HostTls rule) {
        attempt.contacted(connection.mxHost(), connection.remoteIp(), !rule.daneDecides());
        attempt.tls(connection.tls().map(SmtpConnection.TlsSession::describe).orElse("none"));
        return transfer.send(connection, attempt.request).thenApply(sent -> {
            if (sent.reusable()) {
                pool.giveBack(key, connection);
            } else {
                connection.close();
            }
            return Optional.of(sent.recipients());
        });
    }

    // One log line per refused MX (RFC 8461 §5: the next MX is tried), so a fallback shows every refusal.
    private void refuse(Attempt attempt, String by, String host, String ip, String tls, TlsResult.Failure failure) {
        attempt.refused(by, host, ip, tls, failure);
        AttemptLog.attempt(
                attempt.request.envelope().id().toString(),
                attempt.request.domain(),
                host,
                ip,
                attempt.policy.mode(),
                tls,
                failure.type().token(),
                attempt.refusal(by, host, failure));
    }

    private void record(Attempt attempt, TlsResult result) {
        metrics.tlsResult(result);
        attempt.tlsResult(result);
    }

    private DeliveryReport finish(Attempt attempt, List<RecipientResult> results, Instant start) {
        if (!attempt.reachedSession()) {
            // RFC 8461 §6: a failed fetch is reportable even when no MX was reached; it is this attempt's one result.
            attempt.policy
                    .lookupFailure()
                    .ifPresent(failure -> record(attempt, sessions.policyFailure(attempt, failure)));
        }
        results.forEach(r -> metrics.recipient(attempt.policy.mode(), r.outcome()));
        metrics.duration(Duration.between(start, clock.instant()));
        RecipientResult shown = results.stream()
                .filter(r -> r.outcome() != Outcome.DELIVERED)
                .findFirst()
                .orElse(results.get(0));
        // The attempt's lines are written before its report, and so its TLS results, leaves delivery: a kill in
        // between can lose a result, never leave one in the TLS-RPT journal without its line.
        if (attempt.endedInRefusal()) {
            // The refusal's own line already said how this attempt ended.
            return new DeliveryReport(results, attempt.tlsResults());
        }
        AttemptLog.attempt(
                attempt.request.envelope().id().toString(),
                attempt.request.domain(),
                attempt.lastMx(),
                attempt.lastIp(),
                attempt.policy.mode(),
                attempt.tlsDescription(),
                attempt.resultToken(),
                shown);
        return new DeliveryReport(results, attempt.tlsResults());
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** Closes idle connections and the content readers; deliveries in flight finish on their own. */
    @Override
    public void close() {
        pool.close();
        contentReaders.shutdown();
    }
}
