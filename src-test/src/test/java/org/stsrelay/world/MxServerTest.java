package org.stsrelay.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MxServerTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName(
            "RFC 5321 §4.2.1: deferEvery answers every nth recipient with a transient 451, counted across sessions")
    void defersEveryNthRecipient() throws Exception {
        MxOptions options = MxOptions.plaintextOnly().discarding().deferringEvery(3);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        List<Integer> codes = new ArrayList<>();
        try (MxServer server = MxServer.start("mx.defer.test", any, options, WorldCertificates.create(dir), m -> {})) {
            for (int session = 0; session < 2; session++) {
                try (SmtpTestClient client = SmtpTestClient.connect(server.address())) {
                    client.ehlo("client.test");
                    client.command("MAIL FROM:<a@client.test>");
                    for (int i = 0; i < 3; i++) {
                        codes.add(client.command("RCPT TO:<r" + i + "@defer.test>")
                                .code());
                    }
                    client.quit();
                }
            }
            assertThat(codes).containsExactly(250, 250, 451, 250, 250, 451);
            assertThat(server.deferrals()).isEqualTo(2);
        }
    }

    @Test
    @DisplayName("without deferEvery every recipient is accepted")
    void defersNothingByDefault() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (MxServer server = MxServer.start(
                        "mx.plain.test", any, MxOptions.plaintextOnly(), WorldCertificates.create(dir), m -> {});
                SmtpTestClient client = SmtpTestClient.connect(server.address())) {
            client.ehlo("client.test");
            client.command("MAIL FROM:<a@client.test>");
            for (int i = 0; i < 25; i++) {
                assertThat(client.command("RCPT TO:<r" + i + "@plain.test>").code())
                        .isEqualTo(250);
            }
            assertThat(server.deferrals()).isZero();
        }
    }
}
