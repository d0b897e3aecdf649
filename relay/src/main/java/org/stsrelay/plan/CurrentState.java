package org.stsrelay.plan;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.stsrelay.policy.PolicyDocument;
import org.stsrelay.policy.dns.MxRecord;

/**
 * What a receiving domain publishes now, as far as it could be read.
 *
 * @param mxHosts the hosts mail goes to, best preference first; empty for a null MX or when DNS gave none
 * @param id the id of the one valid {@code _mta-sts} record, if there is one
 * @param delegatedTo where a CNAME at {@code _mta-sts.<domain>} points, if it is one (RFC 8461 §8.2)
 * @param policy the policy served at the well-known URL, if it was fetched and is valid
 * @param rua the reporting URIs of the one valid {@code _smtp._tls} record; empty without one
 * @param notes what could not be read, or was read with flaws, one sentence each
 */
record CurrentState(
        List<MxRecord> mxHosts,
        Optional<String> id,
        Optional<String> delegatedTo,
        Optional<PolicyDocument> policy,
        List<URI> rua,
        List<String> notes) {

    CurrentState {
        mxHosts = List.copyOf(mxHosts);
        rua = List.copyOf(rua);
        notes = List.copyOf(notes);
    }
}
