package org.stsrelay.e2e;

import java.util.List;
import java.util.Locale;
import org.stsrelay.world.CertificateKind;
import org.stsrelay.world.LocalWorld;
import org.stsrelay.world.MxOptions;
import org.stsrelay.world.MxServer;

/**
 * One cell of the MTA-STS delivery matrix: a policy mode published by a recipient domain of its
 * own (e.g. {@code enforce-expired.test}) and what its one MX does wrong; knows how to build
 * itself into the world and what the relay must do with it (RFC 8461 §4.2, §5).
 */
record DeliveryCell(Mode mode, MxKind kind) {

    /** The policy the domain publishes, and how the relay's log names the mode it applied. */
    enum Mode {
        NO_POLICY("nopolicy", "no-policy"),
        NONE("none", "none"),
        TESTING("testing", "testing"),
        ENFORCE("enforce", "enforce");

        final String label;
        final String logged;

        Mode(String label, String logged) {
            this.label = label;
            this.logged = logged;
        }
    }

    /** What the domain's MX presents. */
    enum MxKind {
        GOOD,
        EXPIRED,
        NOT_YET_VALID,
        SELF_SIGNED,
        WRONG_HOST,
        UNTRUSTED,
        NO_STARTTLS,
        STRIPPED,
        NOT_IN_POLICY;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    String domain() {
        return mode.label + "-" + kind.label() + ".test";
    }

    String recipient() {
        return "rcpt@" + domain();
    }

    /** The MX the policy lists, and that the domain's MX record names unless the kind says otherwise. */
    String listedMx() {
        return "mx." + domain();
    }

    /** The host the relay dials: the domain's MX record. */
    String dialledMx() {
        return kind == MxKind.NOT_IN_POLICY ? "mx-unlisted." + domain() : listedMx();
    }

    /** The MX that receives the message when it is delivered (behind the stripper: the real one). */
    String receivingMx() {
        return kind == MxKind.STRIPPED ? "real-mx." + domain() : dialledMx();
    }

    /** Starts the domain's MX (and stripper), and publishes its MX record and policy. */
    void build(LocalWorld world) {
        switch (kind) {
            case GOOD, NOT_IN_POLICY -> world.mx(dialledMx(), MxOptions.tls(CertificateKind.GOOD));
            case EXPIRED -> world.mx(dialledMx(), MxOptions.tls(CertificateKind.EXPIRED));
            case NOT_YET_VALID -> world.mx(dialledMx(), MxOptions.tls(CertificateKind.NOT_YET_VALID));
            case SELF_SIGNED -> world.mx(dialledMx(), MxOptions.tls(CertificateKind.SELF_SIGNED));
            case WRONG_HOST -> world.mx(dialledMx(), MxOptions.tls(CertificateKind.WRONG_HOST));
            case UNTRUSTED -> world.mx(dialledMx(), MxOptions.tls(CertificateKind.UNTRUSTED));
            case NO_STARTTLS -> world.mx(dialledMx(), MxOptions.plaintextOnly());
            case STRIPPED -> {
                MxServer real = world.mx(receivingMx(), MxOptions.tls(CertificateKind.GOOD));
                world.stripper(dialledMx(), real);
            }
        }
        world.routes(domain(), dialledMx());
        if (mode != Mode.NO_POLICY) {
            world.publishPolicy(domain(), "20260101T000000", mode.label, List.of(listedMx()));
        }
    }

    /** RFC 8461 §5: only enforce withholds mail, and from every MX that fails a check. */
    boolean delivered() {
        return mode != Mode.ENFORCE || kind == MxKind.GOOD;
    }

    /** Delivered over TLS unless STARTTLS was missing (or removed by the man in the middle). */
    boolean overTls() {
        return kind != MxKind.NO_STARTTLS && kind != MxKind.STRIPPED;
    }

    /**
     * The RFC 8460 §4.3 result type recorded for the attempt: certificates are checked in every mode
     * (so the result is known), an MX outside the policy's list matters only where a policy applies.
     */
    String result() {
        return switch (kind) {
            case GOOD -> "success";
            case EXPIRED -> "certificate-expired";
            // RFC 8460 §4.3.1: not yet valid is not expired; the general type, with notBefore in the reason.
            case NOT_YET_VALID -> "validation-failure";
            case SELF_SIGNED, UNTRUSTED -> "certificate-not-trusted";
            case WRONG_HOST -> "certificate-host-mismatch";
            case NO_STARTTLS, STRIPPED -> "starttls-not-supported";
            case NOT_IN_POLICY -> mode == Mode.TESTING || mode == Mode.ENFORCE ? "validation-failure" : "success";
        };
    }

    @Override
    public String toString() {
        return domain();
    }
}
