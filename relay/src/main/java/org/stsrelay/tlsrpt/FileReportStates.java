package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

/** The report state in {@code report-state-YYYY-MM-DD.json} files: a single relay's store. */
final class FileReportStates implements ReportStateStore {

    private final Path directory;

    FileReportStates(Path directory) {
        this.directory = directory;
    }

    @Override
    public ReportState load(LocalDate day) throws IOException {
        return ReportState.load(directory, day);
    }

    @Override
    public void save(ReportState state) throws IOException {
        state.save(directory);
    }
}
