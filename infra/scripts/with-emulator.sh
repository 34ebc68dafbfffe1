#!/usr/bin/env bash
# Runs a command with one local AWS emulator (moto server with the project's patches, started by
# infra/aws-emulator/moto_launcher.py from the project's virtualenv) on 127.0.0.1 and a free port,
# exported as AWS_ENDPOINT_URL; stops it when the command ends. Its IAM check records what each
# function's calls used and what it refused in $EPRO_IAM_STATE (default target/iam, appended to:
# `make test` empties it first; infra/aws-emulator/iam_report.py reads it).
# If AWS_ENDPOINT_URL is already set, that emulator is used and nothing is started.
set -euo pipefail

if [[ -n "${AWS_ENDPOINT_URL:-}" ]]; then
  exec "$@"
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${EPRO_VENV:-$root/.venv}"
port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
mkdir -p "$root/target"
log="$root/target/moto-server.log"
export EPRO_IAM_STATE="${EPRO_IAM_STATE:-$root/target/iam}"

# started directly, not through a subshell, so $! is moto's own PID
"$venv/bin/python" "$root/infra/aws-emulator/moto_launcher.py" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!
cleanup() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

for _ in $(seq 1 150); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/"; then break; fi
  if ! kill -0 "$moto_pid" 2>/dev/null; then
    echo "with-emulator: moto server exited: $(tail -n 3 "$log")" >&2; exit 1
  fi
  sleep 0.1
done

export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
echo "with-emulator: moto server (pid $moto_pid) on $AWS_ENDPOINT_URL" >&2
"$@"
