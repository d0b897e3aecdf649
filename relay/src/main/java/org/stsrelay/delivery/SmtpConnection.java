package org.stsrelay.delivery;

import io.netty.channel.Channel;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.codec.smtp.SmtpResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One open SMTP client connection to one MX address, after EHLO (and STARTTLS when it was used): the state a
 * pooled connection carries between messages. Commands are issued on the channel's event loop.
 */
final class SmtpConnection {

    private final Channel channel;
    private final ReplyHandler replies;
    private final String mxHost;
    private final Optional<TlsSession> tls;
    private final ServerExtensions extensions;
    private final MxObservation observation;
    private final Set<ReportScope> reported = new HashSet<>();
    private int messages;
    private Instant idleSince;

    SmtpConnection(
            Channel channel,
            ReplyHandler replies,
            String mxHost,
            Optional<TlsSession> tls,
            ServerExtensions extensions,
            MxObservation observation) {
        this.channel = channel;
        this.replies = replies;
        this.mxHost = mxHost;
        this.tls = tls;
        this.extensions = extensions;
        this.observation = observation;
    }

    /** What STARTTLS came to when the connection was opened: a reuse is judged on it again (RFC 8461 §5). */
    MxObservation observation() {
        return observation;
    }

    /**
     * What a TLS session is reported under: RFC 8460 §4.4 aggregates per policy domain and applied policy.
     *
     * @param policyDomain the recipient domain whose policy applied
     * @param policyLines  the applied policy's lines; empty when no policy was found
     */
    record ReportScope(String policyDomain, List<String> policyLines) {}

    /**
     * Claims the report of this connection's TLS session for {@code scope}: true the first time only, so a
     * session reused for many messages counts once per policy domain and policy (RFC 8460 §4.3, §4.4).
     */
    synchronized boolean claimReport(ReportScope scope) {
        return reported.add(scope);
    }

    /**
     * The TLS session of a connection.
     *
     * @param protocol e.g. TLSv1.3
     * @param cipher   e.g. TLS_AES_128_GCM_SHA256
     * @param verified whether the certificate validated for the MX host (PKIX, dates, RFC 6125 name)
     */
    record TlsSession(String protocol, String cipher, boolean verified) {
        String describe() {
            return protocol + "/" + cipher;
        }
    }

    String mxHost() {
        return mxHost;
    }

    String remoteIp() {
        return ((InetSocketAddress) channel.remoteAddress()).getAddress().getHostAddress();
    }

    String localIp() {
        return ((InetSocketAddress) channel.localAddress()).getAddress().getHostAddress();
    }

    Optional<TlsSession> tls() {
        return tls;
    }

    boolean verified() {
        return tls.map(TlsSession::verified).orElse(false);
    }

    ServerExtensions extensions() {
        return extensions;
    }

    Channel channel() {
        return channel;
    }

    boolean isOpen() {
        return channel.isActive();
    }

    int messages() {
        return messages;
    }

    void countMessage() {
        messages++;
    }

    Instant idleSince() {
        return idleSince;
    }

    void idleSince(Instant at) {
        idleSince = at;
    }

    /** Sends one command and waits for its reply. */
    CompletableFuture<SmtpResponse> command(Object request, Duration timeout, String awaiting) {
        return onLoop(() -> {
            CompletableFuture<SmtpResponse> reply = replies.expect(timeout, awaiting);
            channel.writeAndFlush(request);
            return reply;
        });
    }

    /** Writes the commands in one flush and waits for their replies in order (RFC 2920 §3.1). */
    CompletableFuture<List<SmtpResponse>> pipeline(
            List<SmtpRequest> requests, List<Duration> timeouts, List<String> awaiting) {
        return onLoop(() -> {
            @SuppressWarnings("unchecked")
            CompletableFuture<SmtpResponse>[] all = new CompletableFuture[requests.size()];
            for (int i = 0; i < requests.size(); i++) {
                all[i] = replies.expect(timeouts.get(i), awaiting.get(i));
                channel.write(requests.get(i));
            }
            channel.flush();
            return CompletableFuture.allOf(all).thenApply(done -> {
                List<SmtpResponse> answered = new java.util.ArrayList<>(all.length);
                for (CompletableFuture<SmtpResponse> one : all) {
                    answered.add(one.join());
                }
                return answered;
            });
        });
    }

    /** Says QUIT and closes without waiting long for the answer (RFC 5321 §4.1.1.10). */
    void quit() {
        channel.eventLoop().execute(() -> {
            if (channel.isActive()) {
                channel.writeAndFlush(SmtpRequests.quit()).addListener(done -> channel.close());
            }
        });
    }

    /** Closes without QUIT: the conversation is broken, or the server must not see another command. */
    void close() {
        channel.close();
    }

    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> action) {
        if (channel.eventLoop().inEventLoop()) {
            return action.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        channel.eventLoop()
                .execute(() -> action.get().whenComplete((value, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                }));
        return result;
    }
}
