package org.stsrelay.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.stsrelay.spool.Envelope;

/** The MAIL and RCPT parameters passed on to a server, each only when the server offers its extension. */
final class MailParameters {

    private MailParameters() {}

    static CharSequence[] mail(SmtpConnection connection, DeliveryRequest request) {
        ServerExtensions offered = connection.extensions();
        Envelope.MailParams params = request.envelope().params();
        List<String> out = new ArrayList<>();
        if (offered.offers("SIZE")) {
            out.add("SIZE=" + request.content().size());
        }
        if (params.body() == Envelope.Body.EIGHT_BITMIME) {
            out.add("BODY=8BITMIME");
        }
        if (params.smtpUtf8()) {
            out.add("SMTPUTF8");
        }
        if (params.requireTls()) {
            out.add("REQUIRETLS");
        }
        // RFC 3461 §4: RET and ENVID go on only to a server that offers DSN.
        if (offered.offers("DSN")) {
            params.ret().ifPresent(ret -> out.add("RET=" + ret.name()));
            params.envid().ifPresent(envid -> out.add("ENVID=" + envid));
        }
        return out.toArray(CharSequence[]::new);
    }

    static CharSequence[] rcpt(SmtpConnection connection, Envelope.Recipient recipient) {
        List<String> out = new ArrayList<>();
        if (connection.extensions().offers("DSN")) {
            if (!recipient.notifyOn().isEmpty()) {
                out.add("NOTIFY="
                        + recipient.notifyOn().stream()
                                .map(n -> n.name().toUpperCase(Locale.ROOT))
                                .sorted()
                                .collect(Collectors.joining(",")));
            }
            recipient.orcpt().ifPresent(orcpt -> out.add("ORCPT=" + orcpt));
        }
        return out.toArray(CharSequence[]::new);
    }
}
