package org.stsrelay.policy.resolve;

import java.util.List;
import org.stsrelay.policy.NoPolicyCause;
import org.stsrelay.policy.StsRecord;

/** The outcome of policy discovery over DNS (RFC 8461 §3.1). */
public sealed interface Discovery {

    /** Returns every TXT string found at {@code _mta-sts.<domain>}, strings of one record concatenated. */
    List<String> txtRecords();

    /** Exactly one valid {@code v=STSv1} record. */
    record Discovered(StsRecord record, List<String> txtRecords) implements Discovery {
        /** Copies the list. */
        public Discovered {
            txtRecords = List.copyOf(txtRecords);
        }
    }

    /** No available policy: "senders MUST assume the recipient domain does not have an available MTA-STS Policy". */
    record Unavailable(NoPolicyCause cause, String reason, List<String> txtRecords) implements Discovery {
        /** Copies the list. */
        public Unavailable {
            txtRecords = List.copyOf(txtRecords);
        }
    }
}
