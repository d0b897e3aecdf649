package org.stsrelay.owner;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.received.DkimCheck;
import org.stsrelay.received.IntakeResult;
import org.stsrelay.received.Origin;
import org.stsrelay.received.ReportIntake;

/**
 * Hands posted reports to the intake on its own executor, since the intake writes and syncs to disk, and turns the
 * outcome into the answer (RFC 8460 §3: the sender learns by the status whether to retry). One log line per post.
 */
final class ReportReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(ReportReceiver.class);

    private final ReportIntake intake;
    private final Executor executor;
    private final OwnerMetrics metrics;

    /** {@code executor} runs the intake; it may refuse work when full, which is answered 503. */
    ReportReceiver(ReportIntake intake, Executor executor, OwnerMetrics metrics) {
        this.intake = intake;
        this.executor = executor;
        this.metrics = metrics;
    }

    /** Takes a report body posted from {@code remote} with {@code contentType} (absent: 415). */
    CompletionStage<FullHttpResponse> receive(byte[] body, String contentType, String remote) {
        if (contentType == null || contentType.isBlank()) {
            return CompletableFuture.completedFuture(refused(
                    remote,
                    HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    "no Content-Type: send application/tlsrpt+gzip or application/tlsrpt+json (RFC 8460 §6.4, §6.5)"));
        }
        try {
            return CompletableFuture.supplyAsync(
                            () -> intake.accept(body, contentType, Origin.HTTPS, Optional.empty(), DkimCheck.NOT_MAIL),
                            executor)
                    .handle((result, error) -> answer(result, error, remote));
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.completedFuture(
                    refused(remote, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many reports at once; retry later"));
        }
    }

    /** Answers a post refused before the intake saw it (too large, for one), with its log line. */
    FullHttpResponse refused(String remote, HttpResponseStatus status, String reason) {
        LOG.info("owner site: report from {}: {} {}", remote, status.code(), reason);
        metrics.answered("report", status.code());
        return Replies.text(status, reason);
    }

    private FullHttpResponse answer(IntakeResult result, Throwable error, String remote) {
        if (error != null) {
            // A programmer error in the intake: logged in full here, never shown to the sender.
            LOG.error("owner site: report from {}: the intake failed", remote, error);
            return refused(remote, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error; retry later");
        }
        if (result instanceof IntakeResult.Accepted accepted) {
            LOG.info(
                    "owner site: report from {}: 200 {} report {} of {}",
                    remote,
                    accepted.duplicate() ? "already stored" : "stored",
                    accepted.report().report().reportId(),
                    accepted.report().submitter());
            metrics.answered("report", 200);
            return Replies.text(HttpResponseStatus.OK, accepted.duplicate() ? "already received" : "received");
        }
        IntakeResult.Refused refused = (IntakeResult.Refused) result;
        return refused(remote, HttpResponseStatus.valueOf(refused.refusal().httpStatus()), refused.reason());
    }
}
