package org.stsrelay.received;

import java.util.Optional;

/** Takes one report as sent, checks it, and stores it: the one path for posted, mailed and filed reports. */
public interface ReportIntake {

    /**
     * Accepts a report body.
     *
     * @param body      the body as received: gzipped or plain JSON
     * @param mediaType its media type, {@code application/tlsrpt+gzip} or {@code application/tlsrpt+json} (RFC 8460
     *                  §6.4, §6.5); parameters are ignored
     * @param origin    how it arrived
     * @param submitter the mail's {@code TLS-Report-Submitter}, if known
     * @param dkim      the DKIM check of a mailed report, else {@link DkimCheck#NOT_MAIL}
     * @return stored (or already stored), or refused with a reason
     */
    IntakeResult accept(byte[] body, String mediaType, Origin origin, Optional<String> submitter, DkimCheck dkim);
}
