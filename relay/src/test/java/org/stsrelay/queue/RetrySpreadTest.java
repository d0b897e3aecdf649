package org.stsrelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.spool.QueueId;

class RetrySpreadTest {

    private static final int MESSAGES = 400;
    private static final Duration FIRST_RETRY = Duration.ofMinutes(5);
    private static final Duration MOST_ADDED = Duration.ofSeconds(30);

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
    void recipientsDeferredInTheSameSecondComeDueOverATenthOfTheDelay() throws Exception {
        harness.jitter = new RetryJitter(new SplittableRandom(8461), RetryJitter.SPREAD);
        harness.start();
        harness.delivery.reply("example.com", FakeDelivery.Reply.deferred("4.3.0", "mailbox busy"));
        List<QueueId> ids = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            ids.add(harness.submit("alice@example.org", "user" + i + "@example.com"));
        }
        assertThat(harness.delivery.requests).hasSize(MESSAGES);

        List<Instant> due = ids.stream()
                .map(id -> harness.state(id).recipients().get(0).nextAttempt().orElseThrow())
                .toList();
        Instant earliest = QueueHarness.START.plus(FIRST_RETRY);
        assertThat(due)
                .allSatisfy(next -> assertThat(next).isAfterOrEqualTo(earliest).isBefore(earliest.plus(MOST_ADDED)));
        Map<Long, Long> perSecond =
                due.stream().collect(Collectors.groupingBy(Instant::getEpochSecond, Collectors.counting()));
        // 400 over 30 seconds is about 13 a second; unspread, all 400 would share one second.
        assertThat(perSecond).hasSizeGreaterThanOrEqualTo(25);
        assertThat(perSecond.values()).allMatch(count -> count <= 40);

        harness.advance(FIRST_RETRY.plus(MOST_ADDED.dividedBy(2)));
        int retriedByHalfway = harness.delivery.requests.size() - MESSAGES;
        assertThat(retriedByHalfway).isBetween(MESSAGES / 4, MESSAGES * 3 / 4);
        harness.advance(MOST_ADDED.dividedBy(2));
        assertThat(harness.delivery.requests).hasSize(2 * MESSAGES);
    }

    @Test
    void jitterNeverShortensADelayAndAddsAtMostATenth() {
        RetryJitter jitter = new RetryJitter(new SplittableRandom(7672), RetryJitter.SPREAD);
        Duration delay = Duration.ofHours(1);
        List<Duration> spread = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            spread.add(jitter.spread(delay));
        }
        assertThat(spread)
                .allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(delay).isLessThan(delay.plusMinutes(6)));
        assertThat(spread.stream().collect(Collectors.groupingBy(Function.identity())))
                .as("the added parts differ")
                .hasSizeGreaterThan(900);
        assertThat(RetryJitter.none().spread(delay)).isEqualTo(delay);
    }
}
