#!/usr/bin/env bash
# Host space of a write-heavy, database-like workload (issue 11 item 3): SpaceBench runs the same
# seeded workload on a plain host directory and on an encrypted volume, and reports allocated
# host bytes (du) against logical bytes. It runs twice in one go: with the file shield at BASE
# (before space reclaim) and with this tree's.
# Usage: bench/space-bench.sh [ROUNDS (30)] [DB_MIB (32)] [BASE (29526dd)]
# Needs the project built: bin/build -q -pl sconej-bench -am package -DskipTests
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
source bin/find-jdk
J="$SCONEJ_JDK/bin/java"
rounds=${1:-30}; mib=${2:-32}; base=${3:-29526dd}
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
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
