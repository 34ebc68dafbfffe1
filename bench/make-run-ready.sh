#!/usr/bin/env bash
# How long `make run` takes to be ready (every function warm, the banner printed), measured from the
# command, with the build up to date: the time a developer waits on a second `make run`.
#   bench/make-run-ready.sh [runs=3] [--compare]    EPRO_API_PORT (default 3109) picks the HTTP API's port
# Each run starts `make run` in a session of its own, waits for "OpenEPRO is running locally.",
# then sends the session SIGTERM and waits for the runtime to stop (it stops the emulator).
# --compare: each round runs "before" (the artifacts copied again, as every `make run` did before they
# were made only when the jars change) then "after" (as built): runs rounds of both, interleaved, and
# prints both medians and their ratio.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=3
compare=""
for arg in "$@"; do
  case "$arg" in
    --compare) compare=1 ;;
    *) runs="$arg" ;;
  esac
done
port="${EPRO_API_PORT:-3109}"
log_dir="bench/target/make-run-ready"
mkdir -p "$log_dir"
# the build once, outside the measurement: every measured run finds it up to date
EPRO_API_PORT="$port" make -s --no-print-directory local-artifacts "target/local-runtime.classpath" >/dev/null

# one `make run` until ready, then stopped; prints the ready time in ms (empty if it never got ready)
measure() {
  local log="$1" start pid ready="" t
  start=$(date +%s%N)
  EPRO_API_PORT="$port" setsid make --no-print-directory run >"$log" 2>&1 &
  pid=$!
  for ((t = 0; t < 1200; t++)); do
    if grep -q "OpenEPRO is running locally." "$log"; then
      ready=$(( ($(date +%s%N) - start) / 1000000 ))
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [[ -n "$ready" ]] || { echo "make run did not become ready; its output is in $log" >&2; exit 1; }
  echo "$ready"
}

median() {
  local sorted=($(printf '%s\n' "$@" | sort -n))
  echo "${sorted[$(( ${#sorted[@]} / 2 ))]}"
}

if [[ -n "$compare" ]]; then
  before=() after=()
  for ((i = 1; i <= runs; i++)); do
    rm -f target/lambda-artifacts/.made
    b=$(measure "$log_dir/before-$i.log")
    a=$(measure "$log_dir/after-$i.log")
    echo "round $i: before ${b} ms, after ${a} ms (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    before+=("$b") after+=("$a")
  done
  mb=$(median "${before[@]}") ma=$(median "${after[@]}")
  echo "make run ready, medians of ${runs}: before ${mb} ms, after ${ma} ms, ratio $(awk "BEGIN{printf \"%.2f\", $ma/$mb}") (target <= 30000 ms)"
  exit 0
fi

ready_ms=()
for ((i = 1; i <= runs; i++)); do
  log="$log_dir/run-$i.log"
  start=$(date +%s%N)
  EPRO_API_PORT="$port" setsid make --no-print-directory run >"$log" 2>&1 &
  pid=$!
  ready=""
  for ((t = 0; t < 1200; t++)); do
    if grep -q "OpenEPRO is running locally." "$log"; then
      ready=$(( ($(date +%s%N) - start) / 1000000 ))
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  warm=$(grep -c "  warm (init" "$log" || true)
  # to the session's process group (make and the runtime's java): SIGTERM, as a background job of a script
  # ignores SIGINT; the runtime stops on either as on Ctrl-C (its shutdown hook)
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" || true
  if [[ -z "$ready" ]]; then
    echo "run $i: make run did not become ready; its output is in $log" >&2
    exit 1
  fi
  echo "run $i: ready in ${ready} ms (${warm} functions warm; load average $(cut -d' ' -f1-3 /proc/loadavg))"
  ready_ms+=("$ready")
done
sorted=($(printf '%s\n' "${ready_ms[@]}" | sort -n))
echo "make run ready: median ${sorted[$(( ${#sorted[@]} / 2 ))]} ms of ${runs} (target <= 30000 ms)"
