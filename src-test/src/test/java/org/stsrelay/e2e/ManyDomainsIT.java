package org.stsrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
import org.stsrelay.world.CertificateKind;
import org.stsrelay.world.CliResult;
import org.stsrelay.world.LocalWorld;
import org.stsrelay.world.ManyDomains;
import org.stsrelay.world.MxOptions;
import org.stsrelay.world.MxServer;
import org.stsrelay.world.ReceivedMessage;
import org.stsrelay.world.RelayConfigFile;
import org.stsrelay.world.RelayJar;
import org.stsrelay.world.RelayProcess;
import org.stsrelay.world.SmtpTestClient;

/**
 * Many domains whose messages wait together for their policies: delivery is held while every message is queued,
 * then released at once, so each domain's first delivery attempts all ask for a policy that is not cached yet.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ManyDomainsIT {

    private static final int DOMAINS = 20;
    private static final int MESSAGES_PER_DOMAIN = 10;
    private static final String SENDER = "sender@client.test";
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(90);
    private static final Duration CLI_WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static LocalWorld world;
    private static ManyDomains many;
    private static RelayJar jar;
    private static RelayConfigFile config;
    private static RelayProcess relay;

    @BeforeAll
    static void queueEverythingThenRelease() throws IOException {
        world = LocalWorld.start(dir);
        MxServer sink = world.wildcardMx(ManyDomains.MX_ZONE, MxOptions.tls(CertificateKind.GOOD));
        many = ManyDomains.publish(world, DOMAINS, sink, "enforce");
        jar = RelayJar.located();
        config = RelayConfigFile.write(
                dir,
                1000,
                100,
                world.relayYaml(dir.resolve("policies"), "published", Duration.ofSeconds(1), Duration.ofMinutes(5)));
        relay = RelayProcess.start(jar, config, dir.resolve("relay.log"));
        queue("hold");
        try (SmtpTestClient client = SmtpTestClient.connect(config.smtpAddress())) {
            client.ehlo("client.test");
            for (int i = 0; i < MESSAGES_PER_DOMAIN; i++) {
                for (String domain : many.domains()) {
                    String recipient = "rcpt" + i + "@" + domain;
                    byte[] content = ("Subject: to " + recipient + "\r\n\r\nmany domains\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    client.send("MAIL FROM:<" + SENDER + ">", List.of("RCPT TO:<" + recipient + ">"), content);
                }
            }
        }
        assertThat(world.received()).as("nothing leaves while delivery is held").isEmpty();
        queue("release");
    }

    private static void queue(String action) {
        CliResult result = jar.run(
                dir, CLI_WAIT, "queue", action, "--config", config.file().toString());
        assertThat(result.exitCode())
                .as("queue %s: %s", action, result.describe())
                .isZero();
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            relay.close();
        }
        if (world != null) {
            world.close();
        }
    }

    @Test
    @DisplayName("RFC 8461 §3.3, §5.1: every message of every domain is delivered, over TLS, under its enforce policy")
    void everyMessageIsDelivered() {
        int expected = DOMAINS * MESSAGES_PER_DOMAIN;
        Await.until(
                DELIVERY_WAIT,
                () -> world.received().size() >= expected,
                () -> world.received().size() + " of " + expected + " messages delivered; relay log:\n"
                        + relay.logTail());
        Map<String, Long> perDomain = world.received().stream()
                .flatMap(message -> message.recipients().stream())
                .collect(Collectors.groupingBy(
                        recipient -> recipient.substring(recipient.indexOf('@') + 1), Collectors.counting()));
        assertThat(perDomain)
                .containsExactlyInAnyOrderEntriesOf(many.domains().stream()
                        .collect(Collectors.toMap(Function.identity(), domain -> (long) MESSAGES_PER_DOMAIN)));
        assertThat(world.received()).allMatch(ReceivedMessage::overTls);
    }

    @Test
    @DisplayName("RFC 8461 §3.3: a domain's policy is fetched once, however many of its messages wait for it")
    void eachPolicyIsFetchedOnce() {
        int expected = DOMAINS * MESSAGES_PER_DOMAIN;
        Await.until(
                DELIVERY_WAIT,
                () -> world.received().size() >= expected,
                () -> world.received().size() + " of " + expected + " messages delivered");
        Map<String, Long> fetches =
                many.domains().stream().collect(Collectors.toMap(Function.identity(), many::fetches));
        assertThat(fetches)
                .allSatisfy((domain, count) ->
                        assertThat(count).as("policy fetches of %s", domain).isEqualTo(1));
    }
}
