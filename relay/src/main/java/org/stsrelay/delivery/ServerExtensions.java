package org.stsrelay.delivery;

import io.netty.handler.codec.smtp.SmtpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a server said in its EHLO (or HELO) reply: its name and the service extensions it offers (RFC 5321 §4.1.1.1).
 *
 * @param name     the first word of the first reply line: the server's own name (TLS-RPT receiving-mx-helo)
 * @param keywords upper-case extension keywords
 * @param sizeLimit the SIZE limit when SIZE was offered with one (RFC 1870); empty when none or 0 (no limit)
 */
record ServerExtensions(String name, Set<String> keywords, OptionalLong sizeLimit) {

    ServerExtensions {
        keywords = Set.copyOf(keywords);
    }

    /** Parses a 250 reply to EHLO; the first line is the greeting, each further line one extension. */
    static ServerExtensions fromEhlo(SmtpResponse reply) {
        List<CharSequence> lines = reply.details();
        String first = lines.isEmpty() ? "" : lines.get(0).toString().trim();
        String name = first.isEmpty() ? "" : first.split("\\s+", 2)[0];
        Set<String> keywords = new HashSet<>();
        OptionalLong size = OptionalLong.empty();
        for (CharSequence line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] words = line.toString().trim().split("\\s+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            keywords.add(keyword);
            if (keyword.equals("SIZE") && words.length > 1) {
                size = parseSize(words[1]);
            }
        }
        return new ServerExtensions(name, keywords, size);
    }

    /** A server that answered HELO: no extensions at all (RFC 5321 §4.1.1.1). */
    static ServerExtensions fromHelo(SmtpResponse reply) {
        ServerExtensions parsed = fromEhlo(reply);
        return new ServerExtensions(parsed.name(), Set.of(), OptionalLong.empty());
    }

    boolean offers(String keyword) {
        return keywords.contains(keyword);
    }

    private static OptionalLong parseSize(String value) {
        try {
            long limit = Long.parseLong(value);
            // RFC 1870 §4: a SIZE of 0 means the server declares no fixed limit.
            return limit > 0 ? OptionalLong.of(limit) : OptionalLong.empty();
        } catch (NumberFormatException unreadable) {
            return OptionalLong.empty();
        }
    }
}
