package org.stsrelay.received;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses a report's JSON text leniently, then checks what RFC 8460 §4.4 requires: what a real sender ships with a
 * clear meaning is taken and noted, what has no clear meaning is refused with the reason.
 */
final class ReportParser {

    /** Reports are four levels deep; anything much deeper is an attack, refused before it costs stack. */
    static final int MAX_NESTING = 32;

    /** No field of a report needs more; a policy-string line is at most a few hundred characters. */
    static final int MAX_STRING = 1_000_000;

    private static final Set<String> REPORT_FIELDS =
            Set.of("organization-name", "date-range", "contact-info", "report-id", "policies");
    private static final Set<String> DATE_RANGE_FIELDS = Set.of("start-datetime", "end-datetime");
    private static final Set<String> POLICY_ENTRY_FIELDS = Set.of("policy", "summary", "failure-details");
    private static final Set<String> POLICY_FIELDS = Set.of("policy-type", "policy-string", "policy-domain", "mx-host");
    private static final Set<String> SUMMARY_FIELDS =
            Set.of("total-successful-session-count", "total-failure-session-count");
    private static final Set<String> FAILURE_FIELDS = Set.of(
            "result-type",
            "sending-mta-ip",
            "receiving-mx-hostname",
            "receiving-mx-helo",
            "receiving-ip",
            "failed-session-count",
            "additional-information",
            "failure-reason-code");
    private static final Set<String> POLICY_TYPES = Set.of("sts", "tlsa", "no-policy-found");

    private final ObjectMapper mapper;

    ReportParser() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxStringLength(MAX_STRING)
                        .maxNameLength(1_000)
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    /** Parses {@code json} (UTF-8). */
    ParsedReport parse(byte[] json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (StreamConstraintsException e) {
            return new ParsedReport.Malformed("JSON exceeds a parser limit (nesting depth " + MAX_NESTING
                    + ", string length " + MAX_STRING + "): " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            return new ParsedReport.Malformed("not JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            return new ParsedReport.Malformed("not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            return new ParsedReport.Malformed("not JSON: the body is empty");
        }
        if (!root.isObject()) {
            return new ParsedReport.Malformed("the report is a JSON " + kind(root) + ", not an object (RFC 8460 §4.4)");
        }
        LenientFields fields = new LenientFields();
        try {
            return new ParsedReport.Parsed(report(root, fields), fields.notes());
        } catch (MalformedReport e) {
            return new ParsedReport.Malformed(e.getMessage());
        }
    }

    private static ReceivedReport report(JsonNode root, LenientFields fields) throws MalformedReport {
        fields.unknownFields(root, REPORT_FIELDS, "");
        String reportId = fields.text(root, "report-id", "");
        JsonNode range = fields.object(root, "date-range", "");
        fields.unknownFields(range, DATE_RANGE_FIELDS, "date-range.");
        var start = fields.dateTime(range, "start-datetime", "date-range.");
        var end = fields.dateTime(range, "end-datetime", "date-range.");
        if (end.isBefore(start)) {
            throw new MalformedReport("date-range ends before it starts");
        }
        var contact = fields.optionalText(root, "contact-info", "").filter(s -> !s.isBlank());
        var organization = fields.optionalText(root, "organization-name", "").filter(s -> !s.isBlank());
        if (contact.isEmpty() && organization.isEmpty()) {
            throw new MalformedReport("neither organization-name nor contact-info: the sender cannot be told");
        }
        if (contact.isEmpty()) {
            fields.note("contact-info is missing (RFC 8460 §4.4)");
        }
        if (organization.isEmpty()) {
            fields.note("organization-name is missing (RFC 8460 §4.4); named after contact-info");
        }
        JsonNode policiesNode = root.get("policies");
        if (policiesNode == null || policiesNode.isNull()) {
            throw new MalformedReport("policies is missing (RFC 8460 §4.4)");
        }
        List<ReportedPolicy> policies = new ArrayList<>();
        List<JsonNode> entries = fields.objects(root, "policies", "");
        for (int i = 0; i < entries.size(); i++) {
            policies.add(policy(entries.get(i), fields, "policies[" + i + "]."));
        }
        if (policies.isEmpty()) {
            throw new MalformedReport("policies is empty: the report says nothing (RFC 8460 §4.4)");
        }
        return new ReceivedReport(
                organization.orElseGet(contact::get), start, end, contact.orElse(""), reportId, policies);
    }

    private static ReportedPolicy policy(JsonNode entry, LenientFields fields, String path) throws MalformedReport {
        fields.unknownFields(entry, POLICY_ENTRY_FIELDS, path);
        JsonNode policy = fields.object(entry, "policy", path);
        String at = path + "policy.";
        fields.unknownFields(policy, POLICY_FIELDS, at);
        String type = fields.text(policy, "policy-type", at);
        if (!POLICY_TYPES.contains(type)) {
            fields.note(at + "policy-type \"" + LenientFields.shorten(type) + "\" is not one of RFC 8460 §4.4's");
        }
        String domain = fields.text(policy, "policy-domain", at);
        List<String> strings = fields.strings(policy, "policy-string", at);
        List<String> mxHosts = fields.strings(policy, "mx-host", at);
        JsonNode summary = fields.object(entry, "summary", path);
        fields.unknownFields(summary, SUMMARY_FIELDS, path + "summary.");
        long successful = fields.count(summary, "total-successful-session-count", path + "summary.");
        long failed = fields.count(summary, "total-failure-session-count", path + "summary.");
        List<ReportedFailure> failures = new ArrayList<>();
        List<JsonNode> details = fields.objects(entry, "failure-details", path);
        for (int i = 0; i < details.size(); i++) {
            failures.add(failure(details.get(i), fields, path + "failure-details[" + i + "]."));
        }
        return new ReportedPolicy(type, strings, domain, mxHosts, successful, failed, failures);
    }

    private static ReportedFailure failure(JsonNode detail, LenientFields fields, String path) throws MalformedReport {
        fields.unknownFields(detail, FAILURE_FIELDS, path);
        return new ReportedFailure(
                fields.text(detail, "result-type", path),
                fields.optionalText(detail, "sending-mta-ip", path),
                fields.optionalText(detail, "receiving-mx-hostname", path),
                fields.optionalText(detail, "receiving-mx-helo", path),
                fields.optionalText(detail, "receiving-ip", path),
                fields.count(detail, "failed-session-count", path),
                fields.optionalText(detail, "additional-information", path),
                fields.optionalText(detail, "failure-reason-code", path));
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String firstLine(String message) {
        String text = message == null ? "unreadable" : message;
        int newline = text.indexOf('\n');
        return LenientFields.shorten(newline < 0 ? text : text.substring(0, newline));
    }
}
