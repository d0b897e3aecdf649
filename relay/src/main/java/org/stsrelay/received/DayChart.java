package org.stsrelay.received;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Draws a domain's sessions as an inline SVG bar chart: one group per UTC day of the window, in it one bar of
 * successes and one of failures per organisation. No script: the page's Content-Security-Policy forbids it.
 */
final class DayChart {

    /** Organisations drawn by name; the others are drawn together as "other". */
    static final int NAMED = 8;

    private static final int BAR = 6;
    private static final int GAP = 8;
    private static final int HEIGHT = 120;
    /** Room under the bars for the day labels. */
    private static final int LABELS = 14;
    /** The least room a day label needs, so that long windows label every few days rather than overlap. */
    private static final int LABEL_WIDTH = 36;

    private static final int MAX_WIDTH = 1200;

    private DayChart() {}

    /** The chart for {@code domain} over {@code days}. */
    static String svg(DomainSummary domain, List<LocalDate> days) {
        List<String> organisations = organisations(domain.days());
        Map<LocalDate, Map<String, long[]>> counts = counts(domain.days(), organisations);
        long max = tallest(counts);
        int groupWidth = Math.max(1, organisations.size()) * 2 * BAR + GAP;
        int labelEvery = (LABEL_WIDTH + groupWidth - 1) / groupWidth;
        StringBuilder svg = new StringBuilder();
        int width = Math.max(1, days.size() * groupWidth);
        // A viewBox scales a long window to the page width instead of scrolling sideways.
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-domain=\"")
                .append(Html.escape(domain.domain()))
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(HEIGHT + LABELS)
                .append("\" width=\"")
                .append(Math.min(width, MAX_WIDTH))
                .append("\" height=\"")
                .append(HEIGHT + LABELS)
                .append("\" preserveAspectRatio=\"none\" role=\"img\">");
        int x = 0;
        int index = 0;
        for (LocalDate day : days) {
            svg.append("<g class=\"day\" data-day=\"").append(day).append("\">");
            svg.append("<title>").append(day).append("</title>");
            Map<String, long[]> ofDay = counts.getOrDefault(day, Map.of());
            int barX = x;
            for (String organisation : organisations) {
                long[] c = ofDay.getOrDefault(organisation, new long[2]);
                bar(svg, day, organisation, "success", c[0], barX, max);
                bar(svg, day, organisation, "failure", c[1], barX + BAR, max);
                barX += 2 * BAR;
            }
            if (index++ % labelEvery == 0) {
                svg.append("<text class=\"label\" x=\"")
                        .append(x)
                        .append("\" y=\"")
                        .append(HEIGHT + LABELS - 3)
                        .append("\">")
                        .append(day.toString().substring(5))
                        .append("</text>");
            }
            svg.append("</g>");
            x += groupWidth;
        }
        return svg.append("</svg>").toString();
    }

    /** What the chart shows, in words: the bar order, the colours and the scale. */
    static String legend(DomainSummary domain) {
        List<String> organisations = organisations(domain.days());
        long max = tallest(counts(domain.days(), organisations));
        return "<p class=\"legend\">Per UTC day, a pair of bars per organisation, in this order: "
                + Html.escape(String.join(", ", organisations))
                + ". <span class=\"ok\">Green</span>: successful sessions; <span class=\"bad\">red</span>: failed."
                + " The tallest bar is " + max + " sessions.</p>";
    }

    private static long tallest(Map<LocalDate, Map<String, long[]>> counts) {
        return counts.values().stream()
                .flatMap(m -> m.values().stream())
                .mapToLong(c -> Math.max(c[0], c[1]))
                .max()
                .orElse(0);
    }

    private static void bar(StringBuilder svg, LocalDate day, String org, String kind, long count, int x, long max) {
        int height = max == 0 ? 0 : (int) Math.round((double) count * HEIGHT / max);
        svg.append("<rect class=\"")
                .append(kind)
                .append("\" data-day=\"")
                .append(day)
                .append("\" data-org=\"")
                .append(Html.escape(org))
                .append("\" data-kind=\"")
                .append(kind)
                .append("\" data-count=\"")
                .append(count)
                .append("\" x=\"")
                .append(x)
                .append("\" y=\"")
                .append(HEIGHT - height)
                .append("\" width=\"")
                .append(BAR)
                .append("\" height=\"")
                .append(height)
                .append("\"><title>")
                .append(Html.escape(org + ", " + day + ": " + count + " " + kind))
                .append("</title></rect>");
    }

    /** The organisations with the most sessions first, at most {@link #NAMED} of them, then "other" if needed. */
    static List<String> organisations(List<DayRow> rows) {
        Map<String, Long> totals = rows.stream()
                .collect(Collectors.groupingBy(
                        DayRow::organisation, Collectors.summingLong(r -> r.successful() + r.failed())));
        List<String> sorted = totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .toList();
        if (sorted.size() <= NAMED) {
            return sorted;
        }
        List<String> named = new ArrayList<>(sorted.subList(0, NAMED));
        named.add(ReceivedMetrics.OTHER);
        return named;
    }

    private static Map<LocalDate, Map<String, long[]>> counts(List<DayRow> rows, List<String> organisations) {
        Map<LocalDate, Map<String, long[]>> counts = new HashMap<>();
        for (DayRow row : rows) {
            String org = organisations.contains(row.organisation()) ? row.organisation() : ReceivedMetrics.OTHER;
            long[] c = counts.computeIfAbsent(row.day(), d -> new LinkedHashMap<>())
                    .computeIfAbsent(org, o -> new long[2]);
            c[0] += row.successful();
            c[1] += row.failed();
        }
        return counts;
    }
}
