package org.stsrelay.policy.fetch;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.stsrelay.policy.ResultType;

/** The state of one fetch: what has been observed so far and the single outcome; the first outcome wins. */
final class FetchAttempt {

    private final String url;
    private final long startNanos;
    private final CompletableFuture<FetchResult> outcome = new CompletableFuture<>();
    private final List<String> addresses = new ArrayList<>();
    private String connectedTo;
    private String tlsProtocol;
    private RecordingTrustManager trust;
    private int status = -1;
    private String contentType;
    private String redirectLocation;
    private long bodyBytes;
    private Channel channel;

    FetchAttempt(String url, long startNanos) {
        this.url = url;
        this.startNanos = startNanos;
        outcome.whenComplete((result, error) -> closeChannel());
    }

    CompletableFuture<FetchResult> outcome() {
        return outcome;
    }

    boolean isDone() {
        return outcome.isDone();
    }

    synchronized void addresses(List<String> resolved) {
        addresses.addAll(resolved);
    }

    synchronized void connecting(String address, RecordingTrustManager validator) {
        connectedTo = address;
        trust = validator;
    }

    synchronized void connected(Channel connection) {
        channel = connection;
        if (outcome.isDone()) {
            connection.close();
        }
    }

    synchronized void tlsProtocol(String protocol) {
        tlsProtocol = protocol;
    }

    synchronized void response(int code, String type, String location) {
        status = code;
        contentType = type;
        redirectLocation = location;
    }

    synchronized void bodyBytes(long count) {
        bodyBytes = count;
    }

    Optional<String> certificateFailure() {
        RecordingTrustManager validator = trust;
        return validator == null ? Optional.empty() : validator.failure();
    }

    void succeed(String body) {
        outcome.complete(new FetchResult.Fetched(body, info()));
    }

    void fail(ResultType type, String detail) {
        if (!outcome.isDone()) {
            outcome.complete(new FetchResult.Failed(type, detail, info()));
        }
    }

    synchronized FetchInfo info() {
        return new FetchInfo(
                url,
                addresses,
                Optional.ofNullable(connectedTo),
                Optional.ofNullable(tlsProtocol),
                trust == null ? Optional.empty() : trust.certificate(),
                status < 0 ? OptionalInt.empty() : OptionalInt.of(status),
                Optional.ofNullable(contentType),
                Optional.ofNullable(redirectLocation),
                bodyBytes,
                elapsed());
    }

    // Elapsed time on the monotonic clock: a wall-clock step during a fetch must not distort its duration.
    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private synchronized void closeChannel() {
        if (channel != null) {
            channel.close();
        }
    }
}
