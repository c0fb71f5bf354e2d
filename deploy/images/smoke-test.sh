#!/usr/bin/env bash
# Runs an image tarball the way a container runtime would, without one: unpacks its layers in order, then starts its
# entrypoint with its environment, user and working directory in a chroot whose root is mounted read-only, with a
# fresh /proc, the host's /dev and a tmpfs /tmp (the Deployments' emptyDir), and waits for GET /q/health/live to answer 200.
# No Kafka is needed: liveness answers without one (readiness is DOWN until the broker is reachable).
# The orchestrator runs as its Deployment configures it: the API on TLS only (the shipped api-tls.properties and a
# throwaway certificate where the Secret would be mounted), health on the management interface.
# Usage (as root: chroot and mounts need it): smoke-test.sh <module>/target/<module>-image.tar [port]
# Ports: port (HTTP, default 18080), port+1 (the orchestrator's management interface), port+2 (the orchestrator's TLS).
set -euo pipefail

tarball=${1:?usage: smoke-test.sh <image.tar> [port]}
port=${2:-18080}
management_port=$((port + 1))
tls_port=$((port + 2))
deploy_dir=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "smoke-test.sh: needs root (chroot, mount)" >&2; exit 1; }
work=$(mktemp -d)
pid=
# The service is the first process of its own PID namespace (killing it ends the namespace); unshare itself ignores
# SIGTERM, and the parent-death signal does not survive chroot's change of user, so both are killed outright.
cleanup() {
  if [ -n "$pid" ]; then
    for child in $(cat "/proc/$pid/task/$pid/children" 2>/dev/null); do kill -KILL "$child" 2>/dev/null || true; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/image" "$work/rootfs"
tar -xf "$tarball" -C "$work/image"
# The image's configuration, as shell-quoted assignments, read from the docker-archive's manifest.json.
eval "$(python3 - "$work/image" <<'PY'
import json, shlex, sys
image = sys.argv[1]
manifest = json.load(open(f"{image}/manifest.json"))[0]
config = json.load(open(f"{image}/{manifest['Config']}"))["config"]
print("layers=(" + " ".join(shlex.quote(layer) for layer in manifest["Layers"]) + ")")
print("entrypoint=(" + " ".join(shlex.quote(a) for a in config["Entrypoint"] + (config.get("Cmd") or [])) + ")")
print("environment=(" + " ".join(shlex.quote(e) for e in config.get("Env", [])) + ")")
print("user=" + shlex.quote(config.get("User", "0:0")))
print("workdir=" + shlex.quote(config.get("WorkingDir", "/")))
print("reference=" + shlex.quote(manifest["RepoTags"][0]))
PY
)"
for layer in "${layers[@]}"; do
  tar --warning=no-unknown-keyword -xzf "$work/image/$layer" -C "$work/rootfs"
done
# Mount points a container runtime would create: /proc and /dev (without /dev/urandom, seeding SecureRandom stalls).
mkdir -p "$work/rootfs/proc" "$work/rootfs/dev"
echo "$reference: $(du -sh "$work/rootfs" | cut -f1) unpacked, user $user, entrypoint ${entrypoint[*]}"


# What a Deployment mounts besides the image: a keyring per audience (Secret volumes, at the services' default
# /etc/rotor/sealing/<audience>/) and the endpoint policy (a ConfigMap, at /etc/rotor/policy/), before the root goes
# read-only; and Kafka where there is none.
for audience in redis openstack configui; do
  mkdir -p "$work/rootfs/etc/rotor/sealing/$audience"
  head -c 32 /dev/urandom | base64 >"$work/rootfs/etc/rotor/sealing/$audience/smoke"
  echo smoke >"$work/rootfs/etc/rotor/sealing/$audience/primary"
done
mkdir -p "$work/rootfs/etc/rotor/policy"
printf 'namespaces: {}\n' >"$work/rootfs/etc/rotor/policy/endpoint-policy.yaml"
env_for_run=("${environment[@]}" "QUARKUS_HTTP_PORT=$port" "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:1"
  "KUBERNETES_MASTER=https://127.0.0.1:1")
health_port=$port
orchestrator=false
case "$reference" in */orchestrator:*) orchestrator=true ;; esac
if $orchestrator; then
  # What its Deployment adds: the TLS Secret at /etc/rotor/tls (a throwaway self-signed certificate, key readable by
  # the image's group only, as defaultMode 0440 and fsGroup make it) and the api-config ConfigMap at
  # /etc/rotor/api-config/. The TLS port is moved off 8443 (an environment variable outranks the file) so that the
  # host's 8443 need not be free.
  mkdir -p "$work/rootfs/etc/rotor/tls" "$work/rootfs/etc/rotor/api-config"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=orchestrator.rotor.svc \
    -addext subjectAltName=DNS:orchestrator.rotor.svc -keyout "$work/rootfs/etc/rotor/tls/tls.key" \
    -out "$work/rootfs/etc/rotor/tls/tls.crt" 2>/dev/null
  chown "0:${user#*:}" "$work/rootfs/etc/rotor/tls/tls.key" "$work/rootfs/etc/rotor/tls/tls.crt"
  chmod 0440 "$work/rootfs/etc/rotor/tls/tls.key" "$work/rootfs/etc/rotor/tls/tls.crt"
  # The shipped file as it is, but for the port: a file named in quarkus.config.locations outranks the environment
  # here, so the smoke test's free port is written into the copy.
  sed "s/^quarkus.http.ssl-port=.*/quarkus.http.ssl-port=$tls_port/" \
    "$deploy_dir/kubernetes/base/orchestrator/api-tls.properties" >"$work/rootfs/etc/rotor/api-config/api-tls.properties"
  env_for_run+=("QUARKUS_CONFIG_LOCATIONS=/etc/rotor/api-config/api-tls.properties"
    "QUARKUS_MANAGEMENT_PORT=$management_port" "QUARKUS_MANAGEMENT_HOST=127.0.0.1")
  health_port=$management_port
fi
started=$(date +%s%N)
# chroot runs the entrypoint as is (no shell in the image); env -i gives it the image's environment and nothing else.
unshare --mount --pid --fork --kill-child=SIGKILL bash -c '
  set -e
  root=$1; workdir=$2; shift 2
  mount --bind "$root" "$root"
  mount -o remount,bind,ro "$root"
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o size=64m,mode=1777 tmpfs "$root/tmp"
  cd "$root$workdir"
  exec "$@"
' smoke "$work/rootfs" "$workdir" env -i "${env_for_run[@]}" "$(command -v chroot)" --userspec="$user" "$work/rootfs" \
  "${entrypoint[@]}" >"$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  if body=$(curl -sf "http://127.0.0.1:$health_port/q/health/live" 2>/dev/null); then
    echo "live after $(( ($(date +%s%N) - started) / 1000000 )) ms: $(echo "$body" | tr -d '\n')"
    grep -o 'started in [0-9.]*s' "$work/out.log" | head -1 | sed 's/^/quarkus: /' || true
    echo "ready: $(curl -s "http://127.0.0.1:$health_port/q/health/ready" | tr -d '\n ' | cut -c1-300)"
    if $orchestrator; then
      # The API answers on TLS with the mounted certificate (401: no token; the point is the handshake), and nothing
      # listens on plain HTTP.
      status=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/rootfs/etc/rotor/tls/tls.crt" \
        --resolve "orchestrator.rotor.svc:$tls_port:127.0.0.1" "https://orchestrator.rotor.svc:$tls_port/api/v1/credentials" || true)
      echo "API over TLS with the mounted certificate: HTTP $status"
      # No token sent: the API must answer, over TLS, and refuse.
      if [ "$status" != 401 ]; then echo "expected 401 over TLS, got $status; its output:" >&2; cat "$work/out.log" >&2; exit 1; fi
      if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
        echo "the API still answers plain HTTP on $port" >&2; exit 1
      fi
    fi
    # What the kubelet does on a rollout: SIGTERM, then SIGKILL after the grace period (30 s by default).
    service=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null | awk '{print $1}')
    stopping=$(date +%s%N)
    kill -TERM "$service" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$service" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$service" 2>/dev/null; then
      echo "still running 30 s after SIGTERM (a pod would be killed at the end of its grace period)"
    else
      echo "stopped $(( ($(date +%s%N) - stopping) / 1000000 )) ms after SIGTERM"
    fi
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
echo "$reference did not answer /q/health/live on port $health_port; its output:" >&2
cat "$work/out.log" >&2
exit 1
