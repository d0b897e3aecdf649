package org.stsrelay.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Prints a {@link CheckReport}: a verdict line per item with its facts indented, or the same as JSON. */
final class CheckOutput {

    private static final String INDENT = "         ";

    private CheckOutput() {}

    static void text(CheckReport report, PrintWriter out) {
        out.println("MTA-STS, DANE and TLS-RPT check of " + report.domain());
        for (CheckItem item : report.items()) {
            out.println(item.verdict().label() + " " + item.summary());
            for (Map.Entry<String, Object> fact : item.facts().entrySet()) {
                if (fact.getValue() instanceof List<?> values && values.size() > 1) {
                    out.println(INDENT + fact.getKey() + ":");
                    values.forEach(value -> out.println(INDENT + "  " + value));
                } else if (fact.getValue() instanceof List<?> values) {
                    out.println(INDENT + fact.getKey() + ": " + (values.isEmpty() ? "(none)" : values.get(0)));
                } else {
                    out.println(INDENT + fact.getKey() + ": " + fact.getValue());
                }
            }
        }
        out.println(report.conclusion());
    }

    static void json(CheckReport report, PrintWriter out) throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("domain", report.domain());
        root.put("exit_code", report.exitCode());
        root.put("conclusion", report.conclusion());
        ArrayNode items = root.putArray("items");
        for (CheckItem item : report.items()) {
            ObjectNode node = items.addObject();
            node.put("verdict", item.verdict().name());
            node.put("topic", item.topic());
            node.put("summary", item.summary());
            ObjectNode facts = node.putObject("facts");
            // Keys are written as shown to people, with spaces turned into underscores for scripts.
            item.facts()
                    .forEach((key, value) -> facts.set(
                            key.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", ""), mapper.valueToTree(value)));
        }
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
}
