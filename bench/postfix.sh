# Shared by the benchmark scripts: a private Postfix 3.7 instance, as in
# ../shared/notes/postfix-test-instance.md (no chroot, own queue, own log).
# Source it; it defines functions only.

# Prints master.cf with smtpd on 127.0.0.1:$1 and the services Postfix needs.
postfix_master_cf() {
  # One list of services for the tests and the benchmarks (src-test's test resources).
  sed "s/@SMTPD_PORT@/$1/" "$(dirname "${BASH_SOURCE[0]}")/../src-test/src/test/resources/postfix/master.cf"
}

# Prints the main.cf lines every private instance shares: its queue, data and log under $1, loopback only, no
# local delivery, clients from 127.0.0.0/8, messages up to 60 MB. Each instance appends its own relay settings.
postfix_main_cf_base() {
  cat <<CF
compatibility_level = 3.6
queue_directory = $1/queue
data_directory = $1/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $1/maillog
maillog_file_prefixes = $1
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = postfix.bench.test
mydestination =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
message_size_limit = 60000000
CF
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

# Writes a private instance in $1 (DIR: etc/, queue/, data/, maillog) whose smtpd listens on 127.0.0.1:$2 and
# which relays everything to the benchmark world's sink MX $3:$4 (address, port) with smtp_tls_security_level =
# secure: a chain verified to the CA file $6 and the name $5 in the certificate, or no delivery. Start it with
# postfix_start DIR/etc PORT. The parent of DIR must let the postfix user through (mode 755).
postfix_sink_instance() {
  local pf="$1" port="$2" mx_address="$3" delivery_port="$4" mx_name="$5" ca_file="$6"
  mkdir -p "$pf/etc" "$pf/queue" "$pf/data" && chown postfix "$pf/data" && chmod 755 "$pf"
  chmod 644 "$ca_file"
  # The sink's name is not in any DNS Postfix uses, so the next hop is its address and the policy
  # table says which name the certificate must carry (match=), as a "secure" policy would for a
  # smarthost: verified chain to smtp_tls_CAfile and a matching name, or no delivery.
  echo "[$mx_address]:$delivery_port secure match=$mx_name" > "$pf/etc/tls_policy"
  { postfix_main_cf_base "$pf"; cat <<CF
relayhost = [$mx_address]:$delivery_port
smtp_tls_security_level = secure
smtp_tls_CAfile = $ca_file
smtp_tls_secure_cert_match = $mx_name
smtp_tls_policy_maps = texthash:$pf/etc/tls_policy
smtp_tls_session_cache_database = btree:$pf/data/smtp_scache
smtp_tls_loglevel = 1
CF
  } > "$pf/etc/main.cf"
  postfix_master_cf "$port" > "$pf/etc/master.cf"
}
