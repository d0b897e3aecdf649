package org.stsrelay.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;

/** Prints a {@link Plan} as one JSON object: the same records, policy, notes, warnings and steps as the text. */
public final class PlanJson {

    private PlanJson() {}

    /** Prints {@code plan} to {@code out}, with the exit code the command returns. */
    public static void print(Plan plan, int exitCode, PrintWriter out) throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("domain", plan.domain());
        root.put("exit_code", exitCode);
        root.put("mode", plan.mode().token());
        root.put("max_age", plan.maxAgeSeconds());
        strings(root, "mx", plan.mx().stream().map(Object::toString).toList());
        strings(root, "rua", plan.rua().stream().map(Object::toString).toList());
        root.put("id", plan.id());
        root.put("id_kept", plan.idKept());
        ObjectNode records = root.putObject("records");
        record(records.putObject("tls_rpt"), plan.tlsRpt());
        record(records.putObject("mta_sts"), plan.mtaSts());
        ObjectNode policy = root.putObject("policy");
        policy.put("url", plan.policyUrl());
        policy.put("host", plan.policyHost());
        policy.put("text", plan.policyText());
        policy.put("owner_site_file", plan.ownerSiteFile().toString());
        policy.put("owner_site_enabled", plan.ownerSiteEnabled());
        strings(root, "notes", plan.notes());
        strings(root, "warnings", plan.warnings());
        strings(root, "steps", plan.steps());
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    private static void record(ObjectNode node, TxtRecord record) {
        node.put("name", record.name());
        node.put("type", "TXT");
        node.put("value", record.value());
        node.put("zone_line", record.zoneLine());
    }

    private static void strings(ObjectNode node, String name, List<String> values) {
        values.forEach(node.putArray(name)::add);
    }
}
