package org.stsrelay.received;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.stsrelay.config.ReceivedConfig;
import org.stsrelay.received.IntakeResult.Refusal;
import org.stsrelay.received.IntakeResult.Refused;

/**
 * The intake of received reports: decodes the body, parses and checks it (RFC 8460 §4.4), names its submitter and
 * stores it once, counting every outcome in {@code sts.relay.received.intake} (tags {@code origin}, {@code outcome}).
 */
public final class ReceivedReports implements ReportIntake {

    static final String METER = "sts.relay.received.intake";

    /** How far back a posted report's period may end: a sender posts the report of a day soon after it. */
    static final Duration POSTED_PERIOD_AGE = Duration.ofDays(31);

    private final BodyDecoder decoder;
    private final int maxPostedPerDay;
    private final ReportParser parser = new ReportParser();
    private final ReceivedStore store;
    private final Clock clock;
    private final MeterRegistry registry;

    /** An intake storing into {@code store}, bounded by {@code config}'s size caps. */
    public ReceivedReports(ReceivedConfig config, ReceivedStore store, Clock clock, MeterRegistry registry) {
        this.decoder = new BodyDecoder(config);
        this.maxPostedPerDay = config.maxPostedPerDay();
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public IntakeResult accept(
            byte[] body, String mediaType, Origin origin, Optional<String> submitter, DkimCheck dkim) {
        return accept(body, mediaType, origin, submitter, dkim, List.of());
    }

    /** The same, with {@code notes} on how the body was found (a mail part's media type, say) kept with it. */
    public IntakeResult accept(
            byte[] body,
            String mediaType,
            Origin origin,
            Optional<String> submitter,
            DkimCheck dkim,
            List<String> notes) {
        IntakeResult result = intake(body, mediaType, origin, submitter, dkim, notes);
        counter(origin, outcome(result)).increment();
        return result;
    }

    private IntakeResult intake(
            byte[] body,
            String mediaType,
            Origin origin,
            Optional<String> submitter,
            DkimCheck dkim,
            List<String> notes) {
        DecodedBody decoded = decoder.decode(body, mediaType);
        if (decoded instanceof DecodedBody.Failed failed) {
            return failed.refused();
        }
        byte[] json = ((DecodedBody.Json) decoded).text();
        ParsedReport parsed = parser.parse(json);
        if (parsed instanceof ParsedReport.Malformed malformed) {
            return new Refused(Refusal.MALFORMED, malformed.reason());
        }
        ParsedReport.Parsed report = (ParsedReport.Parsed) parsed;
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(report.notes());
        StoredReport stored = new StoredReport(
                report.report(),
                Submitters.of(submitter, report.report()),
                origin,
                clock.instant(),
                dkim,
                allNotes,
                new String(json, StandardCharsets.UTF_8));
        try {
            if (origin == Origin.HTTPS) {
                Optional<Refused> bound = postedBound(report.report());
                if (bound.isPresent()) {
                    return bound.get();
                }
            }
            ReceivedStore.Stored outcome = store.store(stored);
            return new IntakeResult.Accepted(stored, outcome == ReceivedStore.Stored.DUPLICATE);
        } catch (IOException e) {
            return new Refused(Refusal.STORAGE, "the report could not be stored: " + e.getMessage());
        }
    }

    // Anyone who reaches POST /tlsrpt can post; what they can make the site store is bounded by both rules: recent
    // periods only (RFC 8460 §4.1: reports cover a day and are sent soon after it), and a count per period day.
    private Optional<Refused> postedBound(ReceivedReport report) throws IOException {
        Instant now = clock.instant();
        if (report.end().isBefore(now.minus(POSTED_PERIOD_AGE))
                || report.start().isAfter(now.plus(Duration.ofDays(1)))) {
            return Optional.of(new Refused(
                    Refusal.MALFORMED,
                    "the report's period " + report.start() + " to " + report.end()
                            + " is not recent: posted reports must end within the last 31 days"));
        }
        LocalDate day = LocalDate.ofInstant(report.start(), ZoneOffset.UTC);
        if (store.count(day) >= maxPostedPerDay) {
            return Optional.of(new Refused(
                    Refusal.LIMIT,
                    "already " + maxPostedPerDay + " reports stored for " + day + " (received.max-posted-per-day)"));
        }
        return Optional.empty();
    }

    private static String outcome(IntakeResult result) {
        if (result instanceof IntakeResult.Accepted accepted) {
            return accepted.duplicate() ? "duplicate" : "stored";
        }
        return ((Refused) result).refusal().name().toLowerCase(Locale.ROOT);
    }

    private Counter counter(Origin origin, String outcome) {
        return Counter.builder(METER)
                .description("Received TLS-RPT reports by how they arrived and what became of them")
                .tag("origin", origin.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome)
                .register(registry);
    }
}
