package org.stsrelay.owner;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;

/** Where a request goes, decided from its method, path and {@code Host} alone. */
sealed interface Route {

    /** RFC 8461 §3.2: the policy's well-known path. */
    String POLICY_PATH = "/.well-known/mta-sts.txt";

    /** Where TLS-RPT reports are posted: the path of the {@code https:} rua that {@code domain plan} writes. */
    String REPORT_PATH = "/tlsrpt";

    /** GET or HEAD of a loaded domain's policy. */
    record Policy(OwnedDomain domain) implements Route {}

    /** POST of a report to a loaded domain's policy host. */
    record Report(OwnedDomain domain) implements Route {}

    /** A known path with a method it does not take. */
    record WrongMethod(String allow) implements Route {}

    /** Anything else. */
    record NotFound() implements Route {}

    /** Routes a request; the query string is ignored. */
    static Route of(HttpMethod method, String uri, String hostHeader, SiteSnapshot site) {
        Optional<OwnedDomain> domain = site.forHost(hostOf(hostHeader));
        if (domain.isEmpty()) {
            return new NotFound();
        }
        String path = new QueryStringDecoder(uri).path();
        if (path.equals(POLICY_PATH)) {
            return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)
                    ? new Policy(domain.get())
                    : new WrongMethod("GET, HEAD");
        }
        if (path.equals(REPORT_PATH)) {
            return method.equals(HttpMethod.POST) ? new Report(domain.get()) : new WrongMethod("POST");
        }
        return new NotFound();
    }

    /** The host of a {@code Host} header without its port; {@code null} if there is no header. */
    static String hostOf(String hostHeader) {
        if (hostHeader == null) {
            return null;
        }
        String host = hostHeader.strip();
        if (host.startsWith("[")) {
            // An IPv6 literal is never a policy host; kept whole so that it matches nothing.
            return host;
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
