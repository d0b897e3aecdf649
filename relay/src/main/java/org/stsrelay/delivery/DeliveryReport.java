package org.stsrelay.delivery;

import java.util.List;

/** The result of one {@link DeliveryRequest}: one entry per recipient tried, and the TLS results produced. */
public record DeliveryReport(List<RecipientResult> recipients, List<TlsResult> tlsResults) {

    public DeliveryReport {
        recipients = List.copyOf(recipients);
        tlsResults = List.copyOf(tlsResults);
    }
}
