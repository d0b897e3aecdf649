package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stsrelay.world.Await;
import org.stsrelay.world.FreePorts;
import org.stsrelay.world.PostfixInstance;
import org.stsrelay.world.PostfixMaillog;
import org.stsrelay.world.Problems;
import org.stsrelay.world.QueueEntry;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.RelayQueue;
import org.stsrelay.world.SpooledMessage;

/**
 * A real mail server as the relay's client: a private Postfix whose main.cf ends with the shipped
 * snippet deploy/postfix/main.cf, as is ({@code relayhost = [127.0.0.1]:2525}, so the relay listens
 * on 2525; only if 2525 is taken on this machine does an extra override line follow), fed 200 assorted messages through its sendmail command. Every message must end up
 * in the relay's spool with its envelope intact and, after the relay's and Postfix's Received:
 * fields, exactly the bytes that were submitted.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class PostfixClientIT {

    private static final int MESSAGES = 200;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(2);
    private static final Path REPO =
            Path.of(System.getProperty("relay.repo", "..")).toAbsolutePath().normalize();
    private static final Path SNIPPET = REPO.resolve("deploy/postfix/main.cf");
    /** The port the snippet's relayhost names. */
    private static final int SNIPPET_PORT = 2525;

    @TempDir
    static Path relayDir;

    @TempDir
    static Path postfixDir;

    @TempDir
    static Path messageDir;

    private static RelayProcess relay;
    private static RelayQueue queue;
    private static PostfixInstance postfix;

    @BeforeAll
    static void startRelayAndPostfix() throws IOException {
        String snippet = Files.readString(SNIPPET, StandardCharsets.UTF_8);
        assertThat(snippet).as("the shipped snippet %s", SNIPPET).contains("relayhost = [127.0.0.1]:" + SNIPPET_PORT);
        RelayJar jar = RelayJar.located();
        RelayConfigFile config;
        String appendix;
        if (FreePorts.isFree(SNIPPET_PORT)) {
            config = RelayConfigFile.writeWithSmtpPort(relayDir, SNIPPET_PORT);
            appendix = snippet;
        } else {
            config = RelayConfigFile.write(relayDir);
            appendix = snippet + (snippet.endsWith("\n") ? "" : "\n")
                    + "# PostfixClientIT: port " + SNIPPET_PORT + " is taken on this machine, so the test relay"
                    + " listens on " + config.smtpPort() + "; this line overrides the snippet's relayhost\n"
                    + "relayhost = [127.0.0.1]:" + config.smtpPort() + "\n";
            System.err.println("PostfixClientIT: port " + SNIPPET_PORT + " is taken; the relay listens on "
                    + config.smtpPort() + " and main.cf overrides the snippet's relayhost after it");
        }
        relay = RelayProcess.start(jar, config, relayDir.resolve("relay.log"));
        queue = new RelayQueue(jar, config, relayDir);
        postfix = PostfixInstance.start(
                postfixDir,
                Map.of(
                        "smtputf8_enable", "yes",
                        // sendmail submissions whose envelope or headers hold UTF-8 are flagged "SMTPUTF8
                        // required" (the 3.7 default, stated so the test does not depend on it); 3.7's
                        // sendmail has no option to request SMTPUTF8 explicitly
                        "smtputf8_autodetect_classes", "sendmail",
                        "message_size_limit", "60000000",
                        // a failure must show in this run's log, not turn into a bounce sent through the relay
                        "notify_classes", ""),
                appendix);
        String mainCf = postfix.mainCf();
        assertThat(mainCf)
                .as("the instance's main.cf holds the shipped snippet verbatim")
                .contains(snippet);
        assertThat(mainCf.lines().toList())
                .as("the instance's main.cf lines")
                .containsSubsequence(snippet.lines().toList());
    }

    @AfterAll
    static void stopPostfixAndRelay() {
        try {
            if (postfix != null) {
                postfix.close();
            }
        } finally {
            if (relay != null) {
                relay.close();
            }
        }
    }

    @Test
    @DisplayName("every message Postfix relays is spooled with its envelope, headers and body unchanged")
    void everyMessageIsSpooledByteForByte() throws IOException {
        List<CorpusMessage> corpus = PostfixCorpus.messages(MESSAGES);
        for (CorpusMessage message : corpus) {
            Path file = messageDir.resolve(message.messageId());
            Files.write(file, message.localForm());
            postfix.sendmail(message.sender(), message.recipients(), file);
        }

        Map<String, String> relayIdByMessageId = awaitAllSent(corpus);

        try {
            assertSpoolHoldsExactly(corpus, relayIdByMessageId);
        } catch (AssertionError failure) {
            throw relay.annotate(failure);
        }
    }

    /** Waits until Postfix logged status=sent for every recipient; returns Message-ID to relay queue id. */
    private static Map<String, String> awaitAllSent(List<CorpusMessage> corpus) {
        Await.until(
                DELIVERY_TIMEOUT,
                () -> {
                    PostfixMaillog log = PostfixMaillog.parse(postfix.maillog());
                    if (!log.failures().isEmpty()) {
                        throw relay.annotate(new AssertionError("Postfix could not relay: " + log.failures()
                                + "\n--- Postfix maillog ---\n" + postfix.maillog()));
                    }
                    return corpus.stream().allMatch(message -> sentToAll(log, message));
                },
                () -> "Postfix did not log status=sent for all " + corpus.size() + " messages;" + " maillog:\n"
                        + postfix.maillog() + "\n" + relay.logTail());

        PostfixMaillog log = PostfixMaillog.parse(postfix.maillog());
        Map<String, String> relayIds = new HashMap<>();
        for (CorpusMessage message : corpus) {
            List<String> ids = log.outcomes(message.messageId()).stream()
                    .map(PostfixMaillog.Outcome::relayQueueId)
                    .distinct()
                    .toList();
            assertThat(ids)
                    .as("relay queue ids in the status=sent lines of %s", message.messageId())
                    .hasSize(1)
                    .doesNotContainNull();
            relayIds.put(message.messageId(), ids.get(0));
        }
        return relayIds;
    }

    private static boolean sentToAll(PostfixMaillog log, CorpusMessage message) {
        List<String> sentTo = log.outcomes(message.messageId()).stream()
                .filter(outcome -> outcome.status().equals("sent"))
                .map(PostfixMaillog.Outcome::recipient)
                .toList();
        return sentTo.containsAll(message.recipients());
    }

    private static void assertSpoolHoldsExactly(List<CorpusMessage> corpus, Map<String, String> relayIds) {
        Map<String, QueueEntry> listed =
                queue.list().stream().collect(Collectors.toMap(QueueEntry::id, Function.identity()));
        List<String> spoolProblems = new ArrayList<>();
        messageIdByRelayId(relayIds).forEach((id, messageId) -> {
            if (!listed.containsKey(id)) {
                spoolProblems.add(messageId + ": relayed as " + id + " (Postfix logged the 250) but not in queue list");
            }
        });
        listed.keySet().stream()
                .filter(id -> !relayIds.containsValue(id))
                .forEach(id -> spoolProblems.add(id + ": in queue list but not one of the relayed messages"));
        Problems.assertNone(
                "the relay's spool must hold exactly the " + relayIds.size() + " relayed messages (" + listed.size()
                        + " listed)",
                spoolProblems);

        Map<String, Shown> shown = queue.showAll(relayIds.values(), Shown::of);
        List<String> problems = new ArrayList<>();
        for (CorpusMessage message : corpus) {
            String id = relayIds.get(message.messageId());
            problems.addAll(compare(message, listed.get(id), shown.get(id)));
        }
        Problems.assertNone("differences between what was submitted and what the relay spooled", problems);
    }

    private static Map<String, String> messageIdByRelayId(Map<String, String> relayIds) {
        Map<String, String> inverse = new java.util.TreeMap<>();
        relayIds.forEach((messageId, id) -> inverse.put(id, messageId));
        return inverse;
    }

    /** The parts of one {@code queue show} output that are compared, kept instead of its bytes. */
    private record Shown(long size, String relayReceived, String postfixReceived, byte[] submitted) {

        static Shown of(byte[] content) {
            SpooledMessage relayed = SpooledMessage.parse(content);
            SpooledMessage fromPostfix = SpooledMessage.parse(relayed.original());
            return new Shown(content.length, relayed.received(), fromPostfix.received(), fromPostfix.original());
        }
    }

    /**
     * Exactly what is compared: the envelope (sender and recipients in queue list); the listed size
     * against the octets queue show prints; the first field being the relay's Received: (naming
     * its configured hostname); the second being the Received: field Postfix's cleanup adds to a
     * sendmail submission; and every byte after those two fields, i.e. all header fields the test
     * wrote, in order, the empty line and the whole body, against the submitted text with CRLF
     * line ends.
     */
    private static List<String> compare(CorpusMessage message, QueueEntry entry, Shown shown) {
        List<String> problems = new ArrayList<>();
        String name = message.messageId() + " (" + entry.id() + ")";
        if (!entry.sender().equals(message.sender())) {
            problems.add(name + ": sender " + entry.sender() + ", submitted " + message.sender());
        }
        // the envelope is a set: Postfix may hand recipients over in an order of its own
        if (!entry.recipients().stream()
                .sorted()
                .toList()
                .equals(message.recipients().stream().sorted().toList())) {
            problems.add(name + ": recipients " + entry.recipients() + ", submitted " + message.recipients());
        }
        if (entry.size() != shown.size()) {
            problems.add(name + ": queue list size " + entry.size() + ", queue show printed " + shown.size());
        }
        if (!shown.relayReceived().contains(RelayConfigFile.HOSTNAME)) {
            problems.add(name + ": first Received: field does not name the relay: " + shown.relayReceived());
        }
        if (!shown.postfixReceived().contains("(Postfix")) {
            problems.add(name + ": second field is not Postfix's Received: " + shown.postfixReceived());
        }
        byte[] expected = message.wireForm();
        if (!java.util.Arrays.equals(shown.submitted(), expected)) {
            problems.add(name + ": content differs from the submitted bytes at offset "
                    + java.util.Arrays.mismatch(shown.submitted(), expected) + " (spooled " + shown.submitted().length
                    + " octets after the Received: fields, submitted " + expected.length + ")");
        }
        return problems;
    }
}
