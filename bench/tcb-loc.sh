#!/usr/bin/env bash
# Counts the enclave's trusted code: non-blank, non-comment lines of main Java code
# (src/main/java) per module on the enclave's boot class path, and their total.
# The module list is the runtime artifact list (RunCommand.RUNTIME_ARTIFACTS, bin/sconej).
# Usage: bench/tcb-loc.sh [MODULE...]   (run from the repository root; see docs/tcb.md)
set -euo pipefail
cd "$(dirname "$0")/.."
modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  modules=(sconej-runtime sconej-ioagent sconej-crypto sconej-hostcalls sconej-fileshield
    sconej-attestation sconej-cas-client sconej-console)
fi
# A line counts unless it is blank or lies wholly inside a comment (// ..., /* ... */, Javadoc).
count() {
  find "$1/src/main/java" -name '*.java' -print0 | sort -z | xargs -0 cat | awk '
    { line = $0; code = 0
      while (length(line) > 0) {
        if (inblock) {
          i = index(line, "*/"); if (i == 0) { line = ""; break }
          line = substr(line, i + 2); inblock = 0; continue
        }
        sub(/^[ \t]+/, "", line)
        if (line == "" || substr(line, 1, 2) == "//") break
        if (substr(line, 1, 2) == "/*") { inblock = 1; line = substr(line, 3); continue }
        code = 1; break
      }
      if (code) n++ }
    END { print n + 0 }'
}
total=0
for m in "${modules[@]}"; do
  n=$(count "$m")
  printf '%-22s %6d\n' "$m" "$n"
  total=$((total + n))
done
printf '%-22s %6d\n' total "$total"
