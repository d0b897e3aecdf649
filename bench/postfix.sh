# Shared by the benchmark scripts: a private Postfix 3.7 instance, as in
# ../shared/notes/postfix-test-instance.md (no chroot, own queue, own log).
# Source it; it defines functions only.

# Prints master.cf with smtpd on 127.0.0.1:$1 and the services Postfix needs.
postfix_master_cf() {
  # One list of services for the tests and the benchmarks (src-test's test resources).
  sed "s/@SMTPD_PORT@/$1/" "$(dirname "${BASH_SOURCE[0]}")/../src-test/src/test/resources/postfix/master.cf"
}

# Starts the instance whose main.cf and master.cf are in $1 (DIR/etc) and waits until its smtpd
# on 127.0.0.1:$2 accepts connections; prints the maillog and returns 1 if it does not start.
postfix_start() {
  postfix -c "$1" start >/dev/null 2>&1 || { cat "$1/../maillog" >&2 2>/dev/null; return 1; }
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
}
