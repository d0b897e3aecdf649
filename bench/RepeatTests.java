import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the selected test classes or packages again and again in one JVM and counts the runs that
 * failed, naming each failing test: a flaky test shows up here long before it fails a CI run.
 * Usage (see repeat-tests.sh): {@code java RepeatTests.java RUNS SELECTOR...}, where a selector is a
 * package ({@code org.stsrelay.spool}) or a class ({@code org.stsrelay.spool.RecoveryTest}).
 */
public final class RepeatTests {

    public static void main(String[] args) {
        int runs = Integer.parseInt(args[0]);
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            boolean isClass = Character.isUpperCase(name.charAt(name.lastIndexOf('.') + 1));
            selectors.add(isClass ? selectClass(name) : selectPackage(name));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        Launcher launcher = LauncherFactory.create();
        Map<String, Integer> failures = new TreeMap<>();
        int failedRuns = 0;
        long tests = 0;
        for (int run = 1; run <= runs; run++) {
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(request, listener);
            TestExecutionSummary summary = listener.getSummary();
            tests += summary.getTestsSucceededCount() + summary.getTestsFailedCount();
            if (summary.getTotalFailureCount() > 0) {
                failedRuns++;
                summary.printFailuresTo(new PrintWriter(System.out, true), 15);
                summary.getFailures().forEach(failure ->
                        failures.merge(failure.getTestIdentifier().getUniqueId(), 1, Integer::sum));
            }
            System.out.printf("run %d/%d: %d tests, %d failed%n", run, runs,
                    summary.getTestsSucceededCount() + summary.getTestsFailedCount(), summary.getTotalFailureCount());
        }
        failures.forEach((test, count) -> System.out.printf("FAILED %d time(s): %s%n", count, test));
        System.out.printf("repeat-tests: %d runs, %d test executions, %d runs with a failure%n", runs, tests,
                failedRuns);
        System.exit(failedRuns == 0 ? 0 : 1);
    }
}
