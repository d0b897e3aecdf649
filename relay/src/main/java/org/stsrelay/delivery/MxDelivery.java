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
import org.stsrelay.config.DeliveryConfig;
import org.stsrelay.config.MtaStsConfig.Enforcement;
import org.stsrelay.delivery.RecipientResult.Outcome;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.PolicyLookup;
import org.stsrelay.policy.PolicySource;
import org.stsrelay.policy.dns.DnsClient;

/**
 * Delivers to a domain's MX hosts over SMTP, applying its MTA-STS policy (RFC 8461 §4, §5): route, one policy
 * lookup per attempt, STARTTLS with exact certificate classification, the policy's decision, transfer, and
 * connection reuse. Produces a result per recipient and a TLS result per TLS session and policy domain.
 */
public final class MxDelivery implements DomainDelivery, AutoCloseable {

    private final DeliveryConfig config;
    private final Enforcement enforcement;
    private final PolicySource policies;
    private final Clock clock;
    private final DeliveryMetrics metrics;
    private final RouteResolver routes;
    private final Connector connector;
    private final MessageTransfer transfer;
    private final OutboundConnections pool;
    private final ExecutorService contentReaders;

    /**
     * Creates the delivery stage; {@code hostname} is said in EHLO, {@code extraCas} are trusted besides the
     * system's CAs, and {@code group} carries every connection.
     */
    public MxDelivery(DeliveryConfig config, Enforcement enforcement, String hostname, DnsClient dns,
                      PolicySource policies, List<X509Certificate> extraCas, EventLoopGroup group,
                      MeterRegistry registry, Clock clock, Random random) {
        this.config = config;
        this.enforcement = enforcement;
        this.policies = policies;
        this.clock = clock;
        this.metrics = new DeliveryMetrics(registry);
        this.routes = new RouteResolver(dns, config, random);
        this.connector = new Connector(group, config.timeouts(), hostname,
                new CertificateCheck(ClientTrust.pkix(extraCas), clock));
        // Content is read from the spool off the event loop: disk reads may block.
        this.contentReaders = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "delivery-content");
            thread.setDaemon(true);
            return thread;
        });
        this.transfer = new MessageTransfer(config.timeouts(), contentReaders);
        // A delivery waits for a free connection at most as long as it would wait for a connect.
        this.pool = new OutboundConnections(config.maxConnections(), config.maxConnectionsPerDomain(),
                config.maxMessagesPerConnection(), config.connectionIdleTimeout(), config.timeouts().connect(),
                clock, group);
    }

    @Override
    public CompletionStage<DeliveryReport> deliver(DeliveryRequest request) {
        Instant start = clock.instant();
        Optional<DeliveryConfig.Override> override = Optional.ofNullable(config.overrides().get(request.domain()));
        Optional<Mode> forced = override.flatMap(DeliveryConfig.Override::policy).flatMap(Mode::fromToken);
        // RFC 8461 §5: one policy per attempt, for all of this domain's recipients.
        CompletableFuture<PolicyLookup> lookup = policies.lookup(request.domain()).toCompletableFuture();
        CompletableFuture<Route> route = routes.route(request.domain(), override.flatMap(DeliveryConfig.Override::nextHop));
        return lookup.thenCombine(route, (found, where) -> new Object[] {found, where})
                .thenCompose(both -> {
                    AppliedPolicy policy = AppliedPolicy.of((PolicyLookup) both[0], forced, enforcement,
                            request.tlsOptional());
                    Attempt attempt = new Attempt(request, policy);
                    return follow(attempt, (Route) both[1]).thenApply(results -> finish(attempt, results, start));
                });
    }

    private CompletableFuture<List<RecipientResult>> follow(Attempt attempt, Route route) {
        List<Integer> all = attempt.request.recipients();
        if (route instanceof Route.NullMx) {
            return done(Replies.all(all, Outcome.FAILED, 556, "5.1.10",
                    "the domain accepts no mail (null MX, RFC 7505)", Optional.empty()));
        }
        if (route instanceof Route.NoDomain nx) {
            return done(Replies.all(all, Outcome.FAILED, 550, "5.1.2", "domain does not exist: " + nx.reason(),
                    Optional.empty()));
        }
        if (route instanceof Route.DnsTrouble trouble) {
            return done(Replies.all(all, Outcome.DEFERRED, 451, "4.4.3", "MX lookup failed: " + trouble.reason(),
                    Optional.empty()));
        }
        // RFC 8689 §4.2.1: REQUIRETLS goes only to an MX authenticated by a published enforce policy.
        if (attempt.request.envelope().params().requireTls() && !attempt.policy.publishedEnforce()) {
            return done(Replies.all(all, Outcome.DEFERRED, 451, "4.7.30",
                    "REQUIRETLS: " + attempt.request.domain() + " has no MTA-STS enforce policy in force",
                    Optional.empty()));
        }
        Route.Hosts hosts = (Route.Hosts) route;
        return pool.slot(attempt.request.domain()).thenCompose(slot -> {
            if (slot.isEmpty()) {
                return done(Replies.all(all, Outcome.DEFERRED, 451, "4.4.5", "too many connections",
                        Optional.empty()));
            }
            return walk(attempt, hosts.hosts(), hosts.port(), 0)
                    .whenComplete((results, error) -> slot.get().release());
        });
    }

    /** RFC 8461 §5.1 and F4: MX hosts in order; a refused candidate is treated as unreachable. */
    private CompletableFuture<List<RecipientResult>> walk(Attempt attempt, List<String> hosts, int port, int next) {
        if (next >= hosts.size()) {
            return done(attempt.giveUp());
        }
        String host = hosts.get(next);
        Optional<TlsResult.Failure> mismatch = TlsDecision.mxMismatch(attempt.policy, host);
        mismatch.ifPresent(m -> metrics.mxMismatch());
        if (mismatch.isPresent() && attempt.policy.mode() == PolicyMode.ENFORCE) {
            // RFC 8461 §4.1, §5: an MX outside the policy is not contacted at all.
            record(attempt, session(attempt, host, null, null, null, mismatch));
            refuse(attempt, host, "-", "none", mismatch.get());
            return walk(attempt, hosts, port, next + 1);
        }
        return routes.addresses(host)
                .thenCompose(addresses -> {
                    if (addresses.isEmpty()) {
                        attempt.unreachable(host, "no address");
                        return done(Optional.<List<RecipientResult>>empty());
                    }
                    return addresses(attempt, host, port, addresses, 0);
                })
                .thenCompose(delivered -> delivered.isPresent() ? done(delivered.get())
                        : walk(attempt, hosts, port, next + 1));
    }

    private CompletableFuture<Optional<List<RecipientResult>>> addresses(Attempt attempt, String host, int port,
                                                                         List<InetAddress> addresses, int next) {
        if (next >= addresses.size()) {
            return done(Optional.empty());
        }
        InetSocketAddress address = new InetSocketAddress(addresses.get(next), port);
        return atAddress(attempt, host, address).thenCompose(delivered -> delivered.isPresent()
                ? done(delivered) : addresses(attempt, host, port, addresses, next + 1));
    }

    /** Reuses an idle connection the policy accepts (RSET first, RFC 5321 §4.1.1.5), else opens one. */
    private CompletableFuture<Optional<List<RecipientResult>>> atAddress(Attempt attempt, String host,
                                                                         InetSocketAddress address) {
        OutboundConnections.Key key = new OutboundConnections.Key(host, address.getAddress().getHostAddress(),
                address.getPort());
        Optional<SmtpConnection> idle = pool.takeIdle(key,
                c -> !TlsDecision.decide(attempt.policy, host, c.observation()).refused());
        if (idle.isEmpty()) {
            return fresh(attempt, key, host, address);
        }
        SmtpConnection connection = idle.get();
        return connection.command(SmtpRequests.rset(), config.timeouts().mail(), "the RSET reply")
                .handle((reply, error) -> error == null && reply.code() == 250)
                .thenCompose(clean -> {
                    if (!clean) {
                        connection.close();
                        return fresh(attempt, key, host, address);
                    }
                    metrics.connectionReused();
                    Verdict verdict = TlsDecision.decide(attempt.policy, host, connection.observation());
                    // RFC 8460 §4.3, §4.4: the report counts TLS sessions, so a reused connection adds nothing to
                    // a policy domain it already counted for; a domain new to it gets the session counted once.
                    if (claimReport(attempt, connection)) {
                        record(attempt, session(attempt, host, connection, verdict.failure()));
                    } else {
                        attempt.sessionResult(sessionFailure(attempt, verdict.failure()));
                    }
                    return send(attempt, key, connection);
                });
    }

    private CompletableFuture<Optional<List<RecipientResult>>> fresh(Attempt attempt, OutboundConnections.Key key,
                                                                     String host, InetSocketAddress address) {
        return open(address)
                .thenCompose(greeted -> connector.startTls(greeted, host, address.getPort())
                        .thenCompose(seen -> decided(attempt, key, host, address, greeted, seen)))
                .exceptionally(failure -> {
                    // RFC 8460 §4.3.4: refused or silent connections are transient, not TLS results.
                    attempt.unreachable(host, SmtpFailure.reasonOf(failure));
                    return Optional.empty();
                });
    }

    private CompletableFuture<Optional<List<RecipientResult>>> decided(Attempt attempt, OutboundConnections.Key key,
            String host, InetSocketAddress address, Connector.Greeted greeted, MxObservation seen) {
        Verdict verdict = TlsDecision.decide(attempt.policy, host, seen);
        record(attempt, session(attempt, host, greeted.channel().remoteAddress(), greeted.channel().localAddress(),
                greeted.extensions().name(), verdict.failure()));
        switch (verdict.action()) {
            case REFUSE -> {
                // RFC 8461 §5: nothing is sent to this MX; QUIT and go on.
                greeted.channel().writeAndFlush(SmtpRequests.quit()).addListener(done -> greeted.channel().close());
                metrics.refusal(verdict.failure().orElseThrow().type());
                refuse(attempt, host, address.getAddress().getHostAddress(), seen instanceof MxObservation.Tls tls
                        ? tls.protocol() + "/" + tls.cipher() : "none", verdict.failure().orElseThrow());
                return done(Optional.empty());
            }
            case RECONNECT_PLAINTEXT -> {
                greeted.channel().close();
                metrics.plaintext(attempt.policy.mode());
                return open(address).thenCompose(again -> send(attempt, key,
                        connection(attempt, again, host, Optional.empty(), seen)));
            }
            case DELIVER_PLAINTEXT -> {
                metrics.plaintext(attempt.policy.mode());
                return send(attempt, key, connection(attempt, greeted, host, Optional.empty(), seen));
            }
            default -> {
                MxObservation.Tls tls = (MxObservation.Tls) seen;
                metrics.tlsSession(tls.protocol());
                SmtpConnection.TlsSession session = new SmtpConnection.TlsSession(tls.protocol(), tls.cipher(),
                        tls.problem().isEmpty());
                // RFC 3207 §4.2: after TLS the client discards what it knew and says EHLO again.
                return connector.ehlo(greeted.channel(), greeted.replies()).thenCompose(again -> send(attempt, key,
                        connection(attempt, again, host, Optional.of(session), seen)));
            }
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

    /** A connection for mail, whose session was just reported under {@code attempt}'s policy domain. */
    private static SmtpConnection connection(Attempt attempt, Connector.Greeted greeted, String host,
                                             Optional<SmtpConnection.TlsSession> tls, MxObservation seen) {
        SmtpConnection connection = new SmtpConnection(greeted.channel(), greeted.replies(), host, tls,
                greeted.extensions(), seen);
        claimReport(attempt, connection);
        return connection;
    }

    /**
     * Whether {@code attempt} reports {@code connection}'s session: only a reportable attempt claims it, so a
     * session that first carried a TLS report (never recorded, RFC 8460 §3) is still counted for ordinary mail.
     */
    private static boolean claimReport(Attempt attempt, SmtpConnection connection) {
        return attempt.request.reportable() && connection.claimReport(attempt.reportScope());
    }

    private CompletableFuture<Optional<List<RecipientResult>>> send(Attempt attempt, OutboundConnections.Key key,
                                                                    SmtpConnection connection) {
        attempt.contacted(connection.mxHost(), connection.remoteIp());
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
    private void refuse(Attempt attempt, String host, String ip, String tls, TlsResult.Failure failure) {
        attempt.refused(host, ip, tls, failure);
        AttemptLog.attempt(attempt.request.envelope().id().toString(), attempt.request.domain(), host, ip,
                attempt.policy.mode(), tls, failure.type().token(), attempt.refusal(host, failure));
    }

    private void record(Attempt attempt, TlsResult result) {
        metrics.tlsResult(result);
        attempt.tlsResult(result);
    }

    private TlsResult policyFailure(Attempt attempt, TlsResult.Failure failure) {
        return new TlsResult(clock.instant(), attempt.request.domain(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(failure));
    }

    private TlsResult session(Attempt attempt, String host, SmtpConnection connection,
                              Optional<TlsResult.Failure> failure) {
        return session(attempt, host, connection.channel().remoteAddress(), connection.channel().localAddress(),
                connection.extensions().name(), failure);
    }

    /**
     * The result of one session. RFC 8460 §4.2 counts each session once: when the policy lookup failed, the
     * session is that failure (reported under no-policy-found without MX fields, like the lookup itself), not a
     * lookup failure plus a session of its own.
     */
    private TlsResult session(Attempt attempt, String host, java.net.SocketAddress remote,
                              java.net.SocketAddress local, String helo, Optional<TlsResult.Failure> failure) {
        Optional<TlsResult.Failure> lookup = attempt.policy.lookupFailure();
        if (lookup.isPresent()) {
            return policyFailure(attempt, lookup.get());
        }
        return new TlsResult(clock.instant(), attempt.request.domain(), attempt.policy.policy(), Optional.of(host),
                ip(remote), Optional.ofNullable(helo).filter(h -> !h.isEmpty()), ip(local), failure);
    }

    /** The failure a session is recorded with: the policy lookup's, when it failed, else the MX's. */
    private static Optional<TlsResult.Failure> sessionFailure(Attempt attempt, Optional<TlsResult.Failure> failure) {
        return attempt.policy.lookupFailure().or(() -> failure);
    }

    private static Optional<String> ip(java.net.SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? Optional.of(inet.getAddress().getHostAddress()) : Optional.empty();
    }

    private DeliveryReport finish(Attempt attempt, List<RecipientResult> results, Instant start) {
        if (!attempt.reachedSession()) {
            // RFC 8461 §6: a failed fetch is reportable even when no MX was reached; it is this attempt's one result.
            attempt.policy.lookupFailure().ifPresent(failure -> record(attempt, policyFailure(attempt, failure)));
        }
        results.forEach(r -> metrics.recipient(attempt.policy.mode(), r.outcome()));
        metrics.duration(Duration.between(start, clock.instant()));
        RecipientResult shown = results.stream().filter(r -> r.outcome() != Outcome.DELIVERED).findFirst()
                .orElse(results.get(0));
        // The attempt's lines are written before its report, and so its TLS results, leaves delivery: a kill in
        // between can lose a result, never leave one in the TLS-RPT journal without its line.
        if (attempt.endedInRefusal()) {
            // The refusal's own line already said how this attempt ended.
            return new DeliveryReport(results, attempt.tlsResults());
        }
        AttemptLog.attempt(attempt.request.envelope().id().toString(), attempt.request.domain(), attempt.lastMx(),
                attempt.lastIp(), attempt.policy.mode(), attempt.tlsDescription(), attempt.resultToken(), shown);
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
