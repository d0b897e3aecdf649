package org.stsrelay.owner;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.stsrelay.config.InboundConfig.TlsFiles;
import org.stsrelay.inbound.InboundTls;
import org.stsrelay.policy.ParseResult;
import org.stsrelay.policy.PolicyParser;
import org.stsrelay.policy.fetch.CertificateInfo;
import org.stsrelay.policy.fetch.CertificateNames;
import org.stsrelay.support.PemFiles;

/**
 * Loads one owned domain's directory and checks it the way a sender will: a policy file that the relay's own parser
 * accepts, and a certificate for {@code mta-sts.<domain>} that is valid now. A domain that fails any check is not
 * served, so a broken file is never published.
 */
final class DomainLoader {

    /** RFC 8461 §3.3: senders may limit a policy body to 64 KiB, so a larger file would be refused by them anyway. */
    static final int MAX_POLICY_BYTES = 64 * 1024;

    private final Clock clock;

    DomainLoader(Clock clock) {
        this.clock = clock;
    }

    /** Loads {@code domain} from {@code files}, whose stamps before reading were {@code stamp}. */
    DomainLoad load(String domain, SiteFiles files, SiteFiles.Stamp stamp) {
        try {
            byte[] policy = policy(files.policy());
            String host = SiteSnapshot.POLICY_HOST_PREFIX + domain;
            X509Certificate leaf = certificate(files.certificate(), host);
            KeyMatch.check(files.key(), leaf);
            SslContext context = InboundTls.serverContext(new TlsFiles(files.certificate(), files.key()));
            return new DomainLoad.Loaded(new OwnedDomain(domain, policy, context, stamp));
        } catch (IOException | KeyMatch.Mismatch | Invalid e) {
            return new DomainLoad.Broken(e.getMessage());
        }
    }

    private static byte[] policy(Path file) throws IOException, Invalid {
        if (Files.size(file) > MAX_POLICY_BYTES) {
            throw new Invalid(file + " is larger than 64 KiB, which senders need not read (RFC 8461 §3.3)");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            // RFC 8461 §3.2: the policy is UTF-8 text.
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Invalid(file + " is not UTF-8 text (RFC 8461 §3.2)");
        }
        if (PolicyParser.parse(text) instanceof ParseResult.Invalid invalid) {
            throw new Invalid(file + " is not a valid MTA-STS policy: " + invalid.reason());
        }
        return bytes;
    }

    private X509Certificate certificate(Path file, String host) throws IOException, Invalid {
        List<X509Certificate> chain = PemFiles.certificates(file);
        X509Certificate leaf = chain.get(0);
        CertificateInfo info = CertificateInfo.of(chain.toArray(X509Certificate[]::new));
        // RFC 8461 §3.3: senders validate the policy host's certificate by its DNS-ID subject alternative names.
        if (!CertificateNames.matches(info.dnsNames(), host)) {
            throw new Invalid(file + " does not name " + host + " (its DNS names: " + info.dnsNames() + ")");
        }
        Instant now = clock.instant();
        if (now.isAfter(info.notAfter())) {
            throw new Invalid(file + " expired " + info.notAfter());
        }
        if (now.isBefore(info.notBefore())) {
            throw new Invalid(file + " is not valid before " + info.notBefore());
        }
        return leaf;
    }

    /** A file that reads but is not fit to serve; a control-flow exception, so without a stack trace. */
    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }
}
