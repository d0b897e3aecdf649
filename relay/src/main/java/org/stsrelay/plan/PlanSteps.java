package org.stsrelay.plan;

import java.util.List;
import java.util.Optional;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.PolicyDocument;

/** The rollout in the order the MTA-STS guides give it, each step one sentence with the command that checks it. */
final class PlanSteps {

    private PlanSteps() {}

    static List<String> of(String domain, Mode mode, long maxAgeSeconds, Optional<PolicyDocument> current) {
        String check = "`sts-relay check " + domain + "`";
        String publish = "Publish the policy file, make sure " + check + " fetches it, then publish the _mta-sts "
                + "record: RFC 8461 §8.1 updates the policy before the TXT record, so a sender that sees the new id "
                + "always fetches the new policy.";
        if (mode == Mode.NONE) {
            long wait = current.map(PolicyDocument::maxAgeSeconds).orElse(maxAgeSeconds);
            return List.of(
                    publish,
                    "Keep both published until every policy served before has expired: at least " + wait
                            + " seconds, the max_age of the policy served now (RFC 8461 §8.3).",
                    "Then remove the _mta-sts record first and the policy file after it; keep the _smtp._tls "
                            + "record if you still want TLS reports.",
                    "Run " + check + " after each step.");
        }
        return List.of(
                "Publish the _smtp._tls record first and read the reports that arrive (RFC 8460 §3): they show "
                        + "which senders cannot reach your MX hosts over TLS before any policy is in force.",
                publish,
                "Run " + check + " after each step.",
                "Stay in mode testing for at least two weeks: failures are reported, mail is still delivered "
                        + "(RFC 8461 §5); `sts-relay received summary --domain " + domain
                        + "` says when the reports show the domain is ready for enforce.",
                "Then switch to enforce with a small max_age: `sts-relay domain plan " + domain
                        + " --mode enforce --max-age 1d`, and publish the new policy before its new id.",
                "Once enforce is stable, raise max_age to weeks: `sts-relay domain plan " + domain
                        + " --mode enforce --max-age 2w` or more, at most 31557600 seconds (RFC 8461 §3.2).");
    }
}
