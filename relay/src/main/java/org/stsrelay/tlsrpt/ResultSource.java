package org.stsrelay.tlsrpt;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;

/** Where a day's results come from: this node's journal, or every node's shipped batches in fleet mode. */
interface ResultSource {

    /** Every result of the UTC {@code day}, counted in groups; IOException when the source cannot be read. */
    List<ResultGroup> day(LocalDate day) throws IOException;
}
