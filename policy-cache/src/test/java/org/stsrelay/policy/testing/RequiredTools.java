package org.stsrelay.policy.testing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * The one check a test makes before it uses an external tool: a missing tool skips the test, unless
 * the environment variable {@value #VARIABLE} names it, and then the test fails.
 */
public final class RequiredTools {

    /** Comma-separated names of the tools that must be there, e.g. {@code postfix,prometheus,systemd-analyze}. */
    public static final String VARIABLE = "STS_TEST_REQUIRE";

    private final Set<String> required;

    RequiredTools(String list) {
        this.required = list == null
                ? Set.of()
                : Arrays.stream(list.split(","))
                        .map(name -> name.strip().toLowerCase(Locale.ROOT))
                        .filter(name -> !name.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
    }

    /** Skips the calling test when {@code present} is false, or fails it when {@value #VARIABLE} requires {@code tool}. */
    public static void assume(String tool, boolean present, String message) {
        new RequiredTools(System.getenv(VARIABLE)).check(tool, present, () -> message);
    }

    void check(String tool, boolean present, Supplier<String> message) {
        if (present) {
            return;
        }
        if (required.contains(tool.toLowerCase(Locale.ROOT))) {
            throw new AssertionFailedError(tool + " is required by " + VARIABLE + " but missing: " + message.get());
        }
        Assumptions.abort(tool + " missing, test skipped (set " + VARIABLE + "=" + tool + " to make this a failure): "
                + message.get());
    }
}
