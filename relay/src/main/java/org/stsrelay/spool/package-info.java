/**
 * The spool: accepted messages, durable on disk until every recipient is done.
 *
 * <h2>The on-disk format</h2>
 *
 * <pre>
 * &lt;spool&gt;/LOCK                     held (FileChannel lock) by the running relay
 * &lt;spool&gt;/log/NNNNNNNNNNNNNNNNNNNN.seg  the log: segments numbered from 1, zero-padded to 20 digits
 * &lt;spool&gt;/incoming/*.spill          content of messages being received (deleted at start-up)
 * &lt;spool&gt;/control/KEY.request     operators' requests (see org.stsrelay.control)
 * &lt;spool&gt;/holds/@all, DOMAIN       the queue's holds (see org.stsrelay.queue.QueueControl)
 * </pre>
 *
 * <p>A segment is a sequence of records, all integers big-endian:
 *
 * <pre>
 * offset       size  field
 * 0            4     magic "STSR" (0x53545352)
 * 4            1     type: 1 MESSAGE, 2 DONE, 3 PROGRESS; other codes are reserved for later record types
 * 5            4     H, header length
 * 9            8     C, content length
 * 17           H     header
 * 17+H         C     content
 * 17+H+C       4     content CRC32C: over the content
 * 21+H+C       4     record CRC32C: over bytes 0..17+H, then the content CRC, so it covers the record
 * </pre>
 *
 * <p>A MESSAGE header is the envelope: version octet (2), then queue id, sender, recipient count and
 * each recipient (address, NOTIFY count and names, ORCPT presence and value), MAIL parameters (BODY
 * name, SMTPUTF8, RET presence and name, ENVID presence and value, REQUIRETLS, SIZE), client (address,
 * HELO, TLS protocol, TLS cipher, AUTH user, each optional one a presence octet first), arrival as
 * epoch seconds (8) and nanoseconds (4), and the kind of message (string: ORDINARY, TLS_REPORT for a
 * TLS report the relay queued, TLS_REPORT_DSN for a DSN the relay queued about one). Strings are a
 * 4-octet length and UTF-8; enums their names. Version 1, written before the kind existed, is the same
 * without the kind and is still read: its messages are ORDINARY, because a report queued before the
 * upgrade cannot be told from a client's message that carries the same header fields. A MESSAGE's
 * content is the message octets as received. A DONE header is the 16 ASCII characters of a queue id
 * and it has no content: that message is finished.
 *
 * <p>A PROGRESS header is a message's complete delivery state, and it has no content: version octet
 * (1), the 16 ASCII characters of the queue id, a flags octet (bit 0: the DELAY DSN was sent), the
 * recipient count (4), then per recipient in envelope order: status (string: PENDING, DELIVERED or
 * BOUNCED), attempts (4), next attempt (presence octet, then epoch seconds (8) and nanoseconds (4)),
 * last result (presence octet, then string). The latest PROGRESS of a message in log order is its
 * state; a message without one is untried. A PROGRESS whose recipient count does not match its
 * message's envelope, or for a message already finished, is ignored.
 *
 * <p>Rules. The relay appends only to the newest segment, and acknowledges a record only after it and
 * the directory entry of its segment are fsync'd. At start-up every segment is read in order: a
 * MESSAGE without a later DONE is held; a record with a valid CRC and an unknown type is skipped; the
 * first bad record in the last segment ends it and the file is truncated there (a write that never
 * got its {@code 250}); a bad record in an earlier segment is logged as damage and ends that segment.
 * An operator's delete request becomes a DONE. A segment with no live messages is deleted, but first each DONE in it
 * whose message lies in an older segment that still exists is appended again to the active segment,
 * so deleting segments in any order never brings a finished message back. Likewise each PROGRESS in
 * it whose message is still held in an older segment: the message's current state is appended again
 * first, so deleting a segment never rolls a message's recipients back to an older state.
 */
package org.stsrelay.spool;
