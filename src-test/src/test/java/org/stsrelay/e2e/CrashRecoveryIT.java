package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.world.Problems;
import org.stsrelay.world.QueueEntry;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.RelayQueue;
import org.stsrelay.world.SmtpReplyException;
import org.stsrelay.world.SmtpTestClient;
import org.stsrelay.world.SpooledMessage;

/**
 * The relay is SIGKILLed while eight clients stream mail into it, then restarted on the same
 * spool. RFC 5321 §6.1: a 250 after the final "." means the relay has taken responsibility, so
 * every acknowledged message must survive, intact and once; nothing the relay did not acknowledge
 * may appear, except a message whose reply was lost in the crash. Every spooled message is checked
 * through {@code queue list}, and its content through one {@code queue show --to-directory} run.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {

    private static final int MESSAGES = 2000;
    private static final int CLIENTS = 8;
    private static final int KILL_AFTER_ACKS = MESSAGES / 3;
    /** Generous bound on the relay's Received: field, for entries whose content is not read back. */
    private static final int MAX_RECEIVED_FIELD = 1000;

    @TempDir
    Path relayDir;

    @Test
    @DisplayName("RFC 5321 §6.1: after SIGKILL, every message acknowledged with 250 is recovered intact and once")
    void acknowledgedMessagesSurviveSigkill(TestReporter report) throws Exception {
        RelayJar jar = RelayJar.located();
        RelayConfigFile config = RelayConfigFile.write(relayDir);
        RelayQueue queue = new RelayQueue(jar, config, relayDir);
        Map<Integer, Submission> submissions = new ConcurrentHashMap<>();

        try (RelayProcess crashed = RelayProcess.start(jar, config, relayDir.resolve("relay-crashed.log"))) {
            streamAndKill(crashed, submissions);
            report.publishEntry("client outcomes at the kill", summary(submissions));
            try (RelayProcess restarted = RelayProcess.start(jar, config, relayDir.resolve("relay-restarted.log"))) {
                try {
                    assertRecovered(queue, submissions);
                    assertAcceptsNewMail(restarted, queue);
                } catch (AssertionError failure) {
                    throw crashed.annotate(restarted.annotate(failure));
                }
            }
        }
    }

    /** Streams all messages from eight clients; SIGKILLs the relay once a third of them are acknowledged. */
    private static void streamAndKill(RelayProcess relay, Map<Integer, Submission> submissions)
            throws InterruptedException {
        CountDownLatch acks = new CountDownLatch(KILL_AFTER_ACKS);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int client = 0; client < CLIENTS; client++) {
            int first = client;
            clients.submit(() -> sendShare(relay.config().smtpAddress(), first, submissions, acks));
        }
        assertThat(acks.await(90, TimeUnit.SECONDS))
                .as("%d messages acknowledged before the kill", KILL_AFTER_ACKS)
                .isTrue();
        relay.kill();
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS))
                .as("clients finished")
                .isTrue();
        assertThat(submissions).as("an outcome for every message").hasSize(MESSAGES);
        assertThat(count(submissions, Submission.Acked.class))
                .as("the kill came mid-stream")
                .isLessThan(MESSAGES);
    }

    /** Sends messages first, first + 8, ...; reconnects after any failure, so it keeps going past the kill. */
    private static void sendShare(
            InetSocketAddress relay, int first, Map<Integer, Submission> submissions, CountDownLatch acks) {
        SmtpTestClient client = null;
        for (int seq = first; seq < MESSAGES; seq += CLIENTS) {
            CrashMessage message = CrashMessage.of(seq);
            boolean dotWritten = false;
            try {
                if (client == null) {
                    client = connect(relay);
                }
                client.beginData(
                        "MAIL FROM:<" + CrashMessage.SENDER + ">",
                        List.of("RCPT TO:<" + CrashMessage.recipient(seq) + ">"));
                client.writeContent(message.content());
                dotWritten = true;
                submissions.put(seq, new Submission.Acked(SmtpTestClient.queueId(client.readReply())));
                acks.countDown();
            } catch (SmtpReplyException refused) {
                submissions.put(seq, new Submission.Refused(refused.reply()));
                client = closeQuietly(client);
            } catch (IOException failed) {
                submissions.put(
                        seq,
                        dotWritten
                                ? new Submission.ReplyLost(failed.toString())
                                : new Submission.NotSent(failed.toString()));
                client = closeQuietly(client);
            }
        }
        closeQuietly(client);
    }

    private static SmtpTestClient connect(InetSocketAddress relay) throws IOException {
        SmtpTestClient client = SmtpTestClient.connect(relay);
        if (client.greeting().code() != 220) {
            client.close();
            throw new SmtpReplyException("greeting", client.greeting());
        }
        client.ehlo("client.e2e.test");
        return client;
    }

    private static SmtpTestClient closeQuietly(SmtpTestClient client) {
        if (client != null) {
            try {
                client.close();
            } catch (IOException alreadyBroken) {
                // the connection is being abandoned because it failed; nothing more to learn from it
            }
        }
        return null;
    }

    private static void assertRecovered(RelayQueue queue, Map<Integer, Submission> submissions) {
        Map<String, Integer> ackedSeqById = new HashMap<>();
        Set<Integer> replyLost = new java.util.HashSet<>();
        submissions.forEach((seq, submission) -> {
            if (submission instanceof Submission.Acked acked) {
                ackedSeqById.put(acked.queueId(), seq);
            } else if (submission instanceof Submission.ReplyLost) {
                replyLost.add(seq);
            }
        });
        assertThat((long) ackedSeqById.size())
                .as("distinct queue ids in the 250 replies")
                .isEqualTo(count(submissions, Submission.Acked.class));

        List<QueueEntry> listed = queue.list();
        List<String> listedIds = listed.stream().map(QueueEntry::id).toList();
        assertThat(listedIds).as("queue ids in the recovered spool").doesNotHaveDuplicates();
        Set<String> lost = new java.util.TreeSet<>(ackedSeqById.keySet());
        listedIds.forEach(lost::remove);
        assertThat(lost)
                .as(
                        "acknowledged with 250 but missing after the restart (%d of %d acknowledged, %d" + " listed)",
                        lost.size(), ackedSeqById.size(), listedIds.size())
                .isEmpty();

        List<String> problems = new ArrayList<>();
        Map<String, Integer> seqById = new HashMap<>();
        Map<Integer, List<String>> idsBySeq = new HashMap<>();
        for (QueueEntry entry : listed) {
            Integer seq = seqOfRecipient(entry);
            if (seq == null) {
                problems.add(entry.id() + ": envelope " + entry.sender() + " -> " + entry.recipients()
                        + " is not one of the test's messages");
                continue;
            }
            seqById.put(entry.id(), seq);
            idsBySeq.computeIfAbsent(seq, s -> new ArrayList<>()).add(entry.id());
            problems.addAll(listingProblems(entry, seq, ackedSeqById.get(entry.id()), replyLost, submissions));
        }
        idsBySeq.forEach((seq, ids) -> {
            if (ids.size() > 1) {
                problems.add("X-Test-Seq " + seq + " is spooled " + ids.size() + " times: " + ids);
            }
        });
        Problems.assertNone(
                "recovered spool, as queue list shows it (" + listed.size() + " listed; client" + " outcomes "
                        + summary(submissions) + ")",
                problems);

        Map<String, Recovered> recovered = queue.showAll(listedIds, Recovered::of);
        List<String> contentProblems = new ArrayList<>();
        for (QueueEntry entry : listed) {
            contentProblems.addAll(recovered.get(entry.id()).problems(entry, seqById.get(entry.id())));
        }
        Problems.assertNone("recovered content (queue show of all " + listed.size() + " messages)", contentProblems);
    }

    /** The message number a spooled envelope belongs to: each test message has its own recipient. */
    private static Integer seqOfRecipient(QueueEntry entry) {
        if (entry.recipients().size() != 1) {
            return null;
        }
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("rcpt-(\\d{1,4})@example\\.test")
                .matcher(entry.recipients().get(0));
        return matcher.matches() && Integer.parseInt(matcher.group(1)) < MESSAGES
                ? Integer.valueOf(matcher.group(1))
                : null;
    }

    /**
     * What queue list alone proves about one entry: the right sender, acknowledged under this id
     * or with its reply lost, and a size that is the sent content plus a Received: field (which
     * {@code queue show} checks exactly where it is run).
     */
    private static List<String> listingProblems(
            QueueEntry entry, int seq, Integer ackedSeq, Set<Integer> replyLost, Map<Integer, Submission> submissions) {
        List<String> problems = new ArrayList<>();
        if (!entry.sender().equals(CrashMessage.SENDER)) {
            problems.add(entry.id() + " (X-Test-Seq " + seq + "): sender " + entry.sender());
        }
        if (ackedSeq != null && ackedSeq != seq) {
            problems.add(
                    entry.id() + " was acknowledged for X-Test-Seq " + ackedSeq + " but is the envelope of " + seq);
        }
        if (ackedSeq == null && !replyLost.contains(seq)) {
            problems.add(entry.id() + " holds X-Test-Seq " + seq + ", which was never acknowledged and whose"
                    + " final dot was never sent: " + submissions.get(seq));
        }
        long receivedField = entry.size() - CrashMessage.of(seq).content().length;
        if (receivedField <= 0 || receivedField > MAX_RECEIVED_FIELD) {
            problems.add(entry.id() + " (X-Test-Seq " + seq + "): listed size " + entry.size() + " is not the sent "
                    + CrashMessage.of(seq).content().length + " octets plus a Received: field");
        }
        return problems;
    }

    /** The parts of one recovered message that are checked. */
    private record Recovered(Integer seq, boolean checksumMatches, boolean identicalToSent, long size) {

        static Recovered of(byte[] content) {
            byte[] original = SpooledMessage.parse(content).original();
            CrashMessage.SelfCheck self = CrashMessage.SelfCheck.of(original);
            boolean identical = self.seq() != null
                    && self.seq() >= 0
                    && self.seq() < MESSAGES
                    && Arrays.equals(original, CrashMessage.of(self.seq()).content());
            return new Recovered(self.seq(), self.checksumMatches(), identical, content.length);
        }

        List<String> problems(QueueEntry entry, int listedSeq) {
            List<String> problems = new ArrayList<>();
            if (seq == null || seq != listedSeq) {
                problems.add(entry.id() + ": X-Test-Seq " + seq + " in the content, envelope of " + listedSeq);
                return problems;
            }
            if (!checksumMatches) {
                problems.add(entry.id() + " (X-Test-Seq " + seq + "): body does not match X-Body-SHA256");
            }
            if (!identicalToSent) {
                problems.add(
                        entry.id() + " (X-Test-Seq " + seq + "): content after Received: differs from what was sent");
            }
            if (entry.size() != size) {
                problems.add(entry.id() + ": listed size " + entry.size() + ", queue show printed " + size);
            }
            return problems;
        }
    }

    private static void assertAcceptsNewMail(RelayProcess relay, RelayQueue queue) throws IOException {
        CrashMessage message = CrashMessage.of(MESSAGES);
        String id;
        try (SmtpTestClient client = connect(relay.config().smtpAddress())) {
            id = client.send(
                    "MAIL FROM:<" + CrashMessage.SENDER + ">",
                    List.of("RCPT TO:<" + CrashMessage.recipient(MESSAGES) + ">"),
                    message.content());
        }
        assertThat(queue.list())
                .as("the restarted relay spools new mail")
                .extracting(QueueEntry::id)
                .contains(id);
        assertThat(SpooledMessage.parse(queue.show(id)).original()).isEqualTo(message.content());
    }

    private static long count(Map<Integer, Submission> submissions, Class<? extends Submission> kind) {
        return submissions.values().stream().filter(kind::isInstance).count();
    }

    private static String summary(Map<Integer, Submission> submissions) {
        return submissions.values().stream()
                .collect(Collectors.groupingBy(s -> s.getClass().getSimpleName(), Collectors.counting()))
                .toString();
    }
}
