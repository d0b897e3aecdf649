package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/** The results of this node's own journal: the source of a single relay's reports. */
final class JournalResults implements ResultSource {

    private final Path directory;
    private final JournalFormat format = new JournalFormat();

    JournalResults(Path directory) {
        this.directory = directory;
    }

    @Override
    public List<ResultGroup> day(LocalDate day) throws IOException {
        ResultCounter counter = new ResultCounter();
        format.readDay(directory, day).forEach(counter::add);
        return counter.groups();
    }
}
