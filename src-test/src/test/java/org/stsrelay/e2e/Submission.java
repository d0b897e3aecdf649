package org.stsrelay.e2e;

import org.stsrelay.world.SmtpReply;

/**
 * How one attempt to hand a message to the relay ended, as the client saw it. Which of these a
 * message got decides what the spool may hold of it after a crash.
 */
sealed interface Submission permits Submission.Acked, Submission.ReplyLost, Submission.NotSent, Submission.Refused {

    /** The relay answered 250 with this queue id: the message must survive any crash. */
    record Acked(String queueId) implements Submission {}

    /** The final "." reached the kernel but no reply came: the relay may or may not have kept it. */
    record ReplyLost(String error) implements Submission {}

    /** The connection failed before the final "." was written: the relay cannot have a complete message. */
    record NotSent(String error) implements Submission {}

    /** The relay answered with a refusal: it took no responsibility for the message. */
    record Refused(SmtpReply reply) implements Submission {}
}
