package org.stsrelay.world;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The command line of {@link BenchSink}: {@code DIR [--defer-every N] [--policy-max-age SECONDS]
 * [--policy-id-every SECONDS] [--tls-reports] [--many-domains N]}. Without options the world is the delivery
 * benchmark's.
 *
 * @param dir where the sink writes its files
 * @param deferEvery every how many recipients each sink MX answers one with {@code 451} (0: none)
 * @param policyMaxAge the {@code max_age} of bench.test's MTA-STS policy
 * @param policyIdEvery how often bench.test's {@code _mta-sts} TXT record gets a new id (zero: never)
 * @param tlsReports whether the domains publish TLS-RPT records whose reports a sink MX receives
 * @param manyDomains how many more enforce domains {@link ManyDomains} adds (0: none)
 */
record BenchSinkOptions(
        Path dir, int deferEvery, Duration policyMaxAge, Duration policyIdEvery, boolean tlsReports, int manyDomains) {

    private static final Duration DEFAULT_MAX_AGE = Duration.ofDays(1);

    BenchSinkOptions {
        if (deferEvery < 0
                || policyMaxAge.isNegative()
                || policyMaxAge.isZero()
                || policyIdEvery.isNegative()
                || manyDomains < 0) {
            throw new IllegalArgumentException("--defer-every, --policy-id-every and --many-domains take 0 or more, "
                    + "--policy-max-age more than 0");
        }
    }

    /** Reads the arguments; an unknown option or a missing value is an {@link IllegalArgumentException}. */
    static BenchSinkOptions parse(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: BenchSink DIR [options]");
        }
        int deferEvery = 0;
        Duration maxAge = DEFAULT_MAX_AGE;
        Duration idEvery = Duration.ZERO;
        boolean reports = false;
        int many = 0;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--defer-every" -> deferEvery = Integer.parseInt(value(args, ++i));
                case "--policy-max-age" -> maxAge = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                case "--policy-id-every" -> idEvery = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                case "--tls-reports" -> reports = true;
                case "--many-domains" -> many = Integer.parseInt(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option: " + args[i]);
            }
        }
        return new BenchSinkOptions(Path.of(args[0]), deferEvery, maxAge, idEvery, reports, many);
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
