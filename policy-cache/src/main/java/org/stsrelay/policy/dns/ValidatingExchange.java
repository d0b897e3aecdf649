package org.stsrelay.policy.dns;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** Classifies answers validated in-process by dnsjava's {@link ValidatingResolver} (RFC 4035 §5). */
final class ValidatingExchange implements Exchange {

    private static final Executor SAME_THREAD = Runnable::run;

    private final ValidatingResolver resolver;

    ValidatingExchange(ValidatingResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public CompletionStage<Exchanged> send(Message query) {
        Name qname = query.getQuestion().getName();
        return resolver.sendAsync(query, SAME_THREAD).thenApply(response -> classify(qname, response));
    }

    private Exchanged classify(Name qname, Message response) {
        String reason = reasonOf(response);
        // The validator sets AD only when every RRset of the answer chained to a trust anchor (RFC 4035 §3.2.3).
        if (response.getHeader().getFlag(Flags.AD)) {
            return new Exchanged(response, Security.SECURE, "validated");
        }
        // RFC 4033 §5: without a trust anchor above the name its status cannot be determined.
        if (!covered(qname)) {
            return new Exchanged(response, Security.INDETERMINATE, "no trust anchor covers " + qname);
        }
        // The validator answers SERVFAIL with its reason when validation failed (RFC 4035 §5.5).
        if (response.getRcode() == Rcode.SERVFAIL && reason != null) {
            return new Exchanged(response, Security.BOGUS, reason);
        }
        return new Exchanged(response, Security.INSECURE, reason == null ? "unsigned" : reason);
    }

    private boolean covered(Name qname) {
        for (RRset anchor : resolver.getTrustAnchors().items()) {
            if (qname.subdomain(anchor.getName())) {
                return true;
            }
        }
        return false;
    }

    private static String reasonOf(Message response) {
        for (Record record : response.getSection(Section.ADDITIONAL)) {
            if (record.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS && record instanceof TXTRecord txt) {
                return String.join("", txt.getStrings());
            }
        }
        return null;
    }
}
