/**
 * Fleet mode: several relays share MTA-STS policies and TLS-RPT reporting through PostgreSQL, while each keeps
 * its own spool. The database is never on the per-message path: every call here may fail, and a node that
 * cannot reach it goes on from its local store and journal and catches up when it returns.
 */
package org.stsrelay.fleet;
