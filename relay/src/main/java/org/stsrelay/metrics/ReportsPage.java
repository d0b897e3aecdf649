package org.stsrelay.metrics;

import java.util.List;
import java.util.Map;

/** Renders the {@code /reports} page served next to {@code /metrics}. */
public interface ReportsPage {

    /**
     * Renders the page for a request's query parameters; never throws for a bad query, answers 400 with why.
     *
     * @param query the decoded query parameters, each with its values
     */
    Response render(Map<String, List<String>> query);

    /**
     * A rendered page.
     *
     * @param status the HTTP status
     * @param html   a complete HTML document, every outside string escaped
     */
    record Response(int status, String html) {}
}
