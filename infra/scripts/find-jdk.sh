#!/usr/bin/env bash
# Prints the JAVA_HOME of a JDK 25, the release the build compiles for and Lambda's java25
# runtime runs. JAVA_HOME is used when it is a 25; otherwise the usual install places are
# searched. Never guesses a fixed path: it asks each candidate's own `java`.
set -euo pipefail

want=25

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

for c in "${candidates[@]}"; do
  if [[ "$(major_of "$c")" == "$want" ]]; then echo "$c"; exit 0; fi
done
echo "find-jdk: no JDK $want found (looked in JAVA_HOME, /usr/lib/jvm, /opt, SDKMAN, ~/.jdks, java_home, PATH);" \
  "install a JDK $want (e.g. Temurin) or point JAVA_HOME at one" >&2
exit 1
