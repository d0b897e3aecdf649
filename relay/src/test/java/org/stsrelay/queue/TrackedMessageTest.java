package org.stsrelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.stsrelay.spool.DeliveryState;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.QueueId;
import org.stsrelay.spool.SpooledMessage;
import org.stsrelay.support.Interner;

class TrackedMessageTest {

    private static final QueueId ID = new QueueId("0MMAAAAA0000000A");

    @Test
    @DisplayName("one job per domain: a new job replaces its domain's, removing one leaves the others")
    void oneJobPerDomain() {
        TrackedMessage tracked = tracked(new Interner<>(16), "a@one.example", "b@two.example", "c@three.example");
        Job one = job(1, "one.example");
        Job two = job(2, "two.example");
        Job three = job(3, "three.example");
        tracked.putJob(one);
        tracked.putJob(two);
        tracked.putJob(three);
        Job twoLater = job(4, "two.example");
        tracked.putJob(twoLater);

        assertThat(tracked.jobs()).containsExactlyInAnyOrder(one, twoLater, three);
        assertThat(tracked.job("two.example")).isSameAs(twoLater);

        tracked.removeJob("one.example");
        assertThat(tracked.job("one.example")).isNull();
        Job oneAgain = job(5, "one.example");
        tracked.putJob(oneAgain);
        tracked.putJob(job(6, "three.example"));
        assertThat(tracked.jobs()).hasSize(3).contains(oneAgain, twoLater);

        tracked.clearJobs();
        assertThat(tracked.jobs()).isEmpty();
        assertThat(tracked.job("two.example")).isNull();
    }

    @Test
    @DisplayName("messages to one domain share its name")
    void domainNamesAreShared() {
        Interner<String> names = new Interner<>(16);
        TrackedMessage first = tracked(names, "a@Example.COM");
        TrackedMessage second = tracked(names, "b@example.com");

        assertThat(first.domains).containsExactly("example.com");
        assertThat(second.domains.get(0)).isSameAs(first.domains.get(0));
    }

    private static Job job(long sequence, String domain) {
        return new Job(Instant.EPOCH.plusSeconds(sequence), sequence, ID, domain);
    }

    private static TrackedMessage tracked(Interner<String> names, String... recipients) {
        Envelope envelope = new Envelope(
                ID,
                "sender@example.org",
                List.of(recipients).stream().map(Envelope.Recipient::of).toList(),
                Envelope.MailParams.none(),
                new Envelope.ClientInfo("192.0.2.1", "client", Optional.empty(), Optional.empty(), Optional.empty()),
                Instant.EPOCH);
        SpooledMessage message = new SpooledMessage(envelope, 100, Path.of("segment"), 0);
        return new TrackedMessage(message, DeliveryState.initial(recipients.length), names);
    }
}
