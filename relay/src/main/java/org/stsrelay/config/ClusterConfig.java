package org.stsrelay.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code cluster} section: fleet mode, where several relays share their MTA-STS policies and TLS-RPT results
 * through PostgreSQL. Empty: single-node, no database.
 *
 * @param database the fleet database; empty when {@code cluster.database} is empty or absent
 */
public record ClusterConfig(Optional<Database> database) {

    /** Single-node: the default. */
    public static final ClusterConfig SINGLE_NODE = new ClusterConfig(Optional.empty());

    /** The environment variable that holds the password when no password file is set. */
    public static final String PASSWORD_VARIABLE = "STS_RELAY_DB_PASSWORD";

    /** Checks for null. */
    public ClusterConfig {
        Objects.requireNonNull(database, "database");
    }

    /** Tells whether this relay is one node of a fleet. */
    public boolean enabled() {
        return database.isPresent();
    }

    /**
     * The fleet database and this node's place in it.
     *
     * @param url          JDBC URL, {@code jdbc:postgresql://host:port/name}
     * @param user         database user
     * @param passwordFile file whose first line is the password; empty: {@value #PASSWORD_VARIABLE}, else none
     * @param nodeName     this node's name in the fleet, unique per node
     * @param shipInterval how often TLS results are shipped to the database
     */
    public record Database(
            String url, String user, Optional<Path> passwordFile, String nodeName, Duration shipInterval) {

        /** Checks for nulls. */
        public Database {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(passwordFile, "passwordFile");
            Objects.requireNonNull(nodeName, "nodeName");
            Objects.requireNonNull(shipInterval, "shipInterval");
        }

        /** The password: the password file's first line, else {@value #PASSWORD_VARIABLE}, else none. */
        public Optional<String> password() throws IOException {
            if (passwordFile.isPresent()) {
                String text = Files.readString(passwordFile.get(), StandardCharsets.UTF_8);
                int end = text.indexOf('\n');
                return Optional.of((end < 0 ? text : text.substring(0, end)).strip());
            }
            return Optional.ofNullable(System.getenv(PASSWORD_VARIABLE)).filter(p -> !p.isEmpty());
        }

        // The password never appears here: records print their fields.
        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", node=" + nodeName + "]";
        }
    }
}
