package org.stsrelay.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.config.SpoolConfig;
import org.stsrelay.control.ControlRequest;
import org.stsrelay.control.PendingRequest;
import org.stsrelay.control.RequestHandler;
import org.stsrelay.spool.FileSpool;
import org.stsrelay.spool.QueueId;

/** The durable spool: opened (and recovered) first, closed last, so nothing writes to it after it closed. */
final class SpoolStage implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolStage.class);

    /**
     * A delete request for an id the spool does not hold is kept this long: the tool may have read a record whose
     * batch was not yet durable (and so not yet in the index) when it left the request.
     */
    static final Duration UNKNOWN_GRACE = Duration.ofMinutes(1);

    private final SpoolConfig config;
    private final RequestKinds control;
    private final MeterRegistry registry;
    private final Clock clock;
    private FileSpool spool;
    private Instant opened;

    SpoolStage(SpoolConfig config, RequestKinds control, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.control = control;
        this.registry = registry;
        this.clock = clock;
    }

    /** Opens and recovers the spool, then applies the delete requests left while no relay ran. */
    @Override
    public void start() throws IOException {
        spool = FileSpool.open(config, registry, clock);
        opened = clock.instant();
        control.register(ControlRequest.DeleteMessage.class, this::delete);
        LOG.info("spool {} holds {} message(s)", config.directory().toAbsolutePath(), spool.size());
    }

    private CompletionStage<RequestHandler.Outcome> delete(PendingRequest pending) {
        QueueId id = QueueId.parseOrNull(((ControlRequest.DeleteMessage) pending.request()).queueId());
        if (id == null || spool.find(id).isEmpty()) {
            // At start the log was just read whole, so an unknown id left before then is stale.
            boolean young = pending.submitted().isAfter(opened)
                    && pending.submitted().plus(UNKNOWN_GRACE).isAfter(clock.instant());
            return CompletableFuture.completedFuture(
                    young ? RequestHandler.Outcome.RETRY : RequestHandler.Outcome.APPLIED);
        }
        LOG.info("deleting message {} from the spool as an operator requested", id);
        return spool.markDone(id).thenApply(done -> RequestHandler.Outcome.APPLIED);
    }

    /** The open spool; valid once started. */
    FileSpool spool() {
        return spool;
    }

    @Override
    public void close() {
        if (spool == null) {
            return;
        }
        try {
            spool.close();
        } catch (IOException e) {
            LOG.error("spool did not close cleanly: {}", e.getMessage());
        }
    }
}
