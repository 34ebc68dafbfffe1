#!/usr/bin/env bash
# Prints the JAVA_HOME of a JDK 25 (the build's target), or of the newest JDK >= 21 when
# no 25 exists (with a warning on stderr). Never guesses a fixed path: it asks each
# candidate's own `java -version`.
set -euo pipefail

want=25
min=21

major_of() {
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)
  echo "${v:-0}"
}

candidates=()
[[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]] && candidates+=("$JAVA_HOME")
if command -v /usr/libexec/java_home >/dev/null 2>&1; then
  h=$(/usr/libexec/java_home -v "$want" 2>/dev/null || true)
  [[ -n "$h" ]] && candidates+=("$h")
fi
for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [[ -x "$d/bin/java" && -x "$d/bin/javac" ]] && candidates+=("$d")
done
if command -v javac >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
fi

best=""; best_major=0
for c in "${candidates[@]}"; do
  m=$(major_of "$c")
  if [[ "$m" == "$want" ]]; then echo "$c"; exit 0; fi
  if (( m >= min && m > best_major )); then best="$c"; best_major=$m; fi
done

if [[ -n "$best" ]]; then
  echo "find-jdk: no JDK $want found; using JDK $best_major at $best" >&2
  echo "$best"; exit 0
fi
echo "find-jdk: no JDK >= $min found (looked in JAVA_HOME, /usr/lib/jvm, /opt, sdkman)" >&2
exit 1
