#!/usr/bin/env bash
# Stops the Keystone that keystone-up.sh started from the same KS_HOME. Safe to run when it is not running.
#   keystone-down.sh           stop; keep the state (database, keys, admin password) for the next keystone-up.sh
#   keystone-down.sh --purge   stop and delete KS_HOME
set -uo pipefail
KS_HOME=${KS_HOME:-${TMPDIR:-/tmp}/rotor-keystone}
PIDFILE="$KS_HOME/keystone.pid"
log() { echo "[keystone-down] $*" >&2; }
running() { [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] && ! grep -q ') Z ' "/proc/$1/stat" 2>/dev/null; }

if [ -f "$PIDFILE" ] && pid=$(cat "$PIDFILE") && running "$pid"; then
  # uWSGI runs with --die-on-term: TERM stops the master and its worker. The pid is a session leader (setsid),
  # so the group kill below reaches a worker the master failed to take down, and nothing else.
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do running "$pid" || break; sleep 0.1; done
  if running "$pid"; then
    log "pid $pid ignored TERM for 10s; killing its process group"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  fi
  log "stopped pid $pid"
else
  log "not running"
fi
rm -f "$PIDFILE"
if [ "${1:-}" = --purge ]; then
  case "$KS_HOME" in (''|/) log "refusing to purge KS_HOME='$KS_HOME'"; exit 1;; esac
  rm -rf "$KS_HOME"
  log "deleted $KS_HOME"
fi
exit 0
