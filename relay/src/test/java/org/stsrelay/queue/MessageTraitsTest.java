package org.stsrelay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stsrelay.config.DeliveryConfig.TlsRequiredHeader;
import org.stsrelay.spool.Envelope;
import org.stsrelay.spool.QueueId;

class MessageTraitsTest {

    @ParameterizedTest(name = "{0} REQUIRETLS={1} {2} [{3}] → optional {4}, reportable {5}")
    @DisplayName("RFC 8460 §3 / RFC 8689 §4.1, §4.2.2: the envelope's kind decides what a report is; headers only"
            + " TLS-Required: No")
    @CsvSource(
            delimiter = '|',
            value = {
                "ORDINARY       | false | HONOR  | Subject: x                                       | false | true",
                "ORDINARY       | false | HONOR  | TLS-Required: No                                 | true  | true",
                "ORDINARY       | false | HONOR  | tls-required:\\r\\n  no                          | true  | true",
                "ORDINARY       | false | IGNORE | TLS-Required: No                                 | false | true",
                "ORDINARY       | true  | HONOR  | TLS-Required: No                                 | false | true",
                "ORDINARY       | false | HONOR  | TLS-Report-Domain: example.com                   | false | true",
                "ORDINARY       | false | HONOR  | X-Sts-Relay-Dsn-Of-Tls-Report: yes               | false | true",
                "ORDINARY       | false | HONOR  | TLS-Report-Domain: example.com\\r\\nTLS-Required: No | true | true",
                "ORDINARY       | false | IGNORE | TLS-Report-Domain: example.com\\r\\nTLS-Required: No | false | true",
                "TLS_REPORT     | false | HONOR  | TLS-Report-Domain: example.com\\r\\nTLS-Required: No | true | false",
                "TLS_REPORT     | false | IGNORE | TLS-Report-Domain: example.com\\r\\nTLS-Required: No | true | false",
                "TLS_REPORT_DSN | false | HONOR  | Subject: Undelivered Mail                        | true  | false",
                "TLS_REPORT_DSN | false | IGNORE | Subject: Undelivered Mail                        | true  | false"
            })
    void traitsOfEnvelopeAndHeader(
            Envelope.Kind kind,
            boolean requireTls,
            TlsRequiredHeader setting,
            String header,
            boolean tlsOptional,
            boolean reportable) {
        Envelope envelope = new Envelope(
                new QueueId("0MMAAAAA0000000A"),
                "a@example.org",
                List.of(Envelope.Recipient.of("b@example.com")),
                new Envelope.MailParams(
                        Envelope.Body.SEVEN_BIT, false, Optional.empty(), Optional.empty(), requireTls, 0),
                new Envelope.ClientInfo("192.0.2.1", "client", Optional.empty(), Optional.empty(), Optional.empty()),
                Instant.EPOCH,
                kind);
        byte[] section = (header.replace("\\r", "\r").replace("\\n", "\n") + "\r\n").getBytes(StandardCharsets.UTF_8);

        MessageTraits traits = MessageTraits.of(envelope, setting).orElseGet(() -> MessageTraits.ofHeader(section));

        assertThat(traits).isEqualTo(new MessageTraits(tlsOptional, reportable));
    }
}
