#!/usr/bin/env bash
# Host space of a write-heavy, database-like workload (issue 11 item 3): SpaceBench runs the same
# seeded workload on a plain host directory and on an encrypted volume, and reports allocated
# host bytes (du) against logical bytes; then unmodified H2 (its RunScript tool, a script of
# inserts, updates and deletes, jdbc:h2:nio:) runs on a volume through the default-provider mode.
# Both run twice in one go: with the file shield at BASE (before space reclaim) and this tree's.
# Usage: bench/space-bench.sh [ROUNDS (30)] [DB_MIB (32)] [BASE (29526dd)] [H2_ROUNDS (6)]
# Needs the project built (bin/build -q -pl sconej-cli,sconej-bench -am package -DskipTests) and
# H2 in ~/.m2 (a test dependency of sconej-it, so the build fetched it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
source bin/find-jdk
J="$SCONEJ_JDK/bin/java"
rounds=${1:-30}; mib=${2:-32}; base=${3:-29526dd}; h2rounds=${4:-6}
h2=$(ls "$HOME"/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar)
work=$(mktemp -d /var/tmp/sconej-space-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mods="sconej-crypto sconej-hostcalls sconej-fileshield"
mkdir -p "$work/base-src" "$work/base"
git archive "$base" $(for m in $mods; do echo "$m/src/main"; done) | tar -x -C "$work/base-src"
find "$work/base-src" -name '*.java' > "$work/srcs"
"$SCONEJ_JDK/bin/javac" -nowarn -d "$work/base" @"$work/srcs" 2>/dev/null
now=$(for m in $mods; do printf '%s:' "$here/$m/target/classes"; done)
bench="$here/sconej-bench/target/classes"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "### before ($base)"
"$J" --enable-native-access=ALL-UNNAMED -cp "$bench:$work/base" io.sconej.bench.fs.SpaceBench \
  "$work/before" "$rounds" "$mib"
echo
echo "### after ($(git rev-parse --short HEAD))"
"$J" --enable-native-access=ALL-UNNAMED -cp "$bench:$now" io.sconej.bench.fs.SpaceBench \
  "$work/after" "$rounds" "$mib"
{
  echo "CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(2000));"
  for r in $(seq 1 "$h2rounds"); do
    b=$(( (r - 1) * 10000 ))
    echo "INSERT INTO t SELECT X, REPEAT('r$r', 150) || X FROM SYSTEM_RANGE($((b + 1)), $((b + 10000)));"
    echo "UPDATE t SET v = REPEAT('u$r', 120) WHERE MOD(id, 3) = $((r % 3));"
    echo "DELETE FROM t WHERE id <= $((b + 5000));"
  done
  echo "DELETE FROM t WHERE id <= $((h2rounds * 10000 - 3000));" # most rows gone: H2 shrinks
} > "$work/churn.sql"
h2run() { # label classpath dir
  mkdir -p "$3"
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$3/key"
  printf 'default=unprotected\nregion.1.prefix=/data\nregion.1.kind=encrypted\nregion.1.volume=%s\nregion.1.keyFile=%s\nregion.1.create=true\n' \
    "$3/vol" "$3/key" > "$3/regions.properties"
  local s; s=$(date +%s%N)
  "$J" --enable-native-access=ALL-UNNAMED \
    -Djava.nio.file.spi.DefaultFileSystemProvider=io.sconej.fileshield.nio.SconejDefaultFileSystemProvider \
    -Dsconej.fs.regions="$3/regions.properties" -cp "$h2:$2" org.h2.tools.RunScript \
    -url jdbc:h2:nio:/data/db -user sa -script "$work/churn.sql" > "$3/log" 2>&1
  local ms=$(( ($(date +%s%N) - s) / 1000000 ))
  local logical host files dirs
  logical=$(bin/sconej fs ls "$3/vol" --key-file "$3/key" | awk '{s += $2} END {print s}')
  host=$(du -s -B1 "$3/vol" | cut -f1)
  files=$(find "$3/vol/data" -type f | wc -l); dirs=$(find "$3/vol/data" -mindepth 1 -type d | wc -l)
  awk -v l="$1" -v a="$logical" -v h="$host" -v f="$files" -v d="$dirs" -v t="$ms" 'BEGIN {
    printf "| %s | %.1f | %.1f | %.2fx | %d | %d | %.1f |\n", l, a / 1048576, h / 1048576, h / a, f, d, t / 1000 }'
}
echo
echo "### H2 $(basename "$h2" .jar), RunScript: $h2rounds rounds of 10,000 inserts, an update of a third, 5,000 deletes; then all but 3,000 rows deleted"
echo
echo "| file shield | logical MiB | host MiB (du) | host / logical | data files | data directories | time (s) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
h2run "before ($base)" "$work/base" "$work/h2-before"
h2run "after ($(git rev-parse --short HEAD))" "$now" "$work/h2-after"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
