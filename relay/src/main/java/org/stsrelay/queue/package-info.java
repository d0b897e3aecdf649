/**
 * The queue: when each spooled recipient is tried, how many attempts run at once, what an outcome
 * does to a recipient's state, and the DSNs (RFC 3464) that tell senders about it.
 *
 * <p>Flow: {@link org.stsrelay.queue.DeliveryQueue} loads the spool's messages with their recorded
 * states and hears of new ones from the spool; a message's pending recipients are grouped by
 * destination domain, each group a job with a due time in the agenda; a due job becomes one
 * {@code DeliveryRequest}, so each domain's policy decides for its own recipients only. The report
 * goes through {@code Outcomes} (delivered, deferred with the next retry, bounced), then DSNs are
 * committed to the spool and the new state is appended as a PROGRESS record; when every recipient is
 * final the message gets its DONE record. Operators hold, release and flush through
 * requests to the control plane ({@code org.stsrelay.control}); the holds are kept by
 * {@link org.stsrelay.queue.QueueControl}.
 */
package org.stsrelay.queue;
