package org.stsrelay.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stsrelay.delivery.TlsResultType;

/**
 * The JSON fields of a {@link ResultKey}, one spelling for the journal's lines and the shipped batches, so a
 * batch holds exactly what the journal held.
 */
final class ResultFields {

    private ResultFields() {}

    /** Adds the key's fields to {@code node}; absent values are left out. */
    static void write(ObjectNode node, ResultKey k) {
        node.put("d", k.policyDomain());
        node.put("pt", k.policy().type().token());
        k.policyId().ifPresent(v -> node.put("pid", v));
        ArrayNode lines = node.putArray("ps");
        k.policy().policyString().forEach(lines::add);
        ArrayNode mx = node.putArray("mx");
        k.policy().mxHost().forEach(mx::add);
        k.resultType().ifPresent(v -> node.put("r", v.token()));
        k.sendingIp().ifPresent(v -> node.put("smi", v));
        k.mxHost().ifPresent(v -> node.put("mxh", v));
        k.helo().ifPresent(v -> node.put("helo", v));
        k.receivingIp().ifPresent(v -> node.put("rip", v));
        k.reasonCode().ifPresent(v -> node.put("frc", v));
    }

    /**
     * The key in {@code n}; a missing required field throws NullPointerException, an unknown token
     * IllegalArgumentException (callers treat both as a corrupt record).
     */
    static ResultKey read(JsonNode n) {
        ReportedPolicy.PolicyType type =
                ReportedPolicy.PolicyType.fromToken(n.get("pt").asText());
        ReportedPolicy policy = new ReportedPolicy(type, strings(n.get("ps")), strings(n.get("mx")));
        return new ResultKey(
                n.get("d").asText(),
                policy,
                text(n, "pid"),
                text(n, "r").map(ResultFields::resultType),
                text(n, "smi"),
                text(n, "mxh"),
                text(n, "helo"),
                text(n, "rip"),
                text(n, "frc"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static Optional<String> text(JsonNode n, String field) {
        return Optional.ofNullable(n.get(field)).map(JsonNode::asText);
    }

    private static TlsResultType resultType(String token) {
        return TlsResultType.fromToken(token)
                .orElseThrow(() -> new IllegalArgumentException("unknown result-type: " + token));
    }
}
