#!/usr/bin/env bash
# Export benchmarks (see bench/README.md, section "Export").
#   bench/export.sh jmh [quick]        JMH: writer rows/s and B/row (-prof gc), pooled vs unpooled part buffers
#   bench/export.sh e2e [ROWS...]      end-to-end to the S3 emulator: wall time and the smallest -Xmx that completes,
#                                      streaming vs naive (whole file + one PutObject) vs POI SXSSF (xlsx); default 100000 1000000
#   FORMATS="csv xlsx" bench/export.sh e2e 100000     limit the formats (also fhir-ndjson odm-xml spss sas stata r)
#   LADDER="256" FORMATS=odm-xml bench/export.sh e2e 1000000   only check that it completes within -Xmx256m
#   Seconds come from a run at -Xmx${TIME_XMX_MIB:-4096}m for every mode; the heap figure is the smallest -Xmx that completes.
# Results go to bench/results/ (JSON from JMH, text from e2e) and a summary with ratios is printed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-$(infra/scripts/find-jdk.sh)}"
export PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mkdir -p bench/results
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

build() {
  ./mvnw -B -ntp -q ${MVN_OFFLINE:--o} -pl bench -am package -DskipTests
  CP="bench/target/classes:$(cat bench/target/classpath.txt)"
}

jmh() {
  build
  local opts=(-wi 5 -w 2s -i 10 -r 2s -f 2)
  if [[ "${1:-}" == "quick" ]]; then opts=(-wi 5 -w 2s -i 3 -r 2s -f 1); fi
  local out="bench/results/export-jmh-$stamp.json"
  # one core, as Lambda's 1536 MB gives about one vCPU: pin the forks when taskset is there
  local pin=()
  if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
  # JMH_JAVA_OPTS=-Djmh.ignoreLock=true runs beside another JMH (numbers then noisy)
  "${pin[@]}" java ${JMH_JAVA_OPTS:-} -cp "$CP" org.openjdk.jmh.Main 'org.openepro.bench.export.*' -prof gc "${opts[@]}" \
    -rf json -rff "$out"
  python3 bench/export_summary.py jmh "$out"
}

e2e() {
  build
  local rows=("$@")
  if [[ ${#rows[@]} -eq 0 ]]; then rows=(100000 1000000); fi
  local out="bench/results/export-e2e-$stamp.txt"
  # the ladder of heap sizes tried, smallest first: the first that completes is the -Xmx needed
  # LADDER="256" checks one heap only (does it complete within -Xmx256m?)
  local ladder=(${LADDER:-32 48 64 96 128 192 256 384 512 768 1024 1536 2048 3072 4096})
  infra/scripts/with-emulator.sh bash -c '
    set -euo pipefail
    out="$1"; shift; cp="$1"; shift; ladder=($1); shift
    for rows in "$@"; do
      for format in ${FORMATS:-csv ndjson json xlsx}; do
        modes="streaming naive"; [[ $format == xlsx ]] && modes="streaming naive poi"
        for mode in $modes; do
          needed=""
          for xmx in "${ladder[@]}"; do
            if java -Xmx${xmx}m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -cp "$cp" \
                org.openepro.bench.export.ExportEndToEnd "$format" "$rows" "$mode" 2>/dev/null | grep -q "^RESULT"; then
              needed=$xmx; break
            fi
          done
          if [[ -z $needed ]]; then
            echo "RESULT format=$format mode=$mode rows=$rows failed=even-at-${ladder[-1]}m" | tee -a "$out"; continue
          fi
          # time every mode at the same, generous heap: at its smallest heap a run mostly measures the GC
          line=$(java -Xmx${TIME_XMX_MIB:-4096}m -XX:+UseSerialGC -cp "$cp" \
              org.openepro.bench.export.ExportEndToEnd "$format" "$rows" "$mode" 2>/dev/null | grep "^RESULT")
          echo "$line xmxNeededMiB=$needed" | tee -a "$out"
        done
      done
    done' _ "$out" "$CP" "${ladder[*]}" "${rows[@]}"
  python3 bench/export_summary.py e2e "$out"
}

case "${1:-}" in
  jmh) shift; jmh "$@" ;;
  e2e) shift; e2e "$@" ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
