package org.stsrelay.fleet;

import java.sql.Connection;
import java.sql.SQLException;

/** One unit of database work, run inside a transaction by {@link FleetDatabase#call}. */
@FunctionalInterface
public interface SqlWork<T> {

    /** Does the work on {@code connection}; the caller commits on return and rolls back on a throw. */
    T run(Connection connection) throws SQLException;
}
