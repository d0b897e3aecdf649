package org.stsrelay.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code payload} of a shipped batch: its results as counted groups, {@code {"groups":[{...,"n":3}]}}, each
 * group with the journal's field names and its count in {@code n}. A batch is one row however many results it
 * holds: a busy day is many results but few distinct groups.
 */
final class BatchPayload {

    private final ObjectMapper json = new ObjectMapper();

    /** The payload of {@code groups}. */
    String encode(List<ResultGroup> groups) {
        ObjectNode root = json.createObjectNode();
        ArrayNode array = root.putArray("groups");
        for (ResultGroup g : groups) {
            ObjectNode node = array.addObject();
            ResultFields.write(node, g.key());
            node.put("n", g.count());
        }
        return root.toString();
    }

    /** The groups of a payload that {@link #encode} wrote; IOException when it is not one. */
    List<ResultGroup> decode(String payload) throws IOException {
        List<ResultGroup> out = new ArrayList<>();
        try {
            for (JsonNode node : json.readTree(payload).path("groups")) {
                out.add(new ResultGroup(ResultFields.read(node), node.get("n").asLong()));
            }
        } catch (IllegalArgumentException | NullPointerException corrupt) {
            throw new IOException("a shipped batch does not parse: " + corrupt.getMessage(), corrupt);
        }
        return out;
    }
}
