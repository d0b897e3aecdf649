package org.stsrelay.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version the build stamped into version.properties: for {@code --version} and the fleet's node rows. */
public final class RelayVersion {

    private RelayVersion() {}

    /** The version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when the build did not stamp one. */
    public static String text() {
        Properties p = new Properties();
        try (InputStream in = RelayVersion.class.getResourceAsStream("/org/stsrelay/cli/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        return p.getProperty("version", "unknown");
    }
}
