package org.stsrelay.received;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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

    private final BodyDecoder decoder;
    private final ReportParser parser = new ReportParser();
    private final ReceivedStore store;
    private final Clock clock;
    private final MeterRegistry registry;

    /** An intake storing into {@code store}, bounded by {@code config}'s size caps. */
    public ReceivedReports(ReceivedConfig config, ReceivedStore store, Clock clock, MeterRegistry registry) {
        this.decoder = new BodyDecoder(config);
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
            ReceivedStore.Stored outcome = store.store(stored);
            return new IntakeResult.Accepted(stored, outcome == ReceivedStore.Stored.DUPLICATE);
        } catch (IOException e) {
            return new Refused(Refusal.STORAGE, "the report could not be stored: " + e.getMessage());
        }
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
