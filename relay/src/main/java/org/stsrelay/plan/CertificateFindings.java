package org.stsrelay.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.stsrelay.delivery.MxHostProbe;
import org.stsrelay.delivery.StartTlsProbeResult;
import org.stsrelay.policy.dns.MxRecord;

/**
 * Before an {@code enforce} plan: probes every MX host as {@code check --probe-mx} does, because under enforce a
 * sender refuses a host whose certificate does not validate for its name (RFC 8461 §4.2).
 */
final class CertificateFindings {

    /**
     * What the probes found.
     *
     * @param notes hosts that could not be checked
     * @param warnings hosts that senders would refuse under enforce
     */
    record Found(List<String> notes, List<String> warnings) {}

    private final MxHostProbe probe;

    CertificateFindings(MxHostProbe probe) {
        this.probe = probe;
    }

    /** Probes {@code hosts} in parallel; a host that cannot be reached is a note, not a warning. */
    CompletableFuture<Found> of(List<MxRecord> hosts) {
        // RFC 8461 §4.2: the certificate must be valid for the MX host name, which is also the SNI name.
        List<CompletableFuture<MxHostProbe.Outcome>> each =
                hosts.stream().map(mx -> probe.probe(mx.host(), mx.host())).toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<String> notes = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            each.forEach(outcome -> judge(outcome.join(), notes, warnings));
            return new Found(notes, warnings);
        });
    }

    private static void judge(MxHostProbe.Outcome outcome, List<String> notes, List<String> warnings) {
        String refused = ": senders applying the enforce policy will not deliver there (RFC 8461 §4.2)";
        if (outcome instanceof MxHostProbe.Outcome.NoAddress none) {
            if (none.lookupFailed()) {
                notes.add("MX host " + none.host() + ": its certificate could not be checked (" + none.reason() + ")");
            } else {
                warnings.add("MX host " + none.host() + " has no address (" + none.reason() + ")" + refused);
            }
            return;
        }
        StartTlsProbeResult result = ((MxHostProbe.Outcome.Probed) outcome).result();
        String host = "MX host " + result.host() + " (" + result.address() + ")";
        if (result.validated()) {
            return;
        }
        if (result.unreachable()) {
            notes.add(host + ": its certificate could not be checked: "
                    + result.failure().orElse("no greeting")
                    + " (outbound port 25 is often blocked); run `sts-relay check --probe-mx` from a host that can "
                    + "reach it");
        } else if (result.tlsEstablished() || result.certificateProblem().isPresent()) {
            warnings.add(host + ": the certificate does not validate: "
                    + result.certificateProblem().orElse("no certificate") + refused);
        } else {
            warnings.add(host + ": " + result.failure().orElse("no TLS") + refused);
        }
    }
}
