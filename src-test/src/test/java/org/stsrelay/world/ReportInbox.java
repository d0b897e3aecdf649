package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The mailbox the world's TLS-RPT records point at ({@code rua=mailto:}, RFC 8460 §3): appends one line per
 * report mail to a file (receive time in ms, then the RFC 8460 §5.3 Subject, which names the policy domain and
 * the report id, whose date says the day reported) and counts them.
 */
final class ReportInbox implements Consumer<ReceivedMessage> {

    private final Path log;
    private final AtomicLong received = new AtomicLong();

    ReportInbox(Path log) {
        this.log = log;
    }

    @Override
    public synchronized void accept(ReceivedMessage message) {
        String line = message.receivedAt().toEpochMilli() + "\t" + subject(message.text()) + "\n";
        try {
            Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        received.incrementAndGet();
    }

    /** Report mails received so far. */
    long received() {
        return received.get();
    }

    private static String subject(String content) {
        return BenchSink.firstField(content, "Subject").map(String::trim).orElse("(no subject)");
    }
}
