#!/usr/bin/env bash
# The staff console's browser tests: starts `make run`'s local runtime on a free port (its own
# emulator, the real functions, the console under /console/), runs console/e2e/run.mjs in
# Debian's Chromium against it, and stops the runtime (its shutdown stops its emulator too).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

classpath="infra/lambda-runtime/target/classes:$(cat target/local-runtime.classpath)"
port="${CONSOLE_TEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
mkdir -p console/target
log=console/target/make-run.log

EPRO_API_PORT="$port" java -cp "$classpath" org.openepro.runtime.LocalRuntime >"$log" 2>&1 &
runtime=$!
stop() {
  # TERM, not INT: a background job of a script starts with SIGINT ignored, so the JVM would never see it
  kill -TERM "$runtime" 2>/dev/null || true
  wait "$runtime" 2>/dev/null || true
}
trap stop EXIT

for _ in $(seq 1 180); do
  grep -q "OpenEPRO is running locally" "$log" && break
  if ! kill -0 "$runtime" 2>/dev/null; then
    echo "console-browser-test: the local runtime stopped before it was ready:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 1
done
grep -q "OpenEPRO is running locally" "$log" || { echo "console-browser-test: the runtime was not ready in 180 s" >&2; exit 1; }

export STUDY=STUDY-E2E SITE=SITE-01 SUBJECT=SUBJ-E2E-01
PATIENT_TOKEN="$(java -cp "$classpath" org.openepro.runtime.TokenTool role=patient "study=$STUDY" "site=$SITE" "subject=$SUBJECT")"
export PATIENT_TOKEN
export CONSOLE_URL="http://127.0.0.1:$port/console/" API_URL="http://127.0.0.1:$port"
status=0
node console/e2e/run.mjs || status=$?
if (( status != 0 )); then
  echo "console-browser-test: the runtime's log is in $log" >&2
fi
exit "$status"
