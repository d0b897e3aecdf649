package org.stsrelay.policy.dns;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.xbill.DNS.Master;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Checks a trust-anchor file before the relay starts, so a bad file is a configuration error, not a crash. */
public final class DnssecAnchors {

    private DnssecAnchors() {}

    /** Returns the zone of the first anchor in {@code file}, or the root if it names none. */
    static String zone(Path file) {
        try (Master master = new Master(file.toString())) {
            Record first = master.nextRecord();
            return first == null ? "." : first.getName().toString();
        } catch (IOException unreadable) {
            return ".";
        }
    }

    /** Returns what is wrong with {@code file} as a zone-format file of DS or DNSKEY records, or empty if nothing. */
    public static Optional<String> problem(Path file) {
        int anchors = 0;
        try (Master master = new Master(file.toString())) {
            for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                // RFC 4035 §4.4: a trust anchor is a DNSKEY or a DS record; anything else cannot anchor a chain.
                if (record.getType() != Type.DS && record.getType() != Type.DNSKEY) {
                    return Optional.of("holds a " + Type.string(record.getType()) + " record for " + record.getName()
                            + "; only DS or DNSKEY records are trust anchors");
                }
                anchors++;
            }
        } catch (IOException unreadable) {
            return Optional.of("is not a zone-format file of DS or DNSKEY records: " + unreadable.getMessage());
        }
        return anchors == 0 ? Optional.of("holds no DS or DNSKEY record") : Optional.empty();
    }
}
