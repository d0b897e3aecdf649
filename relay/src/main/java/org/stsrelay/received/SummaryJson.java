package org.stsrelay.received;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A summary as one JSON object, with the same content as {@link SummaryText}. */
public final class SummaryJson {

    private SummaryJson() {}

    /** The summary as a JSON tree. */
    public static ObjectNode tree(ObjectMapper mapper, ReceivedSummary summary) {
        ObjectNode root = mapper.createObjectNode()
                .put("generated-at", summary.generatedAt().toString())
                .put("from", summary.from().toString())
                .put("until", summary.until().toString());
        ArrayNode domains = root.putArray("domains");
        summary.domains().forEach(d -> domains.add(domain(mapper, d)));
        return root;
    }

    private static ObjectNode domain(ObjectMapper mapper, DomainSummary d) {
        ObjectNode o = mapper.createObjectNode().put("domain", d.domain()).put("reports", d.reports());
        o.set("verdict", verdict(mapper, d.verdict()));
        if (d.published().isPresent()) {
            PublishedPolicy p = d.published().get();
            ObjectNode published = o.putObject("published").put("source", p.source());
            published.put("id", p.id().orElse(null));
            strings(published.putArray("lines"), p.lines());
        } else {
            o.putNull("published");
        }
        ArrayNode days = o.putArray("days");
        for (DayRow row : d.days()) {
            ObjectNode r = days.addObject()
                    .put("day", row.day().toString())
                    .put("organization", row.organisation())
                    .put("successful", row.successful())
                    .put("failed", row.failed());
            ObjectNode types = r.putObject("failures-by-type");
            row.failuresByType().forEach(types::put);
        }
        ArrayNode failures = o.putArray("failures");
        d.failures()
                .forEach(f -> failures.addObject()
                        .put("day", f.day().toString())
                        .put("organization", f.organisation())
                        .put("policy-type", f.policyType())
                        .put("result-type", f.resultType())
                        .put("mx-host", f.mxHost())
                        .put("ip", f.ip())
                        .put("reasons", f.reasons())
                        .put("count", f.count())
                        .put("blocks-enforce", VerdictRules.blocks(f)));
        ArrayNode stale = o.putArray("stale-senders");
        for (StaleSender s : d.stale()) {
            ObjectNode n = stale.addObject()
                    .put("day", s.day().toString())
                    .put("organization", s.organisation())
                    .put("difference", s.difference());
            strings(n.putArray("applied"), s.applied());
        }
        return o;
    }

    private static ObjectNode verdict(ObjectMapper mapper, Verdict v) {
        ObjectNode o = mapper.createObjectNode()
                .put("ready", v.ready())
                .put("verdict", v.headline())
                .put("testing-days", v.testingDays())
                .put("required-days", v.requiredDays())
                .put("organizations", v.organisations())
                .put("required-organizations", v.requiredOrganisations());
        strings(o.putArray("blockers"), v.blockers());
        strings(o.putArray("notes"), v.notes());
        return o;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
