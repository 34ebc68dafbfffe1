#!/usr/bin/env bash
# The load benchmark (bench/README.md): starts `make run` in REPO (default: this repository) on
# EPRO_API_PORT (default 3109), runs SubmitLoad against it, then stops it.
#   bench/load.sh [--repo DIR [--m2 DIR]] [SubmitLoad options: --submissions 1000 --clients 16 --retries 0.10 ...]
# REPO may be another worktree (the "before" measurement: main before the runtime and emulator changes),
# built with its own Maven repository (--m2) so its SNAPSHOT modules never replace this one's; the client
# always runs from this repository's bench build, and reads REPO's local signing key.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
here="$PWD"
repo="$here"
if [[ "${1:-}" == "--repo" ]]; then repo="$(cd "$2" && pwd)"; shift 2; fi
if [[ "${1:-}" == "--m2" ]]; then export MAVEN_ARGS="-Dmaven.repo.local=$2"; shift 2; fi
port="${EPRO_API_PORT:-3109}"
JAVA_HOME="${JAVA_HOME:-$(infra/scripts/find-jdk.sh)}"
[[ -f bench/target/classpath.txt ]] || { echo "bench: run 'make build' first" >&2; exit 1; }
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
mkdir -p bench/target
log="$here/bench/target/load-make-run.log"

# build first (only what changed since the last build), outside the measurement
(cd "$repo" && make -s --no-print-directory target/build.stamp >/dev/null)
# setsid execs make (a script's background job leads no process group), so make's pid is its session's
# group: SIGTERM to that group reaches make and the runtime's java, which stops the emulator
EPRO_API_PORT="$port" setsid make -C "$repo" --no-print-directory run >"$log" 2>&1 &
run_pid=$!
stop() {
  kill -TERM -- "-$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
}
trap stop EXIT
for ((t = 0; t < 3000; t++)); do
  grep -qs "OpenEPRO is running locally." "$log" && break
  kill -0 "$run_pid" 2>/dev/null || { echo "make run ended; see $log" >&2; exit 1; }
  sleep 0.2
done
grep -q "OpenEPRO is running locally." "$log" || { echo "make run not ready; see $log" >&2; exit 1; }
emulator_port=$(sed -n 's|.*emulator   http://127.0.0.1:\([0-9]*\).*|\1|p' "$log" | head -1)
# the emulator's own process (moto_launcher.py or moto_server, not the session wrapper): its RSS is what grows
emulator_pid=""
for p in $(pgrep -f -- "-p $emulator_port\b" || true); do
  if grep -qa "moto" "/proc/$p/cmdline" && ! grep -qa "moto_session" "/proc/$p/cmdline"; then emulator_pid=$p; fi
done
echo "make run ready in $repo (git $(git -C "$repo" rev-parse --short HEAD)); emulator on port $emulator_port, pid ${emulator_pid:-unknown}"
"$JAVA_HOME/bin/java" -cp "$CP" org.openepro.bench.load.SubmitLoad --api "http://127.0.0.1:$port" \
  --key-dir "$repo/.local" --emulator-pid "${emulator_pid:-0}" "$@"
