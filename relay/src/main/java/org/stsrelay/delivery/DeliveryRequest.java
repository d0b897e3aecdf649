package org.stsrelay.delivery;

import java.util.List;
import org.stsrelay.spool.Envelope;

/**
 * One delivery attempt of one message to the recipients of one destination domain.
 *
 * @param envelope     the message's envelope (sender, MAIL parameters, all recipients)
 * @param domain       the destination (and policy) domain, lower case
 * @param recipients   indexes into {@code envelope.recipients()} of the recipients to try now
 * @param content      the content
 * @param tlsOptional  RFC 8689 §5 / RFC 8460 §3: policy failures do not stop this message (TLS-Required: No,
 *                     and TLS reports); TLS is still tried first and results are still produced
 * @param reportable   whether TLS results of this attempt go to TLS-RPT (false for reports and DSNs about them)
 * @param lastAttempt  the queue lifetime is over: this attempt decides between delivery and bounce, and the
 *                     policy is re-checked first (RFC 8461 §5.1)
 */
public record DeliveryRequest(
        Envelope envelope,
        String domain,
        List<Integer> recipients,
        MessageContent content,
        boolean tlsOptional,
        boolean reportable,
        boolean lastAttempt) {

    public DeliveryRequest {
        recipients = List.copyOf(recipients);
    }
}
