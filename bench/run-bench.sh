#!/usr/bin/env bash
# sconej run benchmarks (issue: sconej run, item 7), each against the same application run plainly
# in the same run: (a) start-up of a hello-world application, with the enclave's phase breakdown;
# (b) an H2 write-heavy (committed inserts) and read-heavy (primary-key lookups) JDBC workload.
# Usage: bench/run-bench.sh [RUNS (default 10)] [WRITES (default 2000)] [READS (default 50000)]
#        [H2_ROUNDS (default 5): plain and sconej H2 passes, interleaved; medians are reported]
# Prints Markdown. Needs the project built (bin/build package -DskipTests) and H2 in ~/.m2
# (it is a test dependency of sconej-it, so the build fetched it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
source bin/find-jdk
J="$SCONEJ_JDK/bin/java"
S=bin/sconej
runs=${1:-10}; writes=${2:-2000}; reads=${3:-50000}; h2rounds=${4:-5}
h2=$(ls "$HOME"/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar)
app="$here/sconej-sample/target/sconej-sample.jar"
work=$(mktemp -d /var/tmp/sconej-run-bench.XXXXXX)
cas_pid=""
trap '[ -n "$cas_pid" ] && kill $cas_pid 2>/dev/null; rm -rf "$work"' EXIT
source "$here/bench/local-cas.sh"
session hello "$app" "[io.sconej.sample.Hello]"
mkdir -p "$work/hv"
srun hello "$app" "$work/hv" >/dev/null 2>&1 # creates the volume and records the AOT cache
for _ in $(seq 1 300); do ls "$work"/plat/aot-cache/*.aot >/dev/null 2>&1 && break; sleep 0.2; done
: > "$work/plain.ms"; : > "$work/sconej.ms"; : > "$work/phases"
# The timed starts run without SCONEJ_TIMING (its JVM start time comes from JMX, which costs
# start-up time itself); one more start per round with it gives the phases.
for _ in $(seq 1 "$runs"); do
  t=$(ms); "$J" -cp "$app" io.sconej.sample.Hello >/dev/null; echo $(( $(ms) - t )) >> "$work/plain.ms"
  t=$(ms); srun hello "$app" "$work/hv" >/dev/null 2>"$work/err"
  echo $(( $(ms) - t )) >> "$work/sconej.ms"
  SCONEJ_TIMING=1 srun hello "$app" "$work/hv" >/dev/null 2>"$work/err"
  sed -n 's/^sconej timing: //p' "$work/err" >> "$work/phases"
done
p=$(median < "$work/plain.ms"); s=$(median < "$work/sconej.ms")
# One more start without either sim-mode cache: every measured byte hashed again, no AOT cache.
rm -f "$work/plat/measure-cache"
t=$(ms); SCONEJ_AOT=0 SCONEJ_TIMING=1 srun hello "$app" "$work/hv" >/dev/null 2>"$work/err"
cold=$(( $(ms) - t ))
coldm=$(sed -n 's/.*measurement(parallel)=\([0-9]*\).*/\1/p' "$work/err")
ph() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" "$work/phases" | median; }
echo "## Start-up (hello world; median of $runs runs; load: $(cut -d, -f3- /proc/loadavg | cut -c1-30))"
echo
echo "| | plain java | sconej run | added |"
echo "|---|---:|---:|---:|"
echo "| launch to exit (ms), sim-mode caches warm (measurement, AOT) | $p | $s | $(( s - p )) |"
echo "| launch to exit (ms), no caches (1 run) | $p | $cold | $(( cold - p )) |"
echo
echo "Enclave phases (median ms): JVM start to runtime main $(ph jvm); measurement $(ph 'measurement(parallel)')"
echo "(no caches: $coldm) on its own thread, overlapped with attestation; measurement and"
echo "attestation together $(ph 'measurement+attestation'); shields (volumes, environment) $(ph shields)."
echo "The rest ($(( s - $(ph jvm) - $(ph 'measurement+attestation') - $(ph shields) )) ms of the sconej total) is"
echo "bin/sconej itself, loading and running the application and JVM exit."
echo
session sql "$app:$h2" "[io.sconej.sample.SqlWorkload, 'jdbc:h2:/data/db', '$writes', '$reads']"
mkdir -p "$work/sv" "$work/plaindb"
# One untimed pass records this command's AOT cache (sim mode keeps one per command); the timed
# passes run with it, as every start after a command's first does.
naot=$(ls "$work"/plat/aot-cache/*.aot | wc -l)
srun sql "$app:$h2" "$work/sv" >/dev/null 2>&1
for _ in $(seq 1 300); do [ "$(ls "$work"/plat/aot-cache/*.aot | wc -l)" -gt "$naot" ] && break; sleep 0.2; done
: > "$work/h2"
for _ in $(seq 1 "$h2rounds"); do
  plain=$("$J" -cp "$app:$h2" io.sconej.sample.SqlWorkload "jdbc:h2:$work/plaindb/db" "$writes" "$reads")
  shield=$(srun sql "$app:$h2" "$work/sv" 2>/dev/null | tail -n 1)
  pw=$(echo "$plain" | sed 's/.*writes\/s=\([0-9]*\).*/\1/'); pr=$(echo "$plain" | sed 's/.*reads\/s=\([0-9]*\).*/\1/')
  sw=$(echo "$shield" | sed 's/.*writes\/s=\([0-9]*\).*/\1/'); sr=$(echo "$shield" | sed 's/.*reads\/s=\([0-9]*\).*/\1/')
  echo "$pw $sw $pr $sr" >> "$work/h2"
done
col() { cut -d' ' -f"$1" "$work/h2" | median; }
ratios() { awk -v a="$1" -v b="$2" '{printf "%s%.2f", (NR > 1 ? ", " : ""), $b / $a}' "$work/h2"; }
pw=$(col 1); sw=$(col 2); pr=$(col 3); sr=$(col 4)
echo "## H2 workload ($writes committed inserts, then $reads primary-key lookups; median of $h2rounds interleaved passes each; sconej with its AOT cache)"
echo
echo "| workload | plain java (ops/s) | sconej run (ops/s) | ratio of medians | ratio per pass |"
echo "|---|---:|---:|---:|---|"
echo "| write-heavy (insert + commit) | $pw | $sw | $(awk "BEGIN {printf \"%.2fx\", $sw/$pw}") | $(ratios 1 2) |"
echo "| read-heavy (lookup) | $pr | $sr | $(awk "BEGIN {printf \"%.2fx\", $sr/$pr}") | $(ratios 3 4) |"
