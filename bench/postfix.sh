# Shared by the benchmark scripts: a private Postfix 3.7 instance, as in
# ../shared/notes/postfix-test-instance.md (no chroot, own queue, own log).
# Source it; it defines functions only.

# Prints master.cf with smtpd on 127.0.0.1:$1 and the services Postfix needs.
postfix_master_cf() {
  cat <<CF
127.0.0.1:$1 inet n - n - - smtpd
pickup    unix  n - n 60    1 pickup
cleanup   unix  n - n -     0 cleanup
qmgr      unix  n - n 300   1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n -     - trivial-rewrite
bounce    unix  - - n -     0 bounce
defer     unix  - - n -     0 bounce
trace     unix  - - n -     0 bounce
verify    unix  - - n -     1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -     - proxymap
smtp      unix  - - n -     - smtp
relay     unix  - - n -     - smtp
showq     unix  n - n -     - showq
error     unix  - - n -     - error
retry     unix  - - n -     - error
discard   unix  - - n -     - discard
local     unix  - n n -     - local
anvil     unix  - - n -     1 anvil
scache    unix  - - n -     1 scache
postlog   unix-dgram n - n - 1 postlogd
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
