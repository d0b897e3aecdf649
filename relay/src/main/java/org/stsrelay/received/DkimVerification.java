package org.stsrelay.received;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.TempFailException;

/**
 * Checks the DKIM signature of a mailed report with Apache jDKIM (RFC 6376), RFC 8460 §3 asking that mailed
 * reports be signed: PASS, FAIL, NONE when unsigned, UNKNOWN when no key could be had.
 */
public final class DkimVerification {

    private final DkimKeys keys;

    /** A check fetching keys from {@code keys}. */
    public DkimVerification(DkimKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** Checks {@code message}, a whole RFC 5322 message as received. */
    public DkimCheck check(byte[] message) {
        KeyRetriever retriever = new KeyRetriever(keys);
        try {
            List<SignatureRecord> passed = new DKIMVerifier(retriever).verify(new ByteArrayInputStream(message));
            if (passed == null) {
                return new DkimCheck(DkimCheck.Status.NONE, "no DKIM-Signature");
            }
            if (passed.isEmpty()) {
                return new DkimCheck(DkimCheck.Status.FAIL, "no signature verified");
            }
            SignatureRecord first = passed.get(0);
            return new DkimCheck(DkimCheck.Status.PASS, "d=" + first.getDToken() + " s=" + first.getSelector());
        } catch (FailException e) {
            return retriever
                    .unavailable()
                    .map(reason -> new DkimCheck(DkimCheck.Status.UNKNOWN, "key unavailable: " + reason))
                    .orElseGet(() -> new DkimCheck(DkimCheck.Status.FAIL, signing(e) + oneLine(e.getMessage())));
        } catch (IOException | RuntimeException e) {
            // jDKIM parses the message with mime4j; a message it cannot parse has no signature we can check.
            return new DkimCheck(DkimCheck.Status.FAIL, "message could not be read: " + oneLine(e.getMessage()));
        }
    }

    private static String signing(FailException e) {
        SignatureRecord record = e.getRelatedRecord();
        return record == null ? "" : "d=" + record.getDToken() + " s=" + record.getSelector() + ": ";
    }

    private static String oneLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse("");
    }

    /** Adapts {@link DkimKeys} to jDKIM, remembering why a key could not be had. */
    private static final class KeyRetriever implements PublicKeyRecordRetriever {

        private final DkimKeys keys;
        private String unavailable;

        KeyRetriever(DkimKeys keys) {
            this.keys = keys;
        }

        @Override
        public List<String> getRecords(CharSequence method, CharSequence selector, CharSequence domain)
                throws TempFailException {
            DkimKeys.Lookup lookup = keys.lookup(selector.toString(), domain.toString());
            if (lookup instanceof DkimKeys.Lookup.Found found) {
                return found.records();
            }
            unavailable = ((DkimKeys.Lookup.Unavailable) lookup).reason();
            throw new TempFailException(unavailable);
        }

        Optional<String> unavailable() {
            return Optional.ofNullable(unavailable);
        }
    }
}
