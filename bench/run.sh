#!/usr/bin/env bash
# Runs OpenEPRO's benchmarks (see bench/README.md). Build first: `make build`.
#   bench/run.sh                 everything
#   bench/run.sh jmh [regex]     JMH with -prof gc (default: all benchmarks)
#   bench/run.sh cold-start [n] [--only L,..] [--subject ..]   every function's sam build artifact through the
#                                Lambda runtime client, and the naive baseline's: init and first invocation, n runs each
#   bench/run.sh cold-start-jvm [n]  submit-report's handler in a plain JVM (no runtime client), and after priming
#   bench/run.sh make-run-ready [n]  how long `make run` takes to have every function warm, from the command
#   bench/run.sh load [--repo DIR --m2 DIR] [SubmitLoad options]   1,000 submissions by 16 clients against make run
#   bench/run.sh throughput [n]  index-report and alert: records/s for batches of 10 against the emulator
#   bench/run.sh http-clients [n] SDK HTTP clients (UrlConnection, CRT, Apache): fresh-JVM client build + one call
#   bench/run.sh export-jmh|export-e2e [args]   the export benchmarks (bench/export.sh)
#   bench/run.sh emulator-transactions [args]    TransactWriteItems by table size, plain moto vs the launcher
#   bench/run.sh emulator-memory [reports]       the emulator's memory over stored reports, plain moto vs the launcher
#   bench/run.sh schedule [subjects] [concurrency] the scheduler's slot for N subjects: occurrences/s, items read/written
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAVA_HOME="${JAVA_HOME:-$(infra/scripts/find-jdk.sh)}"
JAVA="$JAVA_HOME/bin/java"
[[ -f bench/target/classpath.txt ]] || { echo "bench: run 'make build' first" >&2; exit 1; }
CP="bench/target/classes:$(cat bench/target/classpath.txt)"

jmh() {
  "$JAVA" ${JMH_JAVA_OPTS:-} -cp "$CP" org.openjdk.jmh.Main "${1:-.*}" -prof gc -rf json -rff "bench/target/jmh-result.json"
}
# results/cold-start-<UTC>.txt keeps each run's table (with the load average it ran at)
cold_start() {
  [[ -d .aws-sam/build ]] || { echo "bench: run 'make sam-build' first (the artifacts are what is measured)" >&2; exit 1; }
  mkdir -p bench/results
  infra/scripts/with-emulator.sh "$JAVA" -cp "$CP" org.openepro.bench.lambda.ArtifactColdStart "${@:-11}" \
    | tee "bench/results/cold-start-$(date -u +%Y%m%dT%H%M%SZ).txt"
}
cold_start_jvm() {
  infra/scripts/with-emulator.sh "$JAVA" -cp "$CP" org.openepro.bench.submit.ColdStartBenchmark "${1:-11}"
}

http_clients() {
  infra/scripts/with-emulator.sh "$JAVA" -cp "$CP" org.openepro.bench.http.HttpClientColdStart "${1:-9}"
}

throughput() {
  infra/scripts/with-emulator.sh "$JAVA" -cp "$CP" org.openepro.bench.BatchThroughput "${1:-10}" 3
}

# each starts its own emulators (plain moto_server and infra/aws-emulator/moto_launcher.py), one after the other
emulator_memory() {
  "$JAVA" -cp "$CP" org.openepro.bench.emulator.EmulatorMemoryBench "$@"
}

case "${1:-all}" in
  jmh) shift; jmh "$@" ;;
  cold-start) shift; cold_start "$@" ;;
  cold-start-jvm) shift; cold_start_jvm "$@" ;;
  make-run-ready) shift; bench/make-run-ready.sh "$@" ;;
  load) shift; bench/load.sh "$@" ;;
  throughput) shift; throughput "$@" ;;
  http-clients) shift; http_clients "$@" ;;
  export-jmh) shift; bench/export.sh jmh "$@" ;;
  export-e2e) shift; bench/export.sh e2e "$@" ;;
  emulator-transactions) shift; "${EPRO_VENV:-.venv}/bin/python" bench/emulator_transactions.py "$@" ;;
  emulator-memory) shift; emulator_memory "$@" ;;
  schedule) shift; infra/scripts/with-emulator.sh "$JAVA" -cp "$CP" org.openepro.bench.schedule.SchedulerSlotBenchmark "$@" ;;
  all) jmh 'SubmitCpuPathBenchmark|RecordCpuBenchmark'; cold_start; throughput; bench/export.sh jmh; bench/export.sh e2e ;;
  *) echo "usage: bench/run.sh [jmh [regex] | cold-start [runs] | cold-start-jvm [runs] | make-run-ready [runs] | load [..] | throughput [rounds] | export-jmh [quick] | export-e2e [rows...]" \
          "| emulator-transactions [--sizes ..] | emulator-memory [reports]]" >&2
     exit 2 ;;
esac
