package org.stsrelay.policy.cache;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.Policy;
import org.stsrelay.policy.PolicyParser;

/** The text form of a stored policy: a few header lines, a blank line, then the policy file verbatim. */
final class StoredPolicyFormat {

    private static final String MAGIC = "sts-relay-policy 1";

    private StoredPolicyFormat() {}

    static String write(StoredPolicy stored) {
        Policy policy = stored.policy();
        return MAGIC + "\n"
                + "domain: " + policy.domain() + "\n"
                + "id: " + policy.id() + "\n"
                + "fetched-at: " + policy.fetchedAt() + "\n"
                + "validated-at: " + stored.validatedAt() + "\n"
                + "\n"
                + policy.text();
    }

    /** Reads a stored policy back; the policy text is parsed again, so a damaged file is never trusted. */
    static Optional<StoredPolicy> read(String content) {
        int headerEnd = content.indexOf("\n\n");
        if (!content.startsWith(MAGIC + "\n") || headerEnd < 0) {
            return Optional.empty();
        }
        Map<String, String> header = new HashMap<>();
        for (String line : content.substring(MAGIC.length() + 1, headerEnd).split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                header.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        ParseResult parsed = PolicyParser.parse(content.substring(headerEnd + 2));
        if (!(parsed instanceof ParseResult.Valid valid)) {
            return Optional.empty();
        }
        try {
            Policy policy = new Policy(
                    header.get("domain"), header.get("id"), valid.document(), Instant.parse(header.get("fetched-at")));
            return Optional.of(new StoredPolicy(policy, Instant.parse(header.get("validated-at"))));
        } catch (IllegalArgumentException | NullPointerException | DateTimeParseException damaged) {
            return Optional.empty();
        }
    }
}
