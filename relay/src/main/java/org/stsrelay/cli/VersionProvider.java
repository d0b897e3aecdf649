package org.stsrelay.cli;

import org.stsrelay.runtime.RelayVersion;
import picocli.CommandLine.IVersionProvider;

/** The version the build stamped into version.properties. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"sts-relay " + RelayVersion.text() + " (Java " + Runtime.version() + ")"};
    }
}
