package org.stsrelay.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The {@code policy_fetch_claims} table: which node fetches a domain's policy now, until its lease ends. */
final class FetchClaims {

    private FetchClaims() {}

    /**
     * Takes the claim of {@code domain} for {@code node} until {@code until}, unless another node holds an unexpired
     * one; tells whether {@code node} holds it now. Two nodes claiming at once: the row lock makes one wait, and it
     * then sees the other's claim.
     */
    static boolean take(Connection connection, String domain, String node, Instant now, Instant until)
            throws SQLException {
        try (PreparedStatement claim =
                connection.prepareStatement("INSERT INTO policy_fetch_claims (domain, node, until) VALUES (?, ?, ?) "
                        + "ON CONFLICT (domain) DO UPDATE SET node = excluded.node, until = excluded.until "
                        + "WHERE policy_fetch_claims.until < ? OR policy_fetch_claims.node = excluded.node "
                        + "RETURNING node")) {
            claim.setString(1, domain);
            claim.setString(2, node);
            claim.setObject(3, PolicyRows.time(until));
            claim.setObject(4, PolicyRows.time(now));
            try (ResultSet taken = claim.executeQuery()) {
                return taken.next();
            }
        }
    }

    /** Ends {@code node}'s claim of {@code domain}, if it holds one. */
    static void release(Connection connection, String domain, String node) throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM policy_fetch_claims WHERE domain = ? AND node = ?")) {
            delete.setString(1, domain);
            delete.setString(2, node);
            delete.executeUpdate();
        }
    }
}
