package org.stsrelay.plan;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.stsrelay.delivery.MxHostProbe;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.dns.DnsClient;
import org.stsrelay.policy.resolve.PolicyResolver;

/** Runs {@code domain plan}: read the domain's state, decide, probe MX certificates before enforce, check the output. */
public final class DomainPlanner {

    /** The outcome of planning one domain. */
    public sealed interface Outcome {
        /** A plan that reads back through the relay's own parsers exactly as planned. */
        record Planned(Plan plan) implements Outcome {}

        /** No plan without more input; {@code message} names the option to add. */
        record Refused(String message) implements Outcome {}

        /** The generated output failed its own parsers: a bug, never to be published. */
        record InternalError(String message) implements Outcome {}
    }

    private final StateReader state;
    private final Optional<CertificateFindings> certificates;
    private final Clock clock;

    /** {@code probe} empty: MX certificates are not checked before enforce. */
    public DomainPlanner(PolicyResolver resolver, DnsClient dns, Optional<MxHostProbe> probe, Clock clock) {
        this.state = new StateReader(resolver, dns);
        this.certificates = probe.map(CertificateFindings::new);
        this.clock = clock;
    }

    /** Plans {@code request}; the stage never completes exceptionally for a DNS or network failure. */
    public CompletionStage<Outcome> plan(PlanRequest request) {
        return state.read(request.domain()).thenCompose(current -> {
            Planner.Decision decision = Planner.plan(request, current, clock.instant());
            if (decision instanceof Planner.Decision.Refused refused) {
                return CompletableFuture.completedFuture(new Outcome.Refused(refused.message()));
            }
            Plan plan = ((Planner.Decision.Planned) decision).plan();
            if (plan.mode() != Mode.ENFORCE || certificates.isEmpty()) {
                return CompletableFuture.completedFuture(checked(plan));
            }
            return certificates
                    .get()
                    .of(current.mxHosts())
                    .thenApply(found -> checked(plan.with(found.notes(), found.warnings())));
        });
    }

    private static Outcome checked(Plan plan) {
        return PlanSelfCheck.failure(plan)
                .<Outcome>map(failure -> new Outcome.InternalError(failure))
                .orElse(new Outcome.Planned(plan));
    }
}
