#!/usr/bin/env bash
# Cost of the owner's volume operations (docs/owner-volume-ops.md) with a key file, against `cp -a`
# of the same volume directory as the baseline, in one run: fs verify, fs backup (verify, copy,
# verify the copy), fs restore (verify the backup, copy, verify the copy, swap) of a volume
# holding SIZE_MIB MiB in 16 files. Each is run RUNS times; the median wall time is printed as
# Markdown; `fs tag` (JVM start, open, manifest check, no chunk read) is the start-up share of
# each command. The CAS round trips of --cas-volume (a few ms each) are not included.
#
# Usage: bench/owner-ops-bench.sh [SIZE_MIB (default 64)] [RUNS (default 3)]
# Needs: a built project (bin/build package -DskipTests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
S="$here/../bin/sconej"
size="${1:-64}" runs="${2:-3}"
work="$(mktemp -d "${SCONEJ_BENCH_DIR:-/var/tmp}/sconej-ops-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
for i in $(seq 1 16); do head -c $((size * 1048576 / 16)) /dev/urandom > "$work/src/f$i.bin"; done
"$S" fs init "$work/vol" --new-key "$work/key" >/dev/null
tag=$("$S" fs import "$work/vol" "$work/src" --key-file "$work/key" | tail -n 1)
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
declare -A res
for r in $(seq 1 "$runs"); do
  rm -rf "$work/cp" "$work/bak"
  res[cp]+="$(ms cp -a "$work/vol" "$work/cp") "
  res[tag]+="$(ms "$S" fs tag "$work/vol" --key-file "$work/key") "
  res[verify]+="$(ms "$S" fs verify "$work/vol" --key-file "$work/key" --tag "$tag") "
  res[backup]+="$(ms "$S" fs backup "$work/vol" "$work/bak" --key-file "$work/key") "
  res[restore]+="$(ms "$S" fs restore "$work/vol" "$work/bak" --approve "$tag" --key-file "$work/key") "
done
base=$(echo "${res[cp]}" | tr ' ' '\n' | grep . | median)
echo "| operation ($size MiB, 16 files, median of $runs) | ms | x cp -a |"
echo "|---|---|---|"
for k in cp tag verify backup restore; do
  m=$(echo "${res[$k]}" | tr ' ' '\n' | grep . | median)
  echo "| $k | $m | $(awk -v a="$m" -v b="$base" 'BEGIN {printf "%.1f", a / b}') |"
done
