package org.stsrelay.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.support.AtomicFiles;

/**
 * Requests as files {@code <key>.request} holding the request's one line, in one directory: each appears whole
 * and durably ({@link AtomicFiles}) and is removed once applied, so a request outlives a crash of either side.
 */
public final class FileControlPlane implements ControlPlane {

    private static final Logger LOG = LoggerFactory.getLogger(FileControlPlane.class);
    private static final String SUFFIX = ".request";
    private static final Duration POLL = Duration.ofMillis(50);

    private final Path directory;

    /** The requests in {@code directory}, created when the first request is left. */
    public FileControlPlane(Path directory) {
        this.directory = directory;
    }

    /** The control directory of the relay whose spool is {@code spoolDirectory}. */
    public static FileControlPlane ofSpool(Path spoolDirectory) {
        return new FileControlPlane(spoolDirectory.resolve("control"));
    }

    /** Where the requests are. */
    public Path directory() {
        return directory;
    }

    @Override
    public void submit(ControlRequest request) throws IOException {
        if (request.cancels().isPresent()
                && Files.deleteIfExists(file(request.cancels().get()))) {
            AtomicFiles.forceDirectory(directory);
        }
        AtomicFiles.write(file(request.key()), (request.line() + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public boolean isPending(ControlRequest request) {
        return Files.exists(file(request.key()));
    }

    @Override
    public List<PendingRequest> pending() throws IOException {
        List<PendingRequest> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                if (!AtomicFiles.isTemporary(file)) {
                    read(file).ifPresent(found::add);
                }
            }
        } catch (DirectoryIteratorException vanished) {
            // The directory went away while being read: an I/O failure like any other, not a crash of the poller.
            throw vanished.getCause();
        }
        found.sort(Comparator.comparing(PendingRequest::submitted)
                .thenComparing(p -> p.request().key()));
        return found;
    }

    @Override
    public boolean awaitApplied(ControlRequest request, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (isPending(request)) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }

    /** Removes an applied request, durably, so that it is not applied again at the next start. */
    public void remove(ControlRequest request) throws IOException {
        if (Files.deleteIfExists(file(request.key()))) {
            AtomicFiles.forceDirectory(directory);
        }
    }

    private Optional<PendingRequest> read(Path file) throws IOException {
        String line;
        Instant submitted;
        try {
            line = Files.readString(file, StandardCharsets.US_ASCII);
            submitted = Files.getLastModifiedTime(file).toInstant();
        } catch (NoSuchFileException appliedMeanwhile) {
            return Optional.empty();
        }
        ParsedRequest parsed = RequestLine.parse(line);
        String name = file.getFileName().toString();
        if (parsed instanceof ParsedRequest.Valid valid
                && name.equals(valid.request().key() + SUFFIX)) {
            return Optional.of(new PendingRequest(valid.request(), submitted));
        }
        String reason = parsed instanceof ParsedRequest.Invalid invalid ? invalid.reason() : "file name does not match";
        LOG.warn("removing the unreadable control request {}: {}", file, reason);
        Files.deleteIfExists(file);
        return Optional.empty();
    }

    private Path file(String key) {
        return directory.resolve(key + SUFFIX);
    }
}
