package org.stsrelay.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestRouterTest {

    @TempDir
    Path directory;

    FileControlPlane plane;
    RequestRouter router;
    final List<ControlRequest> applied = new ArrayList<>();

    @BeforeEach
    void open() {
        plane = new FileControlPlane(directory);
        router = new RequestRouter(plane);
    }

    @AfterEach
    void close() {
        router.close();
    }

    private RequestHandler recording(RequestHandler.Outcome outcome) {
        return pending -> {
            applied.add(pending.request());
            return CompletableFuture.completedFuture(outcome);
        };
    }

    @Test
    void requestsLeftWhileNoRelayRanAreAppliedWhenTheirStageRegistersAndThenRemoved() throws Exception {
        ControlRequest purge = new ControlRequest.PurgePolicy("example.com");
        ControlRequest flush = new ControlRequest.Flush(Optional.empty());
        plane.submit(purge);
        plane.submit(flush);

        router.register(ControlRequest.PurgePolicy.class, recording(RequestHandler.Outcome.APPLIED));
        assertThat(applied).containsExactly(purge);
        assertThat(plane.pending())
                .extracting(PendingRequest::request)
                .as("no stage takes flushes yet")
                .containsExactly(flush);

        router.register(ControlRequest.Flush.class, recording(RequestHandler.Outcome.APPLIED));
        assertThat(applied).containsExactly(purge, flush);
        assertThat(plane.pending()).isEmpty();
    }

    @Test
    void aRequestItsStageCannotApplyYetStaysAndIsTriedAgain() throws Exception {
        ControlRequest delete = new ControlRequest.DeleteMessage("0A1B2C3D4E5F6G7H");
        router.register(ControlRequest.DeleteMessage.class, recording(RequestHandler.Outcome.RETRY));
        plane.submit(delete);
        router.applyPending().toCompletableFuture().get(5, TimeUnit.SECONDS);
        router.applyPending().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(applied).containsExactly(delete, delete);
        assertThat(plane.isPending(delete)).isTrue();
    }

    @Test
    void aRequestWhoseStageFailsIsRemovedNotRetriedForever() throws Exception {
        ControlRequest refresh = new ControlRequest.RefreshPolicy("example.com");
        router.register(
                ControlRequest.RefreshPolicy.class,
                pending -> CompletableFuture.failedFuture(new IllegalStateException("fetch failed")));
        plane.submit(refresh);
        router.applyPending().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(plane.isPending(refresh)).isFalse();
    }

    @Test
    void aWithdrawnKindWaitsForTheNextStart() throws Exception {
        ControlRequest hold = new ControlRequest.Hold(Optional.of("a.example"));
        router.register(ControlRequest.Hold.class, recording(RequestHandler.Outcome.APPLIED));
        router.withdraw(ControlRequest.Hold.class);
        plane.submit(hold);
        router.applyPending().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(applied).isEmpty();
        assertThat(plane.isPending(hold)).isTrue();
    }
}
