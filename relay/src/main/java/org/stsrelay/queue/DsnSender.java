package org.stsrelay.queue;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.mail.HeaderSection;
import org.stsrelay.spool.CommitResult;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.FileSpool;
import org.stsrelay.spool.IncomingMessage;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.SpooledMessage;

/** Queues DSNs: writes each one and commits it to the spool as a new message from {@code <>} to the sender. */
final class DsnSender {

    private static final Logger log = LoggerFactory.getLogger(DsnSender.class);
    /** RET=FULL returns the whole message only up to this size; a larger one gets its headers back. */
    static final long MAX_RETURNED_MESSAGE = 1024 * 1024;

    private final FileSpool spool;
    private final DsnWriter writer;
    private final QueueMetrics metrics;
    private final Clock clock;
    private final String hostname;

    DsnSender(FileSpool spool, QueueMetrics metrics, Clock clock, String hostname) {
        this.spool = spool;
        this.writer = new DsnWriter(hostname);
        this.metrics = metrics;
        this.clock = clock;
        this.hostname = hostname;
    }

    /**
     * Writes and commits the DSN; completes when it is durable. A DSN that cannot be written is
     * logged and dropped: the recipients' states move on either way, as they would after a crash.
     */
    CompletionStage<Void> send(SpooledMessage original, DsnAction action, List<DsnRecipient> recipients) {
        Envelope envelope = original.envelope();
        byte[] bytes;
        try {
            boolean full = action == DsnAction.FAILED
                    && envelope.params().ret().orElse(Envelope.Ret.HDRS) == Envelope.Ret.FULL
                    && original.size() <= MAX_RETURNED_MESSAGE;
            byte[] returned = returned(original, full);
            QueueId id = spool.nextId();
            Instant now = clock.instant();
            bytes = writer.write(
                    new DsnWriter.Report(envelope, action, recipients, returned, full),
                    now,
                    id.value() + "." + now.toEpochMilli() + "@" + hostname,
                    "=_sts-relay_" + id.value());
            return commit(original, action, recipients, dsnEnvelope(id, envelope, bytes, now), bytes);
        } catch (IOException | RuntimeException e) {
            log.error(
                    "could not write the {} DSN for message {} to <{}>: {}",
                    action.field(),
                    original.id(),
                    envelope.sender(),
                    e.toString());
            return CompletableFuture.completedFuture(null);
        }
    }

    private CompletionStage<Void> commit(
            SpooledMessage original, DsnAction action, List<DsnRecipient> recipients, Envelope dsn, byte[] bytes) {
        IncomingMessage content = spool.newMessage();
        return content.append(Unpooled.wrappedBuffer(bytes))
                .thenCompose(appended -> spool.commit(dsn, content))
                .handle((result, failure) -> {
                    if (result instanceof CommitResult.Committed) {
                        metrics.dsnQueued(action);
                        log.info(
                                "queued {} DSN {} for message {} to <{}> about {} recipient(s): {}",
                                action.field(),
                                dsn.id(),
                                original.id(),
                                original.envelope().sender(),
                                recipients.size(),
                                recipients.stream()
                                        .map(r -> r.recipient().address() + " " + r.status())
                                        .toList());
                    } else {
                        content.discard();
                        log.error(
                                "could not queue the {} DSN for message {} to <{}>: {}",
                                action.field(),
                                original.id(),
                                original.envelope().sender(),
                                failure != null ? failure.toString() : ((CommitResult.Failed) result).reason());
                    }
                    return null;
                });
    }

    private byte[] returned(SpooledMessage original, boolean full) throws IOException {
        try (InputStream in = spool.openContent(original)) {
            return full ? in.readAllBytes() : HeaderSection.read(in, MessageTraits.MAX_HEADER_OCTETS);
        }
    }

    /**
     * From the null sender (RFC 5321 §4.5.5), so that no DSN is ever sent about this DSN. A DSN about one
     * of the relay's TLS reports is marked as such, so that it is treated like the report.
     */
    private Envelope dsnEnvelope(QueueId id, Envelope original, byte[] bytes, Instant now) {
        boolean eightBit = !DsnWriter.ascii(bytes);
        boolean utf8 = !DsnWriter.ascii(original.sender())
                || (eightBit && original.params().smtpUtf8());
        Envelope.MailParams params = new Envelope.MailParams(
                eightBit ? Envelope.Body.EIGHT_BITMIME : Envelope.Body.SEVEN_BIT,
                utf8,
                Optional.empty(),
                Optional.empty(),
                false,
                bytes.length);
        return new Envelope(
                id,
                "",
                List.of(Envelope.Recipient.of(original.sender())),
                params,
                new Envelope.ClientInfo("local", hostname, Optional.empty(), Optional.empty(), Optional.empty()),
                now,
                original.kind().ownTlsReport() ? Envelope.Kind.TLS_REPORT_DSN : Envelope.Kind.ORDINARY);
    }
}
