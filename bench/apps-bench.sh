#!/usr/bin/env bash
# Unmodified file-heavy applications, plainly and under `sconej run` (sim mode, data in an
# encrypted volume), in one run (issue 11 item 7). Each application's workload times itself after
# start-up (io.sconej.sample.SqlWorkload on H2 and on HSQLDB, io.sconej.sample.LuceneWorkload on
# Lucene's default, memory-mapped directory) and prints writes/s, reads/s and its own run time;
# the script times each process from launch to exit, so start-up (and exit) is reported apart.
# Passes are interleaved (plain, sconej, plain, ...); medians are reported.
# Usage: bench/apps-bench.sh [ROUNDS (5)] [SQL_WRITES (2000)] [SQL_READS (50000)]
#        [LUCENE_DOCS (20000)] [LUCENE_QUERIES (20000)]
# Prints Markdown. Needs the project built (bin/build package -DskipTests) and the applications'
# jars in ~/.m2 (they are test dependencies of sconej-it, so the build fetched them).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
source bin/find-jdk
J="$SCONEJ_JDK/bin/java"
S=bin/sconej
rounds=${1:-5}; writes=${2:-2000}; reads=${3:-50000}; docs=${4:-20000}; queries=${5:-20000}
m2="$HOME/.m2/repository"
h2=$(ls "$m2"/com/h2database/h2/2.3.232/h2-2.3.232.jar)
hsqldb=$(ls "$m2"/org/hsqldb/hsqldb/2.7.4/hsqldb-2.7.4.jar)
lucene=$(ls "$m2"/org/apache/lucene/lucene-core/10.2.2/lucene-core-10.2.2.jar)
app="$here/sconej-sample/target/sconej-sample.jar"
work=$(mktemp -d "${SCONEJ_BENCH_DIR:-/var/tmp}/sconej-apps-bench.XXXXXX")
cas_pid=""
trap '[ -n "$cas_pid" ] && kill $cas_pid 2>/dev/null; rm -rf "$work"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
load_before=$(load)
source "$here/bench/local-cas.sh"
field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
aots() { { ls "$work"/plat/aot-cache/*.aot 2>/dev/null || true; } | wc -l; }
# name | class path | command in the session (in-volume paths) | plain command (host paths)
apps=(
  "h2|$app:$h2|[io.sconej.sample.SqlWorkload, 'jdbc:h2:/data/db', '$writes', '$reads']|io.sconej.sample.SqlWorkload jdbc:h2:$work/plain-h2/db $writes $reads"
  "hsqldb|$app:$hsqldb|[io.sconej.sample.SqlWorkload, 'jdbc:hsqldb:file:/data/db;shutdown=true', '$writes', '$reads']|io.sconej.sample.SqlWorkload jdbc:hsqldb:file:$work/plain-hsqldb/db;shutdown=true $writes $reads"
  "lucene|$app:$lucene|[io.sconej.sample.LuceneWorkload, /data/idx, '$docs', '$queries']|io.sconej.sample.LuceneWorkload $work/plain-lucene/idx $docs $queries"
)
for a in "${apps[@]}"; do
  IFS='|' read -r name cp cmd plain <<<"$a"
  session "$name" "$cp" "$cmd"
  mkdir -p "$work/vol-$name" "$work/plain-$name"
  # One untimed pass records this command's AOT cache (sim mode keeps one per command); the timed
  # passes run with it, as every start after a command's first does.
  naot=$(aots)
  srun "$name" "$cp" "$work/vol-$name" >/dev/null 2>&1
  for _ in $(seq 1 300); do
    [ "$(aots)" -gt "$naot" ] && break; sleep 0.2
  done
  : > "$work/$name.res"
  for _ in $(seq 1 "$rounds"); do
    # shellcheck disable=SC2086 # the plain command is split on purpose
    t=$(ms); p=$(timeout 600 "$J" -cp "$cp" $plain | tail -n 1); pt=$(( $(ms) - t ))
    t=$(ms); s=$(srun "$name" "$cp" "$work/vol-$name" 2>"$work/err" | tail -n 1); st=$(( $(ms) - t ))
    if [ -z "$(echo "$s" | field 'writes\/s')" ]; then
      echo "apps-bench: $name under sconej run failed:" >&2; cat "$work/err" >&2; exit 1
    fi
    echo "$(echo "$p" | field 'writes\/s') $(echo "$s" | field 'writes\/s') \
$(echo "$p" | field 'reads\/s') $(echo "$s" | field 'reads\/s') \
$(( pt - $(echo "$p" | field work_ms) )) $(( st - $(echo "$s" | field work_ms) ))" >> "$work/$name.res"
  done
done
load_after=$(load)
echo "## Unmodified applications, plain vs sconej run ($rounds interleaved passes each; medians)"
echo
echo "Command: \`bench/apps-bench.sh $*\`; load average before: $load_before, after: $load_after; $(date -u +%FT%TZ)."
echo
echo "| application | phase | plain java (ops/s) | sconej run (ops/s) | ratio of medians | ratio per pass |"
echo "|---|---|---:|---:|---:|---|"
col() { cut -d' ' -f"$2" "$work/$1.res" | median; }
ratios() { awk -v a="$2" -v b="$3" '{printf "%s%.2f", (NR > 1 ? ", " : ""), $b / $a}' "$work/$1.res"; }
row() { # app phase plain-col sconej-col
  local p s; p=$(col "$1" "$3"); s=$(col "$1" "$4")
  echo "| $1 | $2 | $p | $s | $(awk "BEGIN {printf \"%.2fx\", $s/$p}") | $(ratios "$1" "$3" "$4") |"
}
for n in h2 hsqldb lucene; do
  case $n in
    lucene) w="index ($docs docs, commit every 1,000)"; r="term query + stored fields ($queries)" ;;
    *) w="insert + commit ($writes)"; r="primary-key lookup ($reads)" ;;
  esac
  row $n "$w" 1 2; row $n "$r" 3 4
done
echo
echo "Start-up and exit (launch to exit minus the workload's own time; median ms):"
echo
echo "| application | plain java | sconej run | added |"
echo "|---|---:|---:|---:|"
for n in h2 hsqldb lucene; do
  p=$(col $n 5); s=$(col $n 6); echo "| $n | $p | $s | $(( s - p )) |"
done
