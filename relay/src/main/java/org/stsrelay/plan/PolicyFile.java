package org.stsrelay.plan;

import java.util.ArrayList;
import java.util.List;
import org.stsrelay.policy.Mode;
import org.stsrelay.policy.MxPattern;

/** Writes a policy file (RFC 8461 §3.2): version first, mode, one mx line per pattern, max_age; CRLF after each. */
final class PolicyFile {

    private PolicyFile() {}

    /** The lines of the policy, without terminators. */
    static List<String> lines(Mode mode, List<MxPattern> mx, long maxAgeSeconds) {
        List<String> lines = new ArrayList<>();
        // RFC 8461 §3.2 sets no order, but every example and some strict parsers put the version first.
        lines.add("version: STSv1");
        lines.add("mode: " + mode.token());
        mx.forEach(pattern -> lines.add("mx: " + pattern.pattern()));
        lines.add("max_age: " + maxAgeSeconds);
        return lines;
    }

    /** The policy text: each line ended by CRLF, the terminator RFC 8461 §3.2 names. */
    static String text(List<String> lines) {
        return String.join("\r\n", lines) + "\r\n";
    }
}
