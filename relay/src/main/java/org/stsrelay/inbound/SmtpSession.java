package org.stsrelay.inbound;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.spool.CommitResult;
import org.stsrelay.spool.Envelope.ClientInfo;
import org.stsrelay.spool.Envelope.Recipient;
import org.stsrelay.spool.IncomingMessage;
import org.stsrelay.spool.QueueId;

/**
 * One SMTP session's state machine (RFC 5321 §3, §4.1): answers each command according to the
 * {@link Phase}, streams DATA into the spool and replies {@code 250} only once it is committed.
 */
final class SmtpSession extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);

    private final ServerContext context;
    private final SmtpFramer framer;
    private final Transaction transaction = new Transaction();
    private ChannelHandlerContext ctx;
    private InetAddress client;
    /** The client's address as text, formatted once per session for the envelope and the log lines. */
    private String clientAddress = "unknown";

    private Phase phase = Phase.CONNECTED;
    private String helo;
    private boolean esmtp;
    private Optional<SSLSession> tls = Optional.empty();
    private String authUser;
    private AuthExchange authExchange;
    private QueueId queueId;
    private IncomingMessage content;
    private boolean contentFailed;
    private ScheduledFuture<?> dataDeadline;
    /** The read timeout of the pipeline's idle handler now: the initializer starts it at the command timeout. */
    private Duration readTimeout;

    private int errors;
    private boolean shutdownRequested;

    SmtpSession(ServerContext context, SmtpFramer framer) {
        this.context = context;
        this.framer = framer;
        this.readTimeout = context.config().commandTimeout();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ClientAddress.of(ctx.channel());
        clientAddress = client.getHostAddress();
        context.metrics().sessionOpened();
        reply(Replies.greeting(context.hostname()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        context.metrics().sessionClosed();
        if (phase == Phase.DATA) {
            content.discard();
        }
        cancelDataDeadline();
        phase = Phase.CLOSED;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("session with {} failed: {}", address(), cause.toString());
        closeWith(Replies.LOCAL_ERROR_CLOSING);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf chunk) {
            onContent(chunk);
        } else if (phase == Phase.CLOSED) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof Frame.CommandLine line) {
            onLine(line.text());
        } else if (msg instanceof Frame.LineTooLong) {
            fail(phase == Phase.AUTH ? authFailed(Replies.LINE_TOO_LONG) : Replies.LINE_TOO_LONG);
        } else if (msg instanceof Frame.EndOfData end) {
            onEndOfData(end.problem());
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            onIdle();
        } else if (event instanceof SslHandshakeCompletionEvent done) {
            onHandshake(done);
        } else if (event == ShutdownEvent.INSTANCE) {
            onShutdown();
        }
        ctx.fireUserEventTriggered(event);
    }

    private void onLine(String line) {
        if (phase == Phase.AUTH) {
            authStep(authExchange.next(line));
        } else if (!Command.isClean(line)) {
            fail(Replies.BAD_CHARACTERS);
        } else {
            dispatch(Command.parse(line));
        }
    }

    private void dispatch(Command command) {
        String arg = command.argument();
        try {
            switch (command.verb()) {
                case EHLO -> hello(arg, true);
                case HELO -> hello(arg, false);
                case MAIL -> mail(arg);
                case RCPT -> rcpt(arg);
                case DATA -> data(arg);
                case RSET -> rset(arg);
                case NOOP -> reply(Replies.OK);
                case QUIT -> closeWith(Replies.BYE);
                case VRFY -> vrfy(arg);
                case HELP -> reply(Replies.HELP);
                case STARTTLS -> startTls(arg);
                case AUTH -> auth(arg);
                case UNKNOWN -> fail(Replies.UNKNOWN_COMMAND);
            }
        } catch (RejectException e) {
            fail(e.reply());
        }
    }

    // RFC 5321 §4.1.4: EHLO/HELO may come at any time and resets the transaction like RSET.
    private void hello(String arg, boolean extended) {
        if (!isHeloArgument(arg)) {
            throw new RejectException(Replies.HELO_REQUIRES_DOMAIN);
        }
        helo = arg;
        esmtp = extended;
        transaction.clear();
        phase = Phase.READY;
        reply(
                extended
                        ? Extensions.ehlo(
                                context.hostname(),
                                context.config().maxMessageSize(),
                                context.tls().isPresent(),
                                tls.isPresent(),
                                context.auth().isPresent())
                        : Reply.plain(250, context.hostname()));
    }

    private void mail(String arg) {
        requireGreeted();
        if (phase != Phase.READY) {
            throw new RejectException(Replies.NESTED_MAIL);
        }
        boolean authOffered = context.auth().isPresent() && tls.isPresent();
        MailFrom mail = MailFrom.parse(
                arg, new MailFrom.Offer(context.config().maxMessageSize(), tls.isPresent(), authOffered));
        transaction.begin(mail);
        phase = Phase.MAIL;
        reply(Replies.SENDER_OK);
    }

    private void rcpt(String arg) {
        requireGreeted();
        if (phase != Phase.MAIL && phase != Phase.RCPT) {
            throw new RejectException(Replies.NEED_MAIL);
        }
        Recipient recipient = RcptTo.parse(arg, transaction.mail().params().smtpUtf8());
        if (!context.mayRelay(client, authUser != null)) {
            context.metrics().rejection(Reason.RELAY_DENIED);
            LOG.info(
                    "relay denied: client {} sender <{}> recipient <{}>",
                    address(),
                    transaction.mail().sender(),
                    recipient.address());
            throw new RejectException(Replies.RELAY_DENIED);
        }
        if (transaction.recipients().size() >= context.config().maxRecipients()) {
            // RFC 5321 §4.5.3.1.10: a temporary 452 makes the client send the rest in another transaction.
            context.metrics().rejection(Reason.TOO_MANY_RECIPIENTS);
            reply(Replies.TOO_MANY_RECIPIENTS);
            return;
        }
        transaction.add(recipient);
        phase = Phase.RCPT;
        reply(Replies.RECIPIENT_OK);
    }

    private void data(String arg) {
        requireGreeted();
        if (!arg.isEmpty()) {
            throw new RejectException(Replies.NO_ARGUMENTS);
        }
        switch (phase) {
            case READY -> throw new RejectException(Replies.NEED_RCPT);
            // RFC 2920 §3.1: with pipelining every RCPT may have failed; DATA then fails too.
            case MAIL -> throw new RejectException(Replies.NO_VALID_RECIPIENTS);
            default -> beginData();
        }
    }

    private void beginData() {
        queueId = context.spool().nextId();
        content = context.spool().newMessage();
        contentFailed = false;
        phase = Phase.DATA;
        framer.startData();
        swapTimeout(context.config().dataTimeout());
        // The idle timeout alone lets a client drip a byte at a time for as long as it likes.
        dataDeadline = ctx.executor()
                .schedule(this::dataTooSlow, context.config().dataTotalTimeout().toNanos(), TimeUnit.NANOSECONDS);
        reply(Replies.START_DATA);
        // IncomingMessage is append-only, so the trace header goes first (RFC 5321 §4.4).
        append(Unpooled.wrappedBuffer(receivedHeader().bytes()));
    }

    private ReceivedHeader receivedHeader() {
        var recipients = transaction.recipients();
        boolean utf8 = transaction.mail().params().smtpUtf8();
        return new ReceivedHeader(
                helo,
                client,
                context.hostname(),
                ReceivedHeader.protocol(esmtp, utf8, tls.isPresent(), authUser != null),
                queueId.value(),
                recipients.size() == 1 ? Optional.of(recipients.get(0).address()) : Optional.empty(),
                tls.map(s -> s.getProtocol() + " with cipher " + s.getCipherSuite()),
                context.clock().instant().atZone(context.clock().getZone()));
    }

    private void onContent(ByteBuf chunk) {
        if (phase != Phase.DATA) {
            chunk.release();
            return;
        }
        append(chunk);
    }

    private void append(ByteBuf chunk) {
        CompletableFuture<Void> appended = content.append(chunk).toCompletableFuture();
        if (appended.isDone()) {
            contentFailed |= appended.isCompletedExceptionally();
            return;
        }
        // The spool is slower than the client: stop reading until it has taken these bytes.
        framer.pause();
        appended.whenComplete((ok, error) -> ctx.executor().execute(() -> {
            contentFailed |= error != null;
            if (phase == Phase.DATA) {
                framer.resume();
            }
        }));
    }

    private void onEndOfData(DataProblem problem) {
        if (phase != Phase.DATA) {
            return;
        }
        cancelDataDeadline();
        swapTimeout(context.config().commandTimeout());
        if (problem != DataProblem.NONE || contentFailed) {
            Reason reason = problem != DataProblem.NONE ? problem.reason() : Reason.SPOOL_ERROR;
            content.discard();
            context.metrics().messageRejected(reason);
            LOG.info(
                    "rejected message from {} sender=<{}>: {}",
                    address(),
                    transaction.mail().sender(),
                    reason.tag());
            reply(problem != DataProblem.NONE ? problem.reply() : Replies.LOCAL_ERROR);
            endTransaction();
            return;
        }
        commit();
    }

    private void commit() {
        phase = Phase.COMMITTING;
        QueueId id = queueId;
        long size = content.size();
        // Shared with earlier messages of the same client: the queue may keep this envelope for days.
        ClientInfo info = context.clients()
                .intern(new ClientInfo(
                        address(),
                        helo,
                        tls.map(SSLSession::getProtocol),
                        tls.map(SSLSession::getCipherSuite),
                        Optional.ofNullable(authUser)));
        var timing = context.metrics().dataEnded();
        context.spool()
                .commit(transaction.envelope(id, info, context.clock().instant()), content)
                .whenComplete((result, error) -> ctx.executor().execute(() -> {
                    committed(id, size, result, error);
                    context.metrics().dataReplied(timing);
                }));
    }

    // The spool completes on its own thread; this runs back on the channel's event loop.
    private void committed(QueueId id, long size, CommitResult result, Throwable error) {
        if (result instanceof CommitResult.Committed) {
            context.metrics().messageAccepted(size);
            // Guarded: the arguments alone cost a formatted address and an array per message when INFO is off.
            if (LOG.isInfoEnabled()) {
                LOG.info(
                        "accepted {} from {} sender=<{}> recipients={} size={} tls={}",
                        id,
                        address(),
                        transaction.mail().sender(),
                        transaction.recipients().size(),
                        size,
                        tls.map(s -> s.getProtocol() + "/" + s.getCipherSuite()).orElse("none"));
            }
            reply(Replies.QUEUED.with(id.value()));
        } else {
            String why = error != null ? error.toString() : ((CommitResult.Failed) result).reason();
            context.metrics().messageRejected(Reason.SPOOL_ERROR);
            LOG.warn("rejected message {} from {}: spool commit failed: {}", id, address(), why);
            reply(Replies.LOCAL_ERROR);
        }
        endTransaction();
    }

    private void endTransaction() {
        transaction.clear();
        content = null;
        queueId = null;
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.READY;
        resumeReading();
    }

    // RFC 5321 §3.5.3: 252 says the address is not verified but mail to it will be tried.
    private void vrfy(String arg) {
        if (arg.isEmpty()) {
            throw new RejectException(Replies.SYNTAX);
        }
        reply(Replies.VRFY);
    }

    private void rset(String arg) {
        if (!arg.isEmpty()) {
            throw new RejectException(Replies.NO_ARGUMENTS);
        }
        transaction.clear();
        if (phase != Phase.CONNECTED) {
            phase = Phase.READY;
        }
        reply(Replies.OK);
    }

    private void startTls(String arg) {
        StartTls.check(arg, context.tls().isPresent(), tls.isPresent(), authUser != null, phase);
        if (framer.buffered() > 0) {
            // RFC 3207 §4.2 / CVE-2011-0411: bytes sent before the handshake must never count as protected.
            context.metrics().rejection(Reason.STARTTLS_INJECTION);
            LOG.info("closing session with {}: commands pipelined after STARTTLS", address());
            closeWith(Replies.PIPELINED_STARTTLS);
            return;
        }
        phase = Phase.TLS_HANDSHAKE;
        framer.pause();
        SslHandler handler = new SslHandler(context.tls().get().newEngine(ctx.alloc()), true);
        ctx.pipeline().addBefore("framing", "tls", handler);
        reply(Replies.READY_FOR_TLS);
    }

    private void onHandshake(SslHandshakeCompletionEvent done) {
        if (!done.isSuccess()) {
            LOG.info("TLS handshake with {} failed: {}", address(), done.cause().toString());
            phase = Phase.CLOSED;
            ctx.close();
            return;
        }
        tls = Optional.of(ctx.pipeline().get(SslHandler.class).engine().getSession());
        // RFC 3207 §4.2: forget everything learnt before TLS; the client must EHLO again.
        helo = null;
        transaction.clear();
        phase = Phase.CONNECTED;
        resumeReading();
    }

    private void auth(String arg) {
        if (context.auth().isEmpty()) {
            throw new RejectException(Replies.NOT_IMPLEMENTED);
        }
        if (tls.isEmpty()) {
            throw new RejectException(Replies.AUTH_NEEDS_TLS);
        }
        requireGreeted();
        if (authUser != null) {
            throw new RejectException(Replies.ALREADY_AUTHENTICATED);
        }
        if (phase != Phase.READY) {
            throw new RejectException(Replies.NOT_IN_TRANSACTION);
        }
        if (context.authThrottle().isLockedOut(client)) {
            lockOut();
            return;
        }
        authExchange = AuthExchange.of(arg);
        if (authExchange == null) {
            throw new RejectException(arg.isEmpty() ? Replies.SYNTAX : Replies.UNKNOWN_MECHANISM);
        }
        phase = Phase.AUTH;
        authStep(authExchange.start(arg));
    }

    private void authStep(AuthExchange.Step step) {
        if (step instanceof AuthExchange.Challenge challenge) {
            reply(challenge.reply());
        } else if (step instanceof AuthExchange.Fail failure && failure.reply().equals(Replies.AUTH_FAILED)) {
            credentialsRejected("(refused without a lookup)");
        } else if (step instanceof AuthExchange.Fail failure) {
            fail(authFailed(failure.reply()));
        } else if (step instanceof AuthExchange.Verify verify) {
            framer.pause();
            context.auth()
                    .get()
                    .verify(verify.user(), verify.password())
                    .whenComplete((ok, error) ->
                            ctx.executor().execute(() -> verified(verify.user(), Boolean.TRUE.equals(ok))));
        }
    }

    private void verified(String user, boolean ok) {
        if (phase != Phase.AUTH) {
            return;
        }
        if (!ok) {
            credentialsRejected(user);
            return;
        }
        phase = Phase.READY;
        authUser = user;
        authExchange = null;
        LOG.info("client {} authenticated as {}", address(), user);
        reply(Replies.AUTH_OK);
        resumeReading();
    }

    // Every rejected password counts against the client's address, in this session and the next ones.
    private void credentialsRejected(String user) {
        context.metrics().rejection(Reason.AUTH_FAILED);
        AuthThrottle.Penalty penalty = context.authThrottle().failed(client);
        LOG.info(
                "authentication failed: client {} user {}; reply in {} ms",
                address(),
                user,
                penalty.delay().toMillis());
        framer.pause();
        if (penalty.delay().isZero()) {
            penalise(penalty);
        } else {
            // Scheduled on the channel's executor: the event loop serves other sessions meanwhile.
            ctx.executor().schedule(() -> penalise(penalty), penalty.delay().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void penalise(AuthThrottle.Penalty penalty) {
        if (phase != Phase.AUTH) {
            return;
        }
        if (penalty instanceof AuthThrottle.LockedOut) {
            lockOut();
            return;
        }
        fail(authFailed(Replies.AUTH_FAILED));
        resumeReading();
    }

    // RFC 4954 §9 allows dropping the connection after failed attempts; the address has had at least 3.
    private void lockOut() {
        context.metrics().rejection(Reason.AUTH_THROTTLED);
        LOG.info("closing session with {}: too many failed AUTH attempts from this address", address());
        closeWith(Replies.AUTH_LOCKED_OUT);
    }

    private Reply authFailed(Reply reply) {
        authExchange = null;
        phase = Phase.READY;
        return reply;
    }

    private void onIdle() {
        // A paused session waits for the spool or the hasher, not for the client.
        if (framer.isPaused() || phase == Phase.CLOSED) {
            return;
        }
        context.metrics().rejection(Reason.TIMEOUT);
        LOG.info("closing session with {}: timeout in phase {}", address(), phase);
        if (phase == Phase.DATA) {
            content.discard();
        }
        closeWith(Replies.TIMEOUT);
    }

    private void dataTooSlow() {
        if (phase != Phase.DATA) {
            return;
        }
        context.metrics().rejection(Reason.DATA_TOO_SLOW);
        LOG.info(
                "closing session with {}: DATA not complete after {}",
                address(),
                context.config().dataTotalTimeout());
        content.discard();
        closeWith(Replies.DATA_TOO_SLOW);
    }

    private void cancelDataDeadline() {
        if (dataDeadline != null) {
            dataDeadline.cancel(false);
            dataDeadline = null;
        }
    }

    private void onShutdown() {
        switch (phase) {
            case DATA, COMMITTING, AUTH, TLS_HANDSHAKE -> shutdownRequested = true;
            case CLOSED -> {}
            default -> closeWith(Replies.SHUTTING_DOWN);
        }
    }

    private void requireGreeted() {
        if (phase == Phase.CONNECTED) {
            throw new RejectException(Replies.SEND_HELO_FIRST);
        }
    }

    private void fail(Reply reply) {
        reply(reply);
        // RFC 5321 §4.5.3.2 allows closing on abuse; a client that keeps erring is cut off.
        if (++errors >= context.config().maxBadCommands() && phase != Phase.CLOSED) {
            context.metrics().rejection(Reason.TOO_MANY_ERRORS);
            LOG.info("closing session with {}: {} errors", address(), errors);
            if (phase == Phase.DATA) {
                content.discard();
            }
            closeWith(Replies.TOO_MANY_ERRORS);
        }
    }

    // After a wait on the spool, the hasher, the AUTH delay or the handshake: a shutdown asked for meanwhile closes
    // now.
    private void resumeReading() {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (shutdownRequested) {
            closeWith(Replies.SHUTTING_DOWN);
        } else {
            framer.resume();
        }
    }

    private void reply(Reply reply) {
        ctx.writeAndFlush(reply);
    }

    private void closeWith(Reply reply) {
        phase = Phase.CLOSED;
        framer.pause();
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    private void swapTimeout(Duration timeout) {
        // The defaults are equal; the idle timer already counts from the line just read, so the same timeout
        // needs no new handler (and no cancelled and rescheduled timer twice per message).
        if (timeout.equals(readTimeout)) {
            return;
        }
        readTimeout = timeout;
        ctx.pipeline().replace("timeouts", "timeouts", SmtpServerInitializer.timeouts(timeout));
    }

    private String address() {
        return clientAddress;
    }

    private static boolean isHeloArgument(String arg) {
        if (arg.isEmpty()) {
            return false;
        }
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c < 0x80 && !Character.isLetterOrDigit(c) && ".-_:[]".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
