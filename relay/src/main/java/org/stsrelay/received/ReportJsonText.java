package org.stsrelay.received;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** Writes a parsed report back as RFC 8460 §4.4 JSON, for a report whose original text is not at hand. */
final class ReportJsonText {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportJsonText() {}

    static String write(ReceivedReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("organization-name", report.organizationName());
        ObjectNode range = root.putObject("date-range");
        range.put("start-datetime", report.start().toString());
        range.put("end-datetime", report.end().toString());
        root.put("contact-info", report.contactInfo());
        root.put("report-id", report.reportId());
        ArrayNode policies = root.putArray("policies");
        for (ReportedPolicy policy : report.policies()) {
            ObjectNode entry = policies.addObject();
            ObjectNode applied = entry.putObject("policy");
            applied.put("policy-type", policy.policyType());
            strings(applied.putArray("policy-string"), policy.policyStrings());
            applied.put("policy-domain", policy.policyDomain());
            strings(applied.putArray("mx-host"), policy.mxHosts());
            ObjectNode summary = entry.putObject("summary");
            summary.put("total-successful-session-count", policy.totalSuccessful());
            summary.put("total-failure-session-count", policy.totalFailure());
            ArrayNode details = entry.putArray("failure-details");
            policy.failures().forEach(failure -> failure(details.addObject(), failure));
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static void failure(ObjectNode node, ReportedFailure failure) {
        node.put("result-type", failure.resultType());
        optional(node, "sending-mta-ip", failure.sendingMtaIp());
        optional(node, "receiving-mx-hostname", failure.receivingMxHostname());
        optional(node, "receiving-mx-helo", failure.receivingMxHelo());
        optional(node, "receiving-ip", failure.receivingIp());
        node.put("failed-session-count", failure.failedSessionCount());
        optional(node, "additional-information", failure.additionalInformation());
        optional(node, "failure-reason-code", failure.failureReasonCode());
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void optional(ObjectNode node, String name, Optional<String> value) {
        value.ifPresent(v -> node.put(name, v));
    }
}
