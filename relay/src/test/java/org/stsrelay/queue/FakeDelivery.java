package org.stsrelay.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.stsrelay.delivery.DeliveryReport;
import org.stsrelay.delivery.DeliveryRequest;
import org.stsrelay.delivery.DomainDelivery;
import org.stsrelay.delivery.RecipientResult;
import org.stsrelay.delivery.TlsResult;
import org.stsrelay.delivery.TlsResultType;
import org.stsrelay.spool.QueueId;

/**
 * Delivery as the test scripts it: per domain, the reply every recipient gets (default: 250) and
 * whether the attempt completes at once or waits until the test completes it.
 */
final class FakeDelivery implements DomainDelivery {

    /** A scripted reply; {@code remote} replies carry the MX name. */
    record Reply(RecipientResult.Outcome outcome, int code, String status, String text, boolean remote) {
        static Reply ok() {
            return new Reply(RecipientResult.Outcome.DELIVERED, 250, "2.0.0", "ok", true);
        }

        static Reply deferred(String status, String text) {
            return new Reply(RecipientResult.Outcome.DEFERRED, 451, status, text, false);
        }

        static Reply failed(int code, String status, String text) {
            return new Reply(RecipientResult.Outcome.FAILED, code, status, text, true);
        }
    }

    final List<DeliveryRequest> requests = new CopyOnWriteArrayList<>();
    /** The content of each request, read when it was made (a finished message's segment may go away). */
    final List<String> contents = new CopyOnWriteArrayList<>();

    private final Map<String, Reply> replies = new HashMap<>();
    private final Map<String, Reply> perRecipient = new HashMap<>();
    private final List<CompletableFuture<DeliveryReport>> held = new ArrayList<>();
    private final List<DeliveryRequest> heldRequests = new ArrayList<>();
    private boolean manual;

    synchronized void reply(String domain, Reply reply) {
        replies.put(domain, reply);
    }

    synchronized void replyTo(String address, Reply reply) {
        perRecipient.put(address, reply);
    }

    /** From now on attempts wait until {@link #completeAll()}. */
    synchronized void manual() {
        manual = true;
    }

    synchronized int waiting() {
        return held.size();
    }

    synchronized void completeAll() {
        List<CompletableFuture<DeliveryReport>> futures = new ArrayList<>(held);
        List<DeliveryRequest> pending = new ArrayList<>(heldRequests);
        held.clear();
        heldRequests.clear();
        for (int i = 0; i < futures.size(); i++) {
            futures.get(i).complete(report(pending.get(i)));
        }
    }

    @Override
    public synchronized CompletionStage<DeliveryReport> deliver(DeliveryRequest request) {
        requests.add(request);
        contents.add(read(request));
        if (manual) {
            CompletableFuture<DeliveryReport> future = new CompletableFuture<>();
            held.add(future);
            heldRequests.add(request);
            return future;
        }
        return CompletableFuture.completedFuture(report(request));
    }

    /** The requests for message {@code id}. */
    List<DeliveryRequest> requestsFor(QueueId id) {
        return requests.stream().filter(r -> r.envelope().id().equals(id)).toList();
    }

    /** The content of every DSN delivered (from the null sender), oldest first. */
    List<String> dsns() {
        List<String> dsns = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).envelope().sender().isEmpty()) {
                dsns.add(contents.get(i));
            }
        }
        return dsns;
    }

    private static String read(DeliveryRequest request) {
        try (ReadableByteChannel channel = request.content().open()) {
            ByteBuffer buffer = ByteBuffer.allocate((int) request.content().size());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read until the content ends
            }
            if (channel.read(ByteBuffer.allocate(1)) != -1) {
                throw new AssertionError("content channel did not end at size()");
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized DeliveryReport report(DeliveryRequest request) {
        List<RecipientResult> results = new ArrayList<>();
        for (int index : request.recipients()) {
            String address = request.envelope().recipients().get(index).address();
            Reply reply = perRecipient.getOrDefault(address, replies.getOrDefault(request.domain(), Reply.ok()));
            results.add(new RecipientResult(
                    index,
                    reply.outcome(),
                    reply.code(),
                    reply.status(),
                    reply.text(),
                    reply.remote() ? Optional.of("mx." + request.domain()) : Optional.empty(),
                    reply.remote()));
        }
        TlsResult tls = new TlsResult(
                Instant.EPOCH,
                request.domain(),
                Optional.empty(),
                Optional.of("mx." + request.domain()),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(new TlsResult.Failure(TlsResultType.STARTTLS_NOT_SUPPORTED, "test")));
        return new DeliveryReport(results, List.of(tls));
    }
}
