#!/usr/bin/env bash
# Starts a real OpenStack Keystone (Debian python3-keystone, served by uWSGI) on loopback for Rotor's tests.
#
#   keystone-up.sh            install if missing, configure, bootstrap, start, wait until a password login works
#
# Prints, on stdout, lines a caller can parse (everything else goes to stderr):
#   KEYSTONE_URL=http://127.0.0.1:<port>/v3
#   KEYSTONE_ADMIN_PASSWORD_FILE=<file>      (the admin's password; mode 0600; the value itself is never printed)
#   KEYSTONE_PID=<pid>
#   KEYSTONE_START_SECONDS=<s>               (server start until the first successful login)
#
# Knobs (environment):
#   KS_HOME             state: config, sqlite db, fernet/credential keys, logs, pid    default ${TMPDIR:-/tmp}/rotor-keystone
#   KS_PORT             port on 127.0.0.1                                                  default 5000
#   KS_HASH_ROUNDS      bcrypt cost; Keystone's own default is 12, tests want 4            default 4
#   KS_EXTRA_CONF       a file appended to keystone.conf (e.g. a [security_compliance] section); re-read on every start
#   KS_ADMIN_PASSWORD   the admin's password; default: the one in $KS_HOME/admin-password, or a new random one
#   KS_FRESH=1          wipe $KS_HOME first
#   KS_INSTALL          auto (apt-get install when missing; needs root) | never                default auto
#   KS_READY_TIMEOUT    seconds to wait for the first login                                 default 90
#
# Running it while the same KS_HOME is up restarts nothing and prints the same lines. To change the configuration,
# run keystone-down.sh, then this script again with the new KS_EXTRA_CONF (the database is kept).
#
# Why it looks like this (each point cost someone an afternoon):
#  - python3-keystone only, not the 'keystone' package: that one pulls ~230 MB, init scripts and dbconfig prompts.
#  - /usr/bin/python3 and Debian's uWSGI plugin: a pyenv or venv python does not see Debian's keystone modules.
#  - ONE uWSGI process with ONE thread: Keystone on sqlite is not safe with concurrent writers.
#  - 'Connection: close' on every answer: uWSGI's http-socket answers HTTP/1.1 without it and then closes the socket,
#    so clients that pool connections (the JDK's HttpClient) send their next POST into a dead socket. (Keep-alive
#    proper, --http11-socket, would let one idle client hold the only worker.)
#  - sqlite in WAL mode: Keystone 22 keeps a read transaction open after issuing a scoped token; in the default
#    rollback-journal mode the next write waits 5 s and fails with "database is locked" (HTTP 500).
set -euo pipefail

KS_HOME=${KS_HOME:-${TMPDIR:-/tmp}/rotor-keystone}
KS_HOST=127.0.0.1
KS_PORT=${KS_PORT:-5000}
KS_HASH_ROUNDS=${KS_HASH_ROUNDS:-4}
KS_INSTALL=${KS_INSTALL:-auto}
KS_READY_TIMEOUT=${KS_READY_TIMEOUT:-90}
BASE="http://${KS_HOST}:${KS_PORT}"
URL="${BASE}/v3"
PIDFILE="$KS_HOME/keystone.pid"
PWFILE="$KS_HOME/admin-password"
CONF="$KS_HOME/etc/keystone.conf"

log() { echo "[keystone-up] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# A zombie still answers kill -0; look at its state instead.
running() { [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] && ! grep -q ') Z ' "/proc/$1/stat" 2>/dev/null; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
report() {
  echo "KEYSTONE_URL=$URL"
  echo "KEYSTONE_ADMIN_PASSWORD_FILE=$PWFILE"
  echo "KEYSTONE_PID=$(cat "$PIDFILE")"
  echo "KEYSTONE_START_SECONDS=$1"
}

case "$KS_HASH_ROUNDS" in (''|*[!0-9]*) die "KS_HASH_ROUNDS must be a number (bcrypt cost 4..31)";; esac
[ "$KS_HASH_ROUNDS" -ge 4 ] && [ "$KS_HASH_ROUNDS" -le 31 ] || die "KS_HASH_ROUNDS must be 4..31"
[ -z "${KS_EXTRA_CONF:-}" ] || [ -r "$KS_EXTRA_CONF" ] || die "KS_EXTRA_CONF=$KS_EXTRA_CONF is not a readable file"

# ---- 1. packages ---------------------------------------------------------------------------------------------------
missing=()
command -v keystone-manage >/dev/null 2>&1 || missing+=(python3-keystone)
command -v uwsgi >/dev/null 2>&1 || missing+=(uwsgi-core)
[ -e /usr/lib/uwsgi/plugins/python3_plugin.so ] || missing+=(uwsgi-plugin-python3)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$KS_INSTALL" = auto ] || die "missing ${missing[*]} and KS_INSTALL=$KS_INSTALL"
  [ "$(id -u)" = 0 ] || die "missing ${missing[*]}; install them as root: apt-get install --no-install-recommends ${missing[*]}"
  log "installing ${missing[*]}"
  t0=$(now)
  export DEBIAN_FRONTEND=noninteractive
  # Try the cached package lists first; update them only if that fails (a fresh machine has none).
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
  log "installed in $(since "$t0")s"
fi

# ---- 2. already up? ------------------------------------------------------------------------------------------------
if [ -f "$PIDFILE" ] && running "$(cat "$PIDFILE")" && curl -fsS -o /dev/null --max-time 5 "$URL"; then
  log "already running (pid $(cat "$PIDFILE")) at $URL"
  report 0
  exit 0
fi
if curl -s -o /dev/null --max-time 2 "$BASE/"; then
  die "something else already answers on ${KS_HOST}:${KS_PORT}"
fi

# ---- 3. state and configuration ------------------------------------------------------------------------------------
[ "${KS_FRESH:-0}" = 1 ] && rm -rf "$KS_HOME"
mkdir -p "$KS_HOME"/{etc,fernet-keys,credential-keys,log}
chmod 700 "$KS_HOME" "$KS_HOME/fernet-keys" "$KS_HOME/credential-keys"

if [ -n "${KS_ADMIN_PASSWORD:-}" ]; then
  (umask 077; printf '%s' "$KS_ADMIN_PASSWORD" > "$PWFILE")
elif [ ! -s "$PWFILE" ]; then
  # 32 random letters and digits, then a fixed tail so that test password rules (digit, upper, special) accept it.
  (umask 077; /usr/bin/python3 -c 'import secrets, string, sys
sys.stdout.write("".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32)) + "Aa1!")' > "$PWFILE")
fi

cat > "$CONF" <<CONF
# Written by keystone-up.sh on every start; edit KS_EXTRA_CONF instead.
[DEFAULT]
log_file = $KS_HOME/log/keystone.log
use_stderr = false
# bcrypt reads 72 bytes; saying so also stops Keystone's per-request truncation warning.
max_password_length = 72
[database]
connection = sqlite:///$KS_HOME/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = $KS_HOME/fernet-keys
[fernet_receipts]
key_repository = $KS_HOME/fernet-keys
[credential]
key_repository = $KS_HOME/credential-keys
[identity]
password_hash_algorithm = bcrypt
password_hash_rounds = $KS_HASH_ROUNDS
CONF
if [ -n "${KS_EXTRA_CONF:-}" ]; then
  { echo; echo "# from KS_EXTRA_CONF=$KS_EXTRA_CONF"; cat "$KS_EXTRA_CONF"; } >> "$CONF"
fi

manage() { keystone-manage --config-file "$CONF" "$@" >>"$KS_HOME/log/manage.log" 2>&1 || die "keystone-manage $1 failed; see $KS_HOME/log/manage.log"; }
t0=$(now)
[ -s "$KS_HOME/keystone.db" ] || { log "creating the database"; manage db_sync; }
/usr/bin/python3 - "$KS_HOME/keystone.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
mode = c.execute('PRAGMA journal_mode=WAL').fetchone()[0]
c.close()
if mode.lower() != 'wal':
    sys.exit('sqlite refused WAL mode: ' + mode)
PY
[ -e "$KS_HOME/fernet-keys/0" ] || manage fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
[ -e "$KS_HOME/credential-keys/0" ] || manage credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)"
# Idempotent: creates the admin, its project and the roles once; later runs only reset a changed password.
manage bootstrap --bootstrap-password "$(cat "$PWFILE")" \
  --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
  --bootstrap-region-id RegionOne \
  --bootstrap-admin-url "$URL/" --bootstrap-internal-url "$URL/" --bootstrap-public-url "$URL/"
log "database ready in $(since "$t0")s"

# ---- 4. start ------------------------------------------------------------------------------------------------------
export OS_KEYSTONE_CONFIG_DIR="$KS_HOME/etc"
t0=$(now)
setsid nohup uwsgi --plugin python3 --http-socket "${KS_HOST}:${KS_PORT}" \
  --wsgi-file /usr/bin/keystone-wsgi-public --master --processes 1 --threads 1 \
  --lazy-apps --need-app --die-on-term --buffer-size 65535 --vacuum --add-header 'Connection: close' \
  >"$KS_HOME/log/server.log" 2>&1 < /dev/null &
echo $! > "$PIDFILE"

# ---- 5. ready = the admin can log in -------------------------------------------------------------------------------
login_body() {
  /usr/bin/python3 -c 'import json,sys; print(json.dumps({"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","domain":{"id":"default"},"password":open(sys.argv[1]).read()}}}}}))' "$PWFILE"
}
body=$(login_body)
deadline=$(( $(date +%s) + KS_READY_TIMEOUT ))
while :; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "$URL/auth/tokens" \
           -H 'Content-Type: application/json' --data-binary @- <<<"$body" || true)
  [ "$code" = 201 ] && break
  running "$(cat "$PIDFILE")" || { tail -20 "$KS_HOME/log/server.log" >&2; die "uWSGI exited; its log is above"; }
  [ "$(date +%s)" -lt "$deadline" ] || die "no successful login after ${KS_READY_TIMEOUT}s (last HTTP $code); see $KS_HOME/log/"
  sleep 0.1
done
took=$(since "$t0")
log "ready at $URL (pid $(cat "$PIDFILE"), bcrypt cost $KS_HASH_ROUNDS) ${took}s after start"
report "$took"
