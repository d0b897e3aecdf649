package org.stsrelay.delivery;

import java.util.concurrent.CompletionStage;

/**
 * Delivers one message to the recipients of one domain: route, policy, connect, STARTTLS, validate,
 * transfer. Never fails exceptionally for an expected problem: every recipient gets a result.
 */
public interface DomainDelivery {

    /** Attempts delivery now; completes when every recipient in the request has a result. */
    CompletionStage<DeliveryReport> deliver(DeliveryRequest request);
}
