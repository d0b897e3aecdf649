package org.stsrelay.control;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stsrelay.policy.DomainNames;
import org.stsrelay.policy.cache.PolicyAdmin;

/**
 * Durable operator requests to a running relay's policy cache: {@code policy purge|refresh} leave a file
 * {@code <store>/control/<domain>.purge|.refresh}; the relay applies it on its next tick, then deletes it.
 */
public final class PolicyControl {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyControl.class);
    /** How soon a running relay applies {@code policy purge|refresh} requests. */
    public static final Duration PERIOD = Duration.ofSeconds(5);

    /** What an operator asked for; the file suffix names it. */
    public enum Action {
        PURGE, REFRESH;

        String suffix() {
            return "." + name().toLowerCase(Locale.ROOT);
        }
    }

    /** One request found in the control directory. */
    public record Request(String domain, Action action, Path file) {
    }

    private final Path directory;
    private final AtomicBoolean applying = new AtomicBoolean();

    public PolicyControl(Path storeDirectory) {
        this.directory = storeDirectory.resolve("control");
    }

    /** Leaves a request for a normalised domain: temporary file, fsync, atomic rename, directory fsync. */
    public void request(String domain, Action action) throws IOException {
        if (!DomainNames.isNormal(domain)) {
            throw new IllegalArgumentException("not a normalised domain: " + domain);
        }
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + domain, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, directory.resolve(domain + action.suffix()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Returns the requests waiting, purges first so a purge and a refresh of one domain end with a fresh policy. */
    List<Request> pending() throws IOException {
        List<Request> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                for (Action action : Action.values()) {
                    if (name.endsWith(action.suffix()) && !name.startsWith(".")) {
                        found.add(new Request(name.substring(0, name.length() - action.suffix().length()), action, file));
                    }
                }
            }
        } catch (DirectoryIteratorException vanished) {
            // The directory went away while being read: an I/O failure like any other, not a crash of the poller.
            throw vanished.getCause();
        }
        found.sort(Comparator.comparing(Request::action).thenComparing(Request::domain));
        return found;
    }

    /**
     * Applies every waiting request to {@code admin}, one after another, deleting each file once applied; a tick
     * that finds the previous one still busy does nothing. Completes with the requests applied.
     */
    public CompletionStage<List<Request>> applyPending(PolicyAdmin admin) {
        if (!applying.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<Request> requests;
        try {
            requests = pending();
        } catch (IOException unreadable) {
            applying.set(false);
            LOG.error("cannot read policy requests in {}: {}", directory, unreadable.getMessage());
            return CompletableFuture.completedFuture(List.of());
        }
        CompletionStage<List<Request>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (Request request : requests) {
            chain = chain.thenCompose(done -> apply(admin, request).thenApply(applied -> {
                if (applied) {
                    done.add(request);
                }
                return done;
            }));
        }
        return chain.whenComplete((done, error) -> applying.set(false));
    }

    private CompletionStage<Boolean> apply(PolicyAdmin admin, Request request) {
        if (!DomainNames.isNormal(request.domain())) {
            LOG.warn("ignoring policy request {}: not a domain name", request.file());
            delete(request.file());
            return CompletableFuture.completedFuture(false);
        }
        CompletionStage<?> action = request.action() == Action.PURGE
                ? admin.purge(request.domain()) : admin.refresh(request.domain());
        return action.handle((outcome, error) -> {
            if (error != null) {
                LOG.error("policy {} of {} failed: {}", request.action(), request.domain(), error.getMessage());
            } else {
                LOG.info("policy {} of {} requested by an operator: done", request.action().name().toLowerCase(Locale.ROOT),
                        request.domain());
            }
            delete(request.file());
            return error == null;
        });
    }

    private void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException undeletable) {
            LOG.error("cannot delete policy request {}: {}", file, undeletable.getMessage());
        }
    }

    // The rename is durable only once the directory entry is; not every platform can open a directory for this.
    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException unsupported) {
            LOG.debug("cannot fsync directory {}: {}", directory, unsupported.getMessage());
        }
    }
}
