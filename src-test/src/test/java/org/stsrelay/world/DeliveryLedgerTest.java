package org.stsrelay.world;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {

    private static final String RELAY_FIELD = "Received: from client.test ([127.0.0.1])\r\n"
            + "\t(using TLSv1.3)\r\n\tby bench.relay.test (sts-relay) with ESMTP id %s\r\n\tfor <rcpt@bench.test>;\r\n"
            + "\tFri, 4 Dec 2026 07:54:01 +0000\r\nSubject: x\r\n\r\nbody with id NOTTHIS;\r\n";

    @Test
    @DisplayName("RFC 5321 §4.4: the queue id is the top Received: field's id clause, folded or not")
    void readsTheQueueId() {
        assertThat(DeliveryLedger.queueId(RELAY_FIELD.formatted("0MWS00E3U00F4NN1")))
                .contains("0MWS00E3U00F4NN1");
        assertThat(DeliveryLedger.queueId("Received: by postfix.bench.test (Postfix) with ESMTP id 4AbC; Fri, 4 Dec"
                        + " 2026 07:54:01 +0000\r\n\r\n"))
                .contains("4AbC");
        assertThat(DeliveryLedger.queueId("Subject: x\r\n\r\nReceived: by b with ESMTP id INBODY; date\r\n"))
                .isEmpty();
    }

    @Test
    @DisplayName("a queue id received again is a duplicate, not a second delivery")
    void countsDuplicatesApart() {
        DeliveryLedger ledger = new DeliveryLedger();
        ledger.record(RELAY_FIELD.formatted("A1"));
        ledger.record(RELAY_FIELD.formatted("B2"));
        ledger.record(RELAY_FIELD.formatted("A1"));
        ledger.record("Subject: no trace\r\n\r\nbody\r\n");
        assertThat(ledger.distinct()).isEqualTo(2);
        assertThat(ledger.duplicates()).isEqualTo(1);
        assertThat(ledger.unidentified()).isEqualTo(1);
    }
}
