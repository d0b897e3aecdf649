package org.stsrelay.e2e;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An RSA-SHA256, relaxed/relaxed DKIM verifier (RFC 6376) written apart from the relay's signer, so a
 * shared misreading of the RFC cannot make a broken signature look good. It takes the public key
 * directly instead of a DNS lookup: the world's DNS is not what is under test here.
 */
final class DkimVerifier {

    private static final String CRLF = "\r\n";

    private DkimVerifier() {}

    /** A header field as received: its name and its raw value (everything after the colon, folds kept). */
    record Header(String name, String rawValue) {

        String text() {
            return name + ":" + rawValue;
        }
    }

    /** A message split into its header fields, in order, and its body. */
    record Parsed(List<Header> headers, String body) {

        /** The unfolded, trimmed value of the first field named {@code name}. */
        String value(String name) {
            return headers.stream()
                    .filter(h -> h.name().equalsIgnoreCase(name))
                    .findFirst()
                    .map(h -> h.rawValue().replaceAll("\r\n(?=[ \t])", "").trim())
                    .orElseThrow(() -> new AssertionError("no " + name + " header"));
        }

        List<Header> all(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).toList();
        }
    }

    static Parsed parse(String message) {
        int split = message.indexOf(CRLF + CRLF);
        if (split < 0) {
            throw new AssertionError("no header/body separator");
        }
        List<Header> headers = new ArrayList<>();
        StringBuilder field = null;
        for (String line : message.substring(0, split).split(CRLF, -1)) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                field.append(CRLF).append(line);
            } else {
                if (field != null) {
                    headers.add(header(field.toString()));
                }
                field = new StringBuilder(line);
            }
        }
        headers.add(header(field.toString()));
        return new Parsed(List.copyOf(headers), message.substring(split + 4));
    }

    private static Header header(String text) {
        int colon = text.indexOf(':');
        return new Header(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The tags of a DKIM-Signature value; whitespace inside values is dropped (RFC 6376 §3.2 FWS). */
    static Map<String, String> tags(String rawValue) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String tag : rawValue.split(";")) {
            if (tag.isBlank()) {
                continue;
            }
            int eq = tag.indexOf('=');
            tags.put(tag.substring(0, eq).trim(), tag.substring(eq + 1).replaceAll("[ \t\r\n]", ""));
        }
        return tags;
    }

    /**
     * Throws unless the message's single DKIM-Signature verifies with {@code key}: bh against the
     * relaxed body, b against the relaxed h= headers plus the signature header with b= emptied.
     */
    static void verify(String message, PublicKey key) throws GeneralSecurityException {
        Parsed parsed = parse(message);
        List<Header> signatures = parsed.all("DKIM-Signature");
        if (signatures.size() != 1) {
            throw new AssertionError("expected one DKIM-Signature, found " + signatures.size());
        }
        Header signature = signatures.get(0);
        Map<String, String> tags = tags(signature.rawValue());

        byte[] bodyHash = MessageDigest.getInstance("SHA-256")
                .digest(relaxedBody(parsed.body()).getBytes(StandardCharsets.UTF_8));
        String bh = Base64.getEncoder().encodeToString(bodyHash);
        if (!bh.equals(tags.get("bh"))) {
            throw new AssertionError("body hash mismatch: computed " + bh + ", signed " + tags.get("bh"));
        }

        StringBuilder signed = new StringBuilder();
        // RFC 6376 §5.4.2: each h= name picks the next instance of that field from the bottom up.
        Map<String, Integer> used = new LinkedHashMap<>();
        for (String name : tags.get("h").split(":")) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            List<Header> instances =
                    parsed.all(lower).stream().filter(h -> h != signature).toList();
            int n = used.merge(lower, 1, Integer::sum);
            if (n <= instances.size()) {
                signed.append(relaxedHeader(instances.get(instances.size() - n)))
                        .append(CRLF);
            }
            // An h= name with no (further) instance signs the empty string: nothing is appended.
        }
        // RFC 6376 §3.7: the signature header itself, b= value removed, no trailing CRLF.
        String emptied = signature.rawValue().replaceAll("(^|;)([ \t\r\n]*b[ \t\r\n]*=)[^;]*", "$1$2");
        signed.append(relaxedHeader(new Header(signature.name(), emptied)));

        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(key);
        rsa.update(signed.toString().getBytes(StandardCharsets.UTF_8));
        if (!rsa.verify(Base64.getDecoder().decode(tags.get("b")))) {
            throw new AssertionError("b= does not verify over:\n" + signed);
        }
    }

    /** RFC 6376 §3.4.2. */
    static String relaxedHeader(Header header) {
        String value = header.rawValue()
                .replaceAll("\r\n(?=[ \t])", "")
                .replaceAll("[ \t]+", " ")
                .strip();
        return header.name().strip().toLowerCase(Locale.ROOT) + ":" + value;
    }

    /** RFC 6376 §3.4.4. */
    static String relaxedBody(String body) {
        String[] lines = body.split(CRLF, -1);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.replaceAll("[ \t]+", " ").replaceAll(" $", "")).append(CRLF);
        }
        String text = out.toString();
        while (text.endsWith(CRLF + CRLF)) {
            text = text.substring(0, text.length() - 2);
        }
        return text.equals(CRLF) ? "" : text;
    }
}
