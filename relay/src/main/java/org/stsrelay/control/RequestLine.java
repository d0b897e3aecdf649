package org.stsrelay.control;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the one-line form of a {@link ControlRequest}; every argument is checked, since it names a file. */
public final class RequestLine {

    private static final Pattern DOMAIN =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern QUEUE_ID = Pattern.compile("[0-9A-Za-z]{1,64}");

    private RequestLine() {}

    /** The request {@code line} states (trailing line break and surrounding blanks ignored). */
    public static ParsedRequest parse(String line) {
        List<String> words = List.of(line.strip().split(" +"));
        String verb = words.get(0);
        int arguments = verb.equals("report-send") ? 2 : 1;
        if (words.size() != arguments + 1) {
            return new ParsedRequest.Invalid("\"" + verb + "\" takes " + arguments + " argument(s): " + line.strip());
        }
        String target = words.get(arguments);
        return switch (verb) {
            case "delete" ->
                QUEUE_ID.matcher(target).matches()
                        ? valid(new ControlRequest.DeleteMessage(target))
                        : invalid("not a queue id", target);
            case "hold" ->
                destination(target)
                        .map(d -> valid(new ControlRequest.Hold(d)))
                        .orElseGet(() -> invalid("not a domain or *", target));
            case "release" ->
                destination(target)
                        .map(d -> valid(new ControlRequest.Release(d)))
                        .orElseGet(() -> invalid("not a domain or *", target));
            case "flush" ->
                destination(target)
                        .map(d -> valid(new ControlRequest.Flush(d)))
                        .orElseGet(() -> invalid("not a domain or *", target));
            case "policy-purge" ->
                isDomain(target) ? valid(new ControlRequest.PurgePolicy(target)) : invalid("not a domain", target);
            case "policy-refresh" ->
                isDomain(target) ? valid(new ControlRequest.RefreshPolicy(target)) : invalid("not a domain", target);
            case "report-send" -> sendReports(words.get(1), target);
            default -> invalid("unknown request", verb);
        };
    }

    /** Whether {@code text} is a domain as requests carry it: lower case, A-labels, no trailing dot. */
    public static boolean isDomain(String text) {
        return DOMAIN.matcher(text).matches();
    }

    static void requireDomain(String domain) {
        if (!isDomain(domain)) {
            throw new IllegalArgumentException("not a domain (lower case, A-labels, no trailing dot): " + domain);
        }
    }

    static void requireQueueId(String id) {
        if (!QUEUE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a queue id: " + id);
        }
    }

    private static ParsedRequest sendReports(String day, String target) {
        LocalDate date;
        try {
            date = LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            return invalid("not a day (YYYY-MM-DD)", day);
        }
        return destination(target)
                .map(d -> valid(new ControlRequest.SendReports(date, d)))
                .orElseGet(() -> invalid("not a domain or *", target));
    }

    // Empty optional inside: "*", every destination; empty outside: neither a domain nor "*".
    private static Optional<Optional<String>> destination(String target) {
        if (target.equals(ControlRequest.ALL)) {
            return Optional.of(Optional.empty());
        }
        return isDomain(target) ? Optional.of(Optional.of(target)) : Optional.empty();
    }

    private static ParsedRequest valid(ControlRequest request) {
        return new ParsedRequest.Valid(request);
    }

    private static ParsedRequest invalid(String what, String text) {
        return new ParsedRequest.Invalid(what + ": \"" + text + "\"");
    }
}
