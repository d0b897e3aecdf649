package org.stsrelay.queue;

import java.io.IOException;
import java.net.IDN;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.stsrelay.spool.ControlFiles;

/**
 * Operators' hold, release and flush requests, as files in the spool's control directory, so that
 * {@code queue hold|release|flush} work whether or not the relay runs:
 * <ul>
 * <li>{@code hold} — delivery of everything is held; {@code hold@DOMAIN} — of one destination. They stay
 *     until released.</li>
 * <li>{@code released} — {@code queue release} was given: it overrides {@code delivery.paused} until the
 *     next start (at start the configuration is the operator's latest word).</li>
 * <li>{@code flush-N} / {@code flush-N@DOMAIN} — retry now; consumed by the running queue.</li>
 * </ul>
 */
public final class QueueControl {

    private static final String HOLD = "hold";
    private static final String RELEASED = "released";
    private static final String FLUSH = "flush-";

    /**
     * The hold state the files describe.
     *
     * @param all      everything is held
     * @param domains  destinations held one by one
     * @param released a release overrides {@code delivery.paused}
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
    }

    /** A pending flush request: for one destination, or for all when {@code domain} is empty. */
    record Flush(String file, Optional<String> domain) {
    }

    private final ControlFiles files;

    /** The control of the spool whose control directory is {@code controlDirectory}. */
    public QueueControl(Path controlDirectory) {
        this.files = new ControlFiles(controlDirectory);
    }

    /** Holds delivery of everything, or of one destination domain. */
    public void hold(Optional<String> domain) throws IOException {
        if (domain.isEmpty()) {
            files.remove(RELEASED);
        }
        files.create(domain.map(d -> HOLD + "@" + d).orElse(HOLD));
    }

    /** Releases a hold; releasing everything also overrides {@code delivery.paused} until the next start. */
    public void release(Optional<String> domain) throws IOException {
        if (domain.isPresent()) {
            files.remove(HOLD + "@" + domain.get());
            return;
        }
        files.remove(HOLD);
        files.create(RELEASED);
    }

    /** Asks the relay to try the deferred recipients (of one destination, or all) now. */
    public void flush(Optional<String> domain) throws IOException {
        String name = FLUSH + System.currentTimeMillis() + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
        files.create(domain.map(d -> name + "@" + d).orElse(name));
    }

    /** The holds in force. */
    public Holds holds() throws IOException {
        Set<String> domains = new HashSet<>();
        for (String name : files.list(HOLD + "@*")) {
            domains.add(name.substring(HOLD.length() + 1));
        }
        return new Holds(files.exists(HOLD), Set.copyOf(domains), files.exists(RELEASED));
    }

    /** Forgets a release from before this start: the configuration's {@code paused} decides again. */
    void clearRelease() throws IOException {
        files.remove(RELEASED);
    }

    List<Flush> flushes() throws IOException {
        return files.list(FLUSH + "*").stream().map(name -> {
            int at = name.indexOf('@');
            return new Flush(name, at < 0 ? Optional.<String>empty() : Optional.of(name.substring(at + 1)));
        }).toList();
    }

    void consume(Flush flush) throws IOException {
        files.remove(flush.file());
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
        if (ascii.isEmpty() || ascii.length() > 253 || !ascii.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?"
                + "(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("\"" + text + "\" is not a domain name");
        }
        return ascii;
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
