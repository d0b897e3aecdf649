# Shared by the benchmark scripts of fleet mode: a private PostgreSQL server (Debian's postgresql package) as the
# fleet database, and what it did over a measured window. Source it; it defines functions only. Needs root:
# PostgreSQL refuses to run as root, so the server and its commands run as the package's postgres user.
#
# The server is the real thing: fsync, synchronous_commit and full_page_writes at their defaults (on), so a
# commit costs what it costs in production; pg_stat_statements loaded (shared_preload_libraries) and created in
# the stsrelay database, so that the relays' statements are counted. The relays connect over TCP to
# 127.0.0.1:PG_PORT as user stsrelay with a password (scram-sha-256), as a fleet would; the scripts' own queries
# go over the server's Unix socket, in its private directory, as the superuser postgres, so that the statement
# counts (filtered on user stsrelay) leave them out.

# Starts a server in $1 (a new directory; its parent must let the postgres user through) on a free port of
# 127.0.0.1 with one database, stsrelay, owned by user stsrelay, whose password it writes to $1/password (the
# relays' cluster.password-file). Sets PG_DIR, PG_PORT and PG_BIN; returns 1, with the server's log, on failure.
pg_start() {
  PG_DIR="$1"
  PG_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  PG_BIN="$(find /usr/lib/postgresql/*/bin -maxdepth 0 2>/dev/null | sort -V | tail -n 1)"
  [[ -x "$PG_BIN/initdb" ]] \
    || { echo "PostgreSQL not found (/usr/lib/postgresql/*/bin): install Debian's postgresql package" >&2; return 1; }
  mkdir -p "$PG_DIR" && chown postgres:postgres "$PG_DIR" && chmod 700 "$PG_DIR"
  python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$PG_DIR/password"
  chmod 600 "$PG_DIR/password"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C --no-sync > "$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  cat >> "$PG_DIR/data/postgresql.conf" <<CONF
# sts-relay fleet benchmark: loopback only, its own socket directory; durability settings left at their defaults
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
shared_preload_libraries = 'pg_stat_statements'
max_connections = 50
CONF
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  pg_sql postgres -q <<SQL || { cat "$PG_DIR/server.log" >&2; return 1; }
CREATE ROLE stsrelay LOGIN PASSWORD '$(cat "$PG_DIR/password")';
CREATE DATABASE stsrelay OWNER stsrelay;
\connect stsrelay
CREATE EXTENSION pg_stat_statements;
SQL
}

# Stops the server started by pg_start with its own command (fast: sessions are ended); nothing when none runs.
pg_stop() {
  [[ -n "${PG_DIR:-}" && -f "$PG_DIR/data/postmaster.pid" ]] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
}

# psql as the superuser over the private socket: pg_sql DATABASE [PSQL OPTION...], the SQL on standard input.
pg_sql() {
  local database="$1"
  shift
  runuser -u postgres -- "$PG_BIN/psql" -X -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -d "$database" "$@"
}

# The postmaster's PID (the first line of postmaster.pid), for cpu_ms_with_children.
pg_pid() { head -n 1 "$PG_DIR/data/postmaster.pid"; }

# Writes a snapshot of the server's counters to $1, one per line: "time <epoch s>", "cpu <ms>" of the server's
# processes, "commits <xact_commit of stsrelay>", "table <schema.name> <n_tup_ins + n_tup_upd + n_tup_del>" per
# table, "statement <queryid> <calls> <rows> <query>" per statement that user stsrelay ran in stsrelay
# (pg_stat_statements). It reads them from one session in one transaction: two commits of its own (the session's
# start-up and the transaction), which pg_window_table subtracts.
pg_snapshot() {
  {
    echo "time $(date +%s.%N)"
    echo "cpu $(cpu_ms_with_children "$(pg_pid)")"
    pg_sql stsrelay -qAt -F ' ' <<'SQL'
BEGIN;
SELECT 'commits', xact_commit FROM pg_stat_database WHERE datname = 'stsrelay';
SELECT 'table', schemaname || '.' || relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables;
SELECT 'statement', s.queryid, s.calls, s.rows, regexp_replace(left(s.query, 160), '\s+', ' ', 'g')
  FROM pg_stat_statements s
  JOIN pg_roles r ON r.oid = s.userid
  JOIN pg_database d ON d.oid = s.dbid
 WHERE r.rolname = 'stsrelay' AND d.datname = 'stsrelay';
COMMIT;
SQL
  } > "$1"
}

# Prints what the database did over a phase's windows, one column per phase: pg_window_table TOP PHASE... where
# each PHASE is "title:messages:before,after[,before,after...]" (snapshot files from pg_snapshot; a phase may be
# several windows, summed). Rows: window seconds, commits, statements, rows written (each per 1,000 messages and
# per second), the server's CPU per message, then the rows written per table and the TOP statements by calls,
# each per 1,000 messages and per second.
pg_window_table() {
  python3 - "$@" <<'PY'
import collections, sys

def load(path):
    snap = {"tables": {}, "statements": {}}
    for line in open(path):
        kind, _, rest = line.rstrip("\n").partition(" ")
        if kind in ("time", "cpu", "commits"):
            snap[kind] = float(rest)
        elif kind == "table":
            name, value = rest.rsplit(" ", 1)
            snap["tables"][name] = int(value)
        elif kind == "statement":
            queryid, calls, rows, query = (rest.split(" ", 3) + [""])[:4]
            snap["statements"][queryid] = (int(calls), int(rows), query)
    return snap

top = int(sys.argv[1])
phases = []
for spec in sys.argv[2:]:
    title, messages, files = spec.split(":", 2)
    files = files.split(",")
    p = {"title": title, "messages": int(messages), "seconds": 0.0, "cpu": 0.0, "commits": 0,
         "tables": collections.Counter(), "calls": collections.Counter(), "rows": collections.Counter(), "text": {}}
    for before, after in zip(files[0::2], files[1::2]):
        a, b = load(before), load(after)
        p["seconds"] += b["time"] - a["time"]
        p["cpu"] += b["cpu"] - a["cpu"]
        p["commits"] += b["commits"] - a["commits"] - 2  # the before snapshot's own session: start-up, transaction
        for name, value in b["tables"].items():
            p["tables"][name] += value - a["tables"].get(name, 0)
        for queryid, (calls, rows, query) in b["statements"].items():
            calls0, rows0, _ = a["statements"].get(queryid, (0, 0, ""))
            p["calls"][queryid] += calls - calls0
            p["rows"][queryid] += rows - rows0
            p["text"][queryid] = query
    phases.append(p)

width = 22
def row(label, cells):
    print(f"{label:<60}" + "".join(f" {c:>{width}}" for c in cells))
def both(value, p):  # per 1,000 messages / per second
    return f"{1000 * value / max(p['messages'], 1):.1f} / {value / max(p['seconds'], 1e-9):.2f}"

row("fleet database (PostgreSQL, fsync on)", [p["title"] for p in phases])
row("window, s (the load + the tail, summed)", [f"{p['seconds']:.1f}" for p in phases])
row("messages in the window (delivered; accepted in accept)", [str(p["messages"]) for p in phases])
row("commits (xact_commit): per 1,000 msgs / per s", [both(p["commits"], p) for p in phases])
row("statements (calls): per 1,000 msgs / per s", [both(sum(p["calls"].values()), p) for p in phases])
row("rows written (ins+upd+del): per 1,000 msgs / per s", [both(sum(p["tables"].values()), p) for p in phases])
row("PostgreSQL CPU per message, ms (all its processes, window)", [f"{p['cpu'] / max(p['messages'], 1):.3f}" for p in phases])
names = sorted({n for p in phases for n, v in p["tables"].items() if v})
for name in names:
    row(f"  rows written to {name[:42]}", [both(p["tables"][name], p) for p in phases])
total = collections.Counter()
text = {}
for p in phases:
    total.update(p["calls"])
    text.update(p["text"])
ranked = [q for q, calls in total.most_common() if calls > 0][:top]
if ranked:
    row(f"top {len(ranked)} statements by calls: per 1,000 msgs / per s", [p["title"] for p in phases])
    for queryid in ranked:
        query = text[queryid] if len(text[queryid]) <= 58 else text[queryid][:57] + "~"
        row(f"  {query}", [both(p["calls"][queryid], p) for p in phases])
else:
    print("no statements by user stsrelay in these windows")
PY
}
