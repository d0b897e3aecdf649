# Shared by the benchmark scripts: what a process and the disk did over a measured window.
# Source it; it defines functions only.

# CPU time (user + system) that process $1 has used so far, in milliseconds (/proc/<pid>/stat fields
# 14 and 15, in clock ticks); 0 when the process is gone.
cpu_ms() {
  local stat ticks
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  ticks="$(getconf CLK_TCK)"
  # the command name (field 2) may hold spaces: count the fields after its closing parenthesis
  awk -v ticks="$ticks" '{ sub(/^.*\) /, ""); printf "%d\n", ($12 + $13) * 1000 / ticks }' <<< "$stat"
}

# Flush requests the block devices have completed so far (/sys/block/*/stat field 16, kernel 5.5 and
# later: what an fsync costs the disk); loop, ram and device-mapper devices are left out, so a flush is
# counted once, on the disk that did it.
disk_flushes() {
  local sum=0 dev fields
  for dev in /sys/block/*; do
    case "${dev##*/}" in loop*|ram*|dm-*|zram*) continue ;; esac
    read -r -a fields < "$dev/stat" 2>/dev/null || continue
    (( ${#fields[@]} >= 17 )) && sum=$((sum + fields[15]))
  done
  echo "$sum"
}

# JFR over a measured window: jfr_start PID starts a profiling recording in the running JVM, jfr_stop PID
# FILE writes it to FILE and ends it. `jfr print --events jdk.ExecutionSample FILE` or JDK Mission
# Control reads it; bench/jfr-top.py prints its top frames.
jfr_start() { jcmd "$1" JFR.start name=bench settings=profile >/dev/null; }
jfr_stop() { jcmd "$1" JFR.stop name=bench filename="$2" >/dev/null; }

# Per-thread CPU of process $1 so far: one "name<TAB>ms" line per thread (/proc/<pid>/task/*/stat), the
# thread's name with trailing digits dropped so that a pool's threads add up ("G1 Conc#0" -> "G1 Conc#").
thread_cpu() {
  local ticks task
  ticks="$(getconf CLK_TCK)"
  for task in /proc/"$1"/task/*; do
    awk -v ticks="$ticks" '{ name = $0; sub(/^[^(]*\(/, "", name); sub(/\) .*$/, "", name)
      gsub(/[0-9]+$/, "", name); sub(/^.*\) /, ""); printf "%s\t%d\n", name, ($12 + $13) * 1000 / ticks }' \
      "$task/stat" 2>/dev/null
  done
}

# Prints where a window's CPU went, per thread group: thread_cpu_delta BEFORE AFTER MESSAGES (files written by
# thread_cpu at the window's start and end), in ms per message, largest first.
thread_cpu_delta() {
  python3 - "$1" "$2" "$3" <<'PY'
import collections, sys
def load(path):
    sums = collections.Counter()
    for line in open(path):
        name, ms = line.rstrip("\n").rsplit("\t", 1)
        sums[name] += int(ms)
    return sums
before, after, messages = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
delta = {name: after[name] - before.get(name, 0) for name in after}
for name, ms in sorted(delta.items(), key=lambda item: -item[1]):
    if ms > 0:
        print(f"  {ms / messages:6.3f} ms/message  {name}")
PY
}

# Resident set size of process $1 in KiB (VmRSS in /proc/<pid>/status); 0 when the process is gone.
rss_kib() { awk '/^VmRSS:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# Threads of process $1 (Threads in /proc/<pid>/status); 0 when the process is gone.
thread_count() { awk '/^Threads:/ { print $2; found = 1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# File descriptors process $1 holds open (entries of /proc/<pid>/fd).
open_fds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# The Java heap that process $1 uses right after a full collection, in KiB: jcmd GC.run, then the "used" of
# GC.heap_info's first line (the whole heap, whatever the collector); what the heap holds live, not what it has
# not collected yet.
heap_after_gc_kib() {
  jcmd "$1" GC.run >/dev/null 2>&1 || { echo 0; return; }
  jcmd "$1" GC.heap_info 2>/dev/null | awk 'match($0, /used [0-9]+K/) && !found {
    print substr($0, RSTART + 5, RLENGTH - 6); found = 1 } END { if (!found) print 0 }'
}

# The head of a benchmark relay's configuration: hostname $1, SMTP on 127.0.0.1:$2 for 127.0.0.0/8, metrics on
# 127.0.0.1:$3, spool and TLS-RPT journal under $4 (the run's temporary directory, never ./data).
relay_yaml_head() {
  cat <<YAML
hostname: $1
inbound:
  listen: ["127.0.0.1:$2"]
  allowed-networks: ["127.0.0.0/8"]
spool:
  directory: "$4/spool"
tlsrpt:
  directory: "$4/tlsrpt"
metrics:
  listen: "127.0.0.1:$3"
YAML
}

# CPU time (user + system) in milliseconds of process $1 and of its children: its own, its reaped children's
# (/proc/<pid>/stat fields 16 and 17) and that of its live children (one level, as a PostgreSQL postmaster's
# backends are); 0 when the process is gone. A child that exits in between moves from the live sum to the reaped.
cpu_ms_with_children() {
  local ticks child sum
  ticks="$(getconf CLK_TCK)"
  sum="$(awk -v ticks="$ticks" '{ sub(/^.*\) /, ""); printf "%d\n", ($12 + $13 + $14 + $15) * 1000 / ticks }' \
    "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  for child in $(ps -o pid= --ppid "$1"); do
    sum=$((sum + $(cpu_ms "$child")))
  done
  echo "$sum"
}

# The sum of the series of counter $2 in the /metrics of the relay whose metrics listen on 127.0.0.1:$1 and whose
# labels contain $3 (default: all); 0 when absent or unreachable.
relay_metric() {
  curl -fs "http://127.0.0.1:$1/metrics" 2>/dev/null \
    | awk -v name="$2" -v labels="${3:-}" '($1 == name || index($1, name "{") == 1) && index($1, labels) > 0 {
        sum += $NF } END { printf "%d\n", sum }'
}

# Scrapes the /metrics of the relay whose metrics listen on 127.0.0.1:$1 and discards them, as Prometheus does from
# a relay's start. The benchmarks call it at the start and at the end of each warm-up: a scrape runs the metrics
# code through Netty methods the SMTP path shares, and the first scrape after the JIT compiled those for SMTP
# alone makes it compile them again. A relay in service does that once, at its first scrapes; a benchmark
# that first scraped at its measured window would measure it there.
relay_scrape() {
  curl -fs "http://127.0.0.1:$1/metrics" >/dev/null 2>&1 || true
}

# The relay's own JVM flags as every launcher passes them: "@config/jvm.options" (a java argument
# file). RELAY_JVM_OPTIONS=FILE names another file (/dev/null: the JVM's defaults); JAVA_OPTS, given
# after it, win over it.
relay_jvm_options() {
  echo "@${RELAY_JVM_OPTIONS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/config/jvm.options}"
}

# Starts a relay: relay_start VAR JAR CONFIG LOG METRICS_PORT runs `java @config/jvm.options $JAVA_OPTS -jar JAR run --config CONFIG`
# with its output in LOG, sets the variable named VAR to its PID at once (so that the caller's cleanup can stop
# it), waits until 127.0.0.1:METRICS_PORT/readyz answers, then scrapes /metrics (relay_scrape); prints LOG's
# tail and returns 1 when the relay exits or is not ready within 40 s. Environment assignments before the call
# (STS_RELAY_LOG_LEVEL=WARN relay_start ...) reach the relay.
relay_start() {
  local var="$1" jar="$2" config="$3" log="$4" metrics_port="$5" pid
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags, split on purpose
  java "$(relay_jvm_options)" ${JAVA_OPTS:-} -jar "$jar" run --config "$config" > "$log" 2>&1 &
  pid=$!
  disown "$pid"  # the caller's trap stops it; bash need not report that
  printf -v "$var" '%s' "$pid"
  for _ in $(seq 1 400); do
    if curl -fs "http://127.0.0.1:$metrics_port/readyz" >/dev/null 2>&1; then
      relay_scrape "$metrics_port"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 30 "$log" >&2
  echo "relay $config: exited during start-up or not ready within 40 s" >&2
  return 1
}
