package org.stsrelay.tlsrpt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.stsrelay.config.TlsRptConfig;

/** Builds the RFC 8460 §4.4 JSON report of one policy domain's day. */
public final class TlsReportJson {

    private static final DateTimeFormatter COMPACT_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private final ObjectMapper json = new ObjectMapper();
    private final String organizationName;
    private final String contactInfo;
    private final String submitter;

    /** A builder for the identity in {@code config}. */
    public TlsReportJson(TlsRptConfig config) {
        this(config.organizationName(), config.contactInfo(), config.submitter());
    }

    TlsReportJson(String organizationName, String contactInfo, String submitter) {
        this.organizationName = organizationName;
        this.contactInfo = contactInfo;
        this.submitter = submitter;
    }

    /** RFC 8460 §4.4 report-id: {@code <YYYYMMDD>.<policy-domain>@<submitter>}, unique and stable. */
    public String reportId(String policyDomain, LocalDate day) {
        return day.format(COMPACT_DATE) + "." + policyDomain + "@" + submitter;
    }

    /** The report of {@code results}. */
    public TlsReport build(DomainResults results) {
        ObjectNode root = tree(results);
        String id = root.get("report-id").asText();
        return new TlsReport(
                results.policyDomain(), results.day(), id, root.toString().getBytes(StandardCharsets.UTF_8));
    }

    ObjectNode tree(DomainResults results) {
        ObjectNode root = json.createObjectNode();
        root.put("organization-name", organizationName);
        ObjectNode range = root.putObject("date-range");
        // RFC 8460 §4.1 and Appendix B: the whole UTC day, written as 00:00:00Z to 23:59:59Z.
        range.put("start-datetime", results.day() + "T00:00:00Z");
        range.put("end-datetime", results.day() + "T23:59:59Z");
        root.put("contact-info", contactInfo);
        root.put("report-id", reportId(results.policyDomain(), results.day()));
        ArrayNode policies = root.putArray("policies");
        for (PolicyResults p : results.policies()) {
            policies.add(policy(results.policyDomain(), p));
        }
        return root;
    }

    private ObjectNode policy(String domain, PolicyResults p) {
        ObjectNode entry = json.createObjectNode();
        ObjectNode policy = entry.putObject("policy");
        policy.put("policy-type", p.policy().type().token());
        // RFC 8460 §4.4: policy-string and mx-host are arrays always, empty for no-policy-found, never null.
        ArrayNode lines = policy.putArray("policy-string");
        p.policy().policyString().forEach(lines::add);
        policy.put("policy-domain", domain);
        ArrayNode mx = policy.putArray("mx-host");
        p.policy().mxHost().forEach(mx::add);
        ObjectNode summary = entry.putObject("summary");
        summary.put("total-successful-session-count", p.successes());
        summary.put("total-failure-session-count", p.failures());
        ArrayNode details = entry.putArray("failure-details");
        p.failureDetails().forEach(d -> details.add(detail(d)));
        return entry;
    }

    private ObjectNode detail(FailureDetail d) {
        ObjectNode node = json.createObjectNode();
        node.put("result-type", d.resultType().token());
        // RFC 8460 §4.4: a field that did not apply (no MX or IP for a fetch error) is omitted, never "" or null.
        put(node, "sending-mta-ip", d.sendingIp());
        put(node, "receiving-mx-hostname", d.mxHost());
        put(node, "receiving-mx-helo", d.helo());
        put(node, "receiving-ip", d.receivingIp());
        node.put("failed-session-count", d.failedSessions());
        put(node, "failure-reason-code", d.reasonCode());
        return node;
    }

    private static void put(ObjectNode node, String field, Optional<String> value) {
        value.filter(v -> !v.isEmpty()).ifPresent(v -> node.put(field, v));
    }
}
