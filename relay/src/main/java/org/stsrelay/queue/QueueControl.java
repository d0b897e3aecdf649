package org.stsrelay.queue;

import java.io.IOException;
import java.net.IDN;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.stsrelay.support.AtomicFiles;

/**
 * The queue's hold state, kept across restarts in {@code <spool>/holds/}: a file {@code @all} while delivery of
 * everything is held, a file named after each destination held one by one, and {@code @released} while a release
 * overrides {@code delivery.paused} (until the next start). Only the relay writes it, when it
 * applies {@code queue hold|release} requests; {@code queue list} reads it.
 */
public final class QueueControl {

    private static final String ALL = "@all";
    private static final String RELEASED = "@released";
    /** LDH labels (RFC 5890 §2.3.1) separated by dots; compiled once, as every queued recipient is checked. */
    /**
     * The holds in force.
     *
     * @param all      everything is held
     * @param domains  destinations held one by one
     * @param released a release overrides {@code delivery.paused} (until the next start)
     */
    public record Holds(boolean all, Set<String> domains, boolean released) {

        /** Whether delivery to {@code domain} is held, given the configuration's {@code paused}. */
        public boolean holds(String domain, boolean paused) {
            return holdsAll(paused) || domains.contains(domain);
        }

        /** Whether everything is held, given the configuration's {@code paused}. */
        public boolean holdsAll(boolean paused) {
            return all || (paused && !released);
        }

        /** These holds once a hold of everything (empty) or of one destination is added. */
        public Holds withHold(Optional<String> domain) {
            if (domain.isEmpty()) {
                return new Holds(true, domains, released);
            }
            Set<String> more = new HashSet<>(domains);
            more.add(domain.get());
            return new Holds(all, Set.copyOf(more), released);
        }

        /** These holds once released; {@code overridePaused} when a release of everything also overrides paused. */
        public Holds withRelease(Optional<String> domain, boolean overridePaused) {
            if (domain.isEmpty()) {
                return new Holds(false, domains, released || overridePaused);
            }
            Set<String> fewer = new HashSet<>(domains);
            fewer.remove(domain.get());
            return new Holds(all, Set.copyOf(fewer), released);
        }
    }

    private final Path directory;

    /** The hold state of the queue over the spool in {@code spoolDirectory}. */
    public QueueControl(Path spoolDirectory) {
        this.directory = spoolDirectory.resolve("holds");
    }

    /** Records durably that everything, or one destination, is held. */
    public void hold(Optional<String> domain) throws IOException {
        AtomicFiles.write(file(domain), new byte[0]);
    }

    /**
     * Records durably that a hold of everything, or of one destination, is released; {@code overridePaused}: a
     * release of everything also overrides {@code delivery.paused} until {@link #clearRelease()}.
     */
    public void release(Optional<String> domain, boolean overridePaused) throws IOException {
        if (Files.deleteIfExists(file(domain))) {
            AtomicFiles.forceDirectory(directory);
        }
        if (domain.isEmpty() && overridePaused) {
            AtomicFiles.write(directory.resolve(RELEASED), new byte[0]);
        }
    }

    /** Forgets a release from before this start: the configuration's {@code paused} decides again. */
    void clearRelease() throws IOException {
        if (Files.deleteIfExists(directory.resolve(RELEASED))) {
            AtomicFiles.forceDirectory(directory);
        }
    }

    /** The holds recorded. */
    public Holds holds() throws IOException {
        Set<String> domains = new HashSet<>();
        boolean all = false;
        boolean released = false;
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (name.equals(ALL)) {
                        all = true;
                    } else if (name.equals(RELEASED)) {
                        released = true;
                    } else if (!AtomicFiles.isTemporary(file)) {
                        domains.add(name);
                    }
                }
            }
        }
        return new Holds(all, Set.copyOf(domains), released);
    }

    // A domain never contains "@" or "/", so no destination can be named like the hold of everything.
    private Path file(Optional<String> domain) {
        return directory.resolve(domain.map(QueueControl::domain).orElse(ALL));
    }

    /**
     * A destination domain as the queue keys it: lower case, IDNs as A-labels; throws for something
     * that is not a domain name (it becomes a file name, so nothing else may pass).
     */
    public static String domain(String text) {
        String ascii;
        try {
            ascii = IDN.toASCII(text.trim(), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a domain name");
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (ascii.isEmpty() || ascii.length() > 253 || !isLdhName(ascii)) {
            throw new IllegalArgumentException("\"" + text + "\" is not a domain name");
        }
        return ascii;
    }

    /** Whether {@code ascii} is dot-separated labels of lower-case letters, digits and inner hyphens (RFC 5890 LDH). */
    private static boolean isLdhName(String ascii) {
        int labelStart = 0;
        for (int i = 0; i <= ascii.length(); i++) {
            char c = i < ascii.length() ? ascii.charAt(i) : '.';
            if (c == '.') {
                if (i == labelStart || ascii.charAt(labelStart) == '-' || ascii.charAt(i - 1) == '-') {
                    return false;
                }
                labelStart = i + 1;
            } else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** The destination domain of a recipient address, keyed like {@link #domain(String)}; the text as is when it is not one. */
    public static String domainOf(String address) {
        String domain = address.substring(address.lastIndexOf('@') + 1);
        try {
            return domain(domain);
        } catch (IllegalArgumentException e) {
            return domain.toLowerCase(Locale.ROOT);
        }
    }
}
