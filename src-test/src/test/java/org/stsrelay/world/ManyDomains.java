package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.xbill.DNS.Type;

/**
 * Many MTA-STS domains in a world, {@code d0001.many.test} and on: each with its own MX name
 * {@code dNNNN.mx.many.test}, its own {@code _mta-sts} record and its own enforce policy at
 * {@code https://mta-sts.dNNNN.many.test/.well-known/mta-sts.txt} that names only that MX; every MX name resolves
 * to one sink MX whose certificate names {@code *.mx.many.test}.
 */
public final class ManyDomains {

    /** The zone every MX name lies directly under, so that one wildcard certificate covers them all. */
    public static final String MX_ZONE = "mx.many.test";

    private static final int MAX_DOMAINS = 9999;

    private final LocalWorld world;
    private final List<String> domains;

    private ManyDomains(LocalWorld world, List<String> domains) {
        this.world = world;
        this.domains = domains;
    }

    /**
     * Publishes {@code count} domains routed to {@code sink} (started by {@link LocalWorld#wildcardMx} for
     * {@link #MX_ZONE}), each with a policy of id {@code "1"} and the given mode, its certificate minted ahead.
     */
    public static ManyDomains publish(LocalWorld world, int count, MxServer sink, String mode) {
        if (count < 1 || count > MAX_DOMAINS) {
            throw new IllegalArgumentException("between 1 and " + MAX_DOMAINS + " domains, not " + count);
        }
        List<String> domains =
                IntStream.rangeClosed(1, count).mapToObj(ManyDomains::domain).toList();
        for (String domain : domains) {
            String mx = mxName(domain);
            world.dns().a(mx, sink.inetAddress());
            world.routes(domain, mx);
            // RFC 8461 §4.1: the policy names this domain's own MX; the sink's *.mx.many.test certificate covers it.
            world.publishPolicy(domain, "1", mode, List.of(mx));
            world.policyHosts().prepare(domain);
        }
        return new ManyDomains(world, domains);
    }

    /** The {@code n}th domain, from 1: {@code d0001.many.test}. */
    public static String domain(int n) {
        return String.format(Locale.ROOT, "d%04d.many.test", n);
    }

    /** The MX name of {@code domain}: its first label under {@link #MX_ZONE}. */
    public static String mxName(String domain) {
        return domain.substring(0, domain.indexOf('.')) + "." + MX_ZONE;
    }

    /** The domains, in order. */
    public List<String> domains() {
        return domains;
    }

    /** Policy requests the world's policy host answered for {@code domain} so far. */
    public long fetches(String domain) {
        return world.policyHosts().fetches(domain);
    }

    /**
     * Writes {@code file} atomically: a line {@code txt-queries N} (TXT queries the world's DNS answered, all of
     * them {@code _mta-sts} lookups while no report is sent), then one line {@code DOMAIN FETCHES} per domain.
     */
    public void writeStats(Path file) {
        String text = "txt-queries " + world.dns().queries(Type.TXT) + "\n"
                + domains.stream()
                        .map(domain -> domain + " " + fetches(domain) + "\n")
                        .collect(Collectors.joining());
        // A rename without AtomicFiles' fsync: the file is rewritten every 200 ms while the benchmark counts the
        // machine's disk flushes, and a crash loses nothing that matters.
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(partial, text, StandardCharsets.US_ASCII);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
