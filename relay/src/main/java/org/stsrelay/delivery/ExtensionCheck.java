package org.stsrelay.delivery;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.stsrelay.delivery.RecipientResult.Outcome;
import org.stsrelay.spool.Envelope;

/** Refuses, before MAIL, a message the server could only receive corrupted or not at all. */
final class ExtensionCheck {

    private ExtensionCheck() {}

    /** The results for every recipient when this message must not go to this server; empty when it may. */
    static Optional<List<RecipientResult>> refusal(SmtpConnection connection, DeliveryRequest request) {
        ServerExtensions offered = connection.extensions();
        Envelope.MailParams params = request.envelope().params();
        String mx = connection.mxHost();
        OptionalLong limit = offered.sizeLimit();
        if (offered.offers("SIZE")
                && limit.isPresent()
                && limit.getAsLong() < request.content().size()) {
            // RFC 1870 §6.1: a message larger than the declared limit is a permanent failure.
            return refuse(
                    request,
                    Outcome.FAILED,
                    552,
                    "5.3.4",
                    "message size " + request.content().size() + " exceeds the limit of " + limit.getAsLong() + " at "
                            + mx,
                    mx);
        }
        if (params.body() == Envelope.Body.EIGHT_BITMIME && !offered.offers("8BITMIME")) {
            // RFC 6152 §3: 8-bit content only to a server that offers 8BITMIME; we never downgrade.
            return refuse(
                    request, Outcome.FAILED, 550, "5.6.3", "8-bit message and " + mx + " does not offer 8BITMIME", mx);
        }
        if (params.smtpUtf8() && !offered.offers("SMTPUTF8")) {
            // RFC 6531 §3.2: an SMTPUTF8 message to a server without it is rejected, not downgraded.
            return refuse(
                    request,
                    Outcome.FAILED,
                    553,
                    "5.6.7",
                    "SMTPUTF8 message and " + mx + " does not offer SMTPUTF8",
                    mx);
        }
        if (params.requireTls() && !offered.offers("REQUIRETLS")) {
            // RFC 8689 §4.2.1: the next hop must offer REQUIRETLS, else the message is not sent there.
            return refuse(
                    request, Outcome.DEFERRED, 451, "4.7.30", "REQUIRETLS: " + mx + " does not offer REQUIRETLS", mx);
        }
        return Optional.empty();
    }

    private static Optional<List<RecipientResult>> refuse(
            DeliveryRequest request, Outcome outcome, int code, String status, String text, String mx) {
        return Optional.of(RecipientResults.all(request.recipients(), outcome, code, status, text, Optional.of(mx)));
    }
}
