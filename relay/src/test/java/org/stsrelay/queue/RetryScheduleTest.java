package org.stsrelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.delivery.DeliveryRequest;
import org.stsrelay.spool.DeliveryState;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.RecipientState;

class RetryScheduleTest {

    @TempDir
    Path directory;

    QueueHarness harness;

    @BeforeEach
    void open() {
        harness = new QueueHarness(directory);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void deferredRecipientIsRetriedAfterFiveThenTenThenTwentyMinutes() throws Exception {
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.deferred("4.7.5", "MTA-STS enforce: no MX left"));
        QueueId id = harness.submit("alice@example.org", "bob@example.com");
        assertThat(harness.delivery.requests).hasSize(1);

        RecipientState bob = harness.state(id).recipients().get(0);
        assertThat(bob.status()).isEqualTo(RecipientState.Status.PENDING);
        assertThat(bob.attempts()).isEqualTo(1);
        assertThat(bob.nextAttempt()).contains(QueueHarness.START.plus(Duration.ofMinutes(5)));
        assertThat(bob.lastResult()).contains("451 4.7.5 MTA-STS enforce: no MX left");

        harness.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(harness.delivery.requests).hasSize(1);
        harness.advance(Duration.ofSeconds(1));
        assertThat(harness.delivery.requests).hasSize(2);
        assertThat(harness.state(id).recipients().get(0).nextAttempt())
                .contains(QueueHarness.START.plus(Duration.ofMinutes(15)));
        harness.advance(Duration.ofMinutes(10));
        assertThat(harness.delivery.requests).hasSize(3);
        harness.advance(Duration.ofMinutes(20));
        assertThat(harness.delivery.requests).hasSize(4);
        // The schedule's last wait repeats.
        harness.advance(Duration.ofMinutes(20));
        assertThat(harness.delivery.requests).hasSize(5);
        assertThat(harness.delivery.requests).noneMatch(DeliveryRequest::lastAttempt);
    }

    @Test
    @DisplayName("RFC 8461 §5.1: lifetime over → a last attempt (policy re-checked), then bounce 5.7.5 from 4.7.5")
    void lifetimeEndBouncesWithThePermanentFormOfTheDeferralReason() throws Exception {
        harness.config = QueueHarness.config(
                List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20)),
                Duration.ofMinutes(30),
                Duration.ZERO,
                false,
                10,
                2);
        harness.start();
        String reason = "MTA-STS enforce: mx1.example.com certificate expired 2026-10-01";
        harness.delivery.reply("example.com", FakeDelivery.Reply.deferred("4.7.5", reason));
        QueueId id = harness.submit("alice@example.org", "bob@example.com");

        harness.advance(Duration.ofMinutes(5));
        harness.advance(Duration.ofMinutes(10));
        // 15 min + 20 min would pass the 30 min lifetime: the last try is at its end.
        assertThat(harness.state(id).recipients().get(0).nextAttempt())
                .contains(QueueHarness.START.plus(Duration.ofMinutes(30)));
        assertThat(harness.delivery.requestsFor(id)).hasSize(3).noneMatch(DeliveryRequest::lastAttempt);

        harness.advance(Duration.ofMinutes(15));
        List<DeliveryRequest> attempts = harness.delivery.requestsFor(id);
        assertThat(attempts).hasSize(4);
        assertThat(attempts.get(3).lastAttempt()).isTrue();
        assertThat(harness.spool.find(id)).isEmpty();

        // The bounce went into the spool and out to the sender.
        assertThat(harness.delivery.dsns()).hasSize(1);
        Mime dsn = Mime.parse(harness.delivery.dsns().get(0));
        assertThat(dsn.header("Subject")).isEqualTo("Undelivered Mail Returned to Sender");
        var recipient = dsn.parts().get(1).statusGroups().get(1);
        assertThat(recipient)
                .containsEntry("status", "5.7.5")
                .containsEntry("action", "failed")
                .containsEntry("final-recipient", "rfc822; bob@example.com");
        assertThat(dsn.parts().get(0).body()).contains(reason);
        assertThat(harness.registry.get("sts.relay.queue.bounces").counter().count())
                .isEqualTo(1);
    }

    @Test
    void anAttemptThatEndsAfterTheLifetimeIsFollowedByTheFlaggedLastAttempt() throws Exception {
        harness.config = QueueHarness.config(
                List.of(Duration.ofMinutes(5)), Duration.ofMinutes(10), Duration.ZERO, false, 10, 2);
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.deferred("4.7.5", "MTA-STS enforce: no MX left"));
        QueueId id = harness.submit("", "bob@example.com");
        harness.delivery.manual();
        harness.advance(Duration.ofMinutes(5));
        assertThat(harness.delivery.waiting()).isEqualTo(1);
        harness.clock.advance(Duration.ofMinutes(6));
        harness.delivery.completeAll();
        harness.settle();
        assertThat(harness.spool.find(id)).isPresent();
        List<DeliveryRequest> attempts = harness.delivery.requestsFor(id);
        assertThat(attempts).extracting(DeliveryRequest::lastAttempt).containsExactly(false, false, true);
        harness.delivery.completeAll();
        harness.settle();
        assertThat(harness.spool.find(id)).isEmpty();
    }

    @Test
    void restartKeepsEachRecipientsAttemptHistory() throws Exception {
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.deferred("4.4.1", "connection refused"));
        QueueId id = harness.submit("alice@example.org", "bob@example.com", "carol@example.net");
        harness.advance(Duration.ofMinutes(5));
        DeliveryState before = harness.state(id);
        assertThat(before.recipients().get(0).attempts()).isEqualTo(2);
        assertThat(before.recipients().get(1).status()).isEqualTo(RecipientState.Status.DELIVERED);

        harness.restart();
        assertThat(harness.state(id)).isEqualTo(before);
        int requests = harness.delivery.requests.size();
        // Not tried again at start-up: the next attempt is still 10 minutes away.
        harness.advance(Duration.ofMinutes(9));
        assertThat(harness.delivery.requests).hasSize(requests);
        harness.advance(Duration.ofMinutes(1));
        assertThat(harness.delivery.requests).hasSize(requests + 1);
        DeliveryRequest retry = harness.delivery.requests.get(requests);
        assertThat(retry.domain()).isEqualTo("example.com");
        assertThat(retry.recipients()).containsExactly(0);
        assertThat(harness.state(id).recipients().get(0).attempts()).isEqualTo(3);
    }
}
