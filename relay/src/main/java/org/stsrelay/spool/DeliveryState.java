package org.stsrelay.spool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The delivery progress of a spooled message: one state per envelope recipient, in envelope order,
 * and the facts about the message as a whole that must survive a restart.
 *
 * @param recipients      the state of each recipient, indexed like {@code envelope.recipients()}
 * @param delayNoticeSent a DELAY DSN (RFC 3464) was queued for this message; it is sent once
 */
public record DeliveryState(List<RecipientState> recipients, boolean delayNoticeSent) {

    private static final DeliveryState ONE_NEW = new DeliveryState(List.of(RecipientState.NEW), false);

    public DeliveryState {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a delivery state needs at least one recipient");
        }
    }

    /** The state of a message nobody has tried yet. */
    public static DeliveryState initial(int recipientCount) {
        // Most messages have one recipient; they share one immutable initial state while they wait.
        return recipientCount == 1
                ? ONE_NEW
                : new DeliveryState(Collections.nCopies(recipientCount, RecipientState.NEW), false);
    }

    /** Whether every recipient is delivered or bounced: the message can leave the spool. */
    public boolean finished() {
        return recipients.stream().allMatch(RecipientState::isFinal);
    }

    /** This state with recipient {@code index} replaced. */
    public DeliveryState with(int index, RecipientState state) {
        List<RecipientState> copy = new ArrayList<>(recipients);
        copy.set(index, state);
        return new DeliveryState(copy, delayNoticeSent);
    }

    /** This state with the DELAY DSN marked as sent. */
    public DeliveryState withDelayNoticeSent() {
        return new DeliveryState(recipients, true);
    }
}
