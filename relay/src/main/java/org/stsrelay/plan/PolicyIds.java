package org.stsrelay.plan;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.stsrelay.policy.PolicyDocument;

/** Chooses the {@code _mta-sts} id: the current one while the policy is unchanged, else a new one. */
final class PolicyIds {

    /**
     * The id chosen.
     *
     * @param id 1 to 32 letters and digits (RFC 8461 §3.1)
     * @param kept whether it is the id published now
     */
    record Choice(String id, boolean kept) {}

    // RFC 8461 §3.1: id is 1*32(ALPHA / DIGIT); a UTC timestamp to the second is unique per change and sorts by age.
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private PolicyIds() {}

    /**
     * RFC 8461 §3.1: senders refetch the policy only when the id changes, so a changed policy needs a new id, and an
     * unchanged one keeps its id so senders keep their cache.
     */
    static Choice choose(
            Optional<String> currentId, Optional<PolicyDocument> currentPolicy, List<String> lines, Instant now) {
        boolean unchanged = currentPolicy.map(p -> p.lines().equals(lines)).orElse(false);
        if (unchanged && currentId.isPresent()) {
            return new Choice(currentId.get(), true);
        }
        String id = STAMP.format(now);
        // Two plans in one second against a record that already carries this stamp still need a different id.
        return new Choice(currentId.filter(id::equals).map(same -> same + "1").orElse(id), false);
    }
}
