package org.stsrelay.owner;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.stsrelay.received.DkimCheck;
import org.stsrelay.received.IntakeResult;
import org.stsrelay.received.Origin;
import org.stsrelay.received.ReceivedReport;
import org.stsrelay.received.ReportIntake;
import org.stsrelay.received.StoredReport;

/** An intake that records what it was given and answers what the test set. */
final class FakeIntake implements ReportIntake {

    /** One call to {@link #accept}. */
    record Call(byte[] body, String mediaType, Origin origin, Optional<String> submitter, DkimCheck dkim) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile IntakeResult answer = accepted(false);

    /** An accepted result for a small stored report. */
    static IntakeResult accepted(boolean duplicate) {
        ReceivedReport report = new ReceivedReport(
                "Example Sender",
                Instant.parse("2026-12-03T00:00:00Z"),
                Instant.parse("2026-12-03T23:59:59Z"),
                "mailto:tlsrpt@sender.test",
                "2026-12-03T00:00:00Z_a.test",
                List.of());
        return new IntakeResult.Accepted(
                new StoredReport(
                        report,
                        "sender.test",
                        Origin.HTTPS,
                        Instant.parse("2026-12-04T00:00:00Z"),
                        DkimCheck.NOT_MAIL,
                        List.of()),
                duplicate);
    }

    FakeIntake answer(IntakeResult result) {
        this.answer = result;
        return this;
    }

    @Override
    public IntakeResult accept(
            byte[] body, String mediaType, Origin origin, Optional<String> submitter, DkimCheck dkim) {
        calls.add(new Call(body, mediaType, origin, submitter, dkim));
        return answer;
    }
}
