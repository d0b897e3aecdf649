package org.stsrelay.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Fleet node names: what a valid one is, and the default, this machine's host name. */
final class NodeNames {

    private static final int MAX_LENGTH = 63;

    private NodeNames() {}

    /** 1 to 63 of letters, digits, dot, underscore and hyphen: safe in logs, metrics labels and file names. */
    static boolean isValid(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The host name, as a StatefulSet gives each replica a stable one ({@code sts-relay-0}); {@code HOSTNAME} first,
     * since looking the local host up can wait on DNS.
     */
    static String localHost() {
        String env = System.getenv("HOSTNAME");
        if (env != null && isValid(env)) {
            return env;
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return isValid(name) ? name : "node";
        } catch (UnknownHostException unknown) {
            return "node";
        }
    }
}
