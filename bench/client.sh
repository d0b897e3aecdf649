# Shared by the benchmark scripts that measure acceptance: bench-client (org.stsrelay.world.BenchClient, src-test),
# one process for a whole run, so every server it measures meets the same, already compiled, generator. It sends
# the accept benchmarks' load (a new connection per message, MAIL, RCPT, DATA, QUIT) from one selector thread and
# measures each message's latency on the client side. Source it; it defines functions only.

# The generator's own warm-up, which bench_client_start runs before it returns: messages to a responder in
# bench-client's own process (BenchClient.warmUp), so that the JIT has compiled the generator before it measures
# any server. Without it the generator's C2 thread was still compiling in the accept benchmark's measured window
# (8.7 % of a core by `perf sched`), on the cores the relay shares.
readonly BENCH_CLIENT_WARMUP=20000

# Starts bench-client: bench_client_start CLASSPATH DIR SESSIONS LENGTH, fed through two FIFOs in DIR (a coproc
# may be taken by the caller); sets CLIENT_PID (for the caller's cleanup, which kills it by PID) and the file
# descriptors TO_CLIENT and FROM_CLIENT, and returns once the generator has warmed itself up (1 if it failed).
bench_client_start() {
  local classpath="$1" dir="$2" sessions="$3" length="$4"
  mkfifo "$dir/client.in" "$dir/client.out"
  java -cp "$classpath" org.stsrelay.world.BenchClient "$sessions" "$length" \
    < "$dir/client.in" > "$dir/client.out" &
  CLIENT_PID=$!
  disown "$CLIENT_PID"
  exec {TO_CLIENT}>"$dir/client.in" {FROM_CLIENT}<"$dir/client.out"
  echo "bench-client: its own warm-up, $BENCH_CLIENT_WARMUP messages to a responder in its process" >&2
  bench_client_run self "$BENCH_CLIENT_WARMUP" CLIENT_WARMUP
}

# One bench-client run: bench_client_run TARGET COUNT PREFIX [RATE] sends COUNT messages to TARGET (host:port, or
# "self" for bench-client's own responder), flat out, or RATE messages per second (paced: each latency counts from
# when its message was due), and sets PREFIX_<key> for each key=value of its result line (messages failed seconds
# rate p50_ms p99_ms max_ms data_p50_ms data_p99_ms, see BenchClient.Result); returns 1, saying why, when there is
# no result within 900 s or a message was not accepted.
bench_client_run() {
  local target="$1" count="$2" prefix="$3" rate="${4:-}" line kv failed
  echo "$target $count $rate" >&"$TO_CLIENT"
  read -r -t 900 line <&"$FROM_CLIENT" || { echo "bench-client gave no result for its run against $target" >&2; return 1; }
  for kv in $line; do printf -v "${prefix}_${kv%%=*}" '%s' "${kv#*=}"; done
  failed="${prefix}_failed"
  (( ${!failed} == 0 )) || { echo "bench-client: ${!failed} of $count messages to $target were not accepted" >&2; return 1; }
}
