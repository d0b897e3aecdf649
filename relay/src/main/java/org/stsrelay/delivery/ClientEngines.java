package org.stsrelay.delivery;

import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Builds the client {@link SSLEngine} for one SMTP connection, the same way for MTA-STS and DANE. */
public final class ClientEngines {

    // RFC 8461 §7.2 and RFC 7672 §8.1 both assume TLS 1.2 or later.
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private ClientEngines() {}

    /**
     * Returns a client engine from {@code context} for {@code sniHost}: the MX host name for MTA-STS (RFC 8461
     * §7.1), the TLSA base domain for DANE (RFC 7672 §8.1); peer host and port let the JDK resume sessions.
     */
    public static SSLEngine create(SSLContext context, String sniHost, int port) {
        SSLEngine engine = context.createSSLEngine(sniHost, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        List<String> supported = Arrays.asList(engine.getSupportedProtocols());
        parameters.setProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
        // RFC 6066 §3: a literal IP address is not permitted in SNI.
        if (!sniHost.isEmpty() && !Character.isDigit(sniHost.charAt(sniHost.length() - 1))) {
            parameters.setServerNames(List.of(new SNIHostName(sniHost)));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }
}
