#!/usr/bin/env bash
# Synchronous small appends (FileChannel DSYNC, RandomAccessFile "rwd"), plain host files vs a
# sconej volume in one run (io.sconej.bench.fs.DsyncBench), with the sconej java.io agent loaded
# so that RandomAccessFile reaches the volume as under `sconej run`. Prints Markdown.
#
# Usage: bench/dsync-bench.sh [--strace] [DsyncBench options, e.g. --records 2000 --reps 5]
#   --strace  instead of timing, counts fsync, fdatasync, write, pwrite64 and pread64 per record for
#             each row with `strace -f -c` (one JVM per row; a run with no records is subtracted).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
# shellcheck source=../bin/find-jdk
source "$root/bin/find-jdk"

strace=0 args=()
for a in "$@"; do
  case "$a" in
    --strace) strace=1 ;;
    *) args+=("$a") ;;
  esac
done
work="$(mktemp -d "${SCONEJ_BENCH_DIR:-/var/tmp}/sconej-dsync-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cd "$root"
cp="$work/classpath.txt"
bin/build -q package -DskipTests -pl sconej-bench,sconej-ioagent -am dependency:build-classpath \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime >&2
agent="$(ls "$root"/sconej-ioagent/target/sconej-ioagent-*.jar | grep -v -e sources -e tests | head -1)"
classpath="$root/sconej-bench/target/classes:$(grep -o '[^:]*' "$cp" | grep -v sconej-ioagent | paste -sd:)"
java=("$SCONEJ_JDK/bin/java" -XX:-PrintWarnings "-javaagent:$agent" -cp "$classpath"
  io.sconej.bench.fs.DsyncBench)

if [ "$strace" = 0 ]; then
  echo "dsync-bench: load before: $(uptime)" >&2
  "${java[@]}" --work-dir "$work/run" --command "bench/dsync-bench.sh $*" "${args[@]}"
  exit 0
fi

command -v strace >/dev/null || { echo "dsync-bench: strace is missing (apt-get install strace)" >&2; exit 2; }
records=1000
for ((i = 0; i < ${#args[@]}; i++)); do
  [ "${args[$i]}" = "--records" ] && records="${args[$((i + 1))]}"
done
count() { # row records -> "fsync fdatasync write pwrite64 pread64"
  rm -rf "$work/run"
  strace -f -c -o "$work/strace.txt" -e trace=fsync,fdatasync,write,pwrite64,pread64 \
    "${java[@]}" --work-dir "$work/run" --only "$1" --records "$2" >/dev/null 2>&1
  for s in fsync fdatasync write pwrite64 pread64; do
    awk -v s="$s" '$NF == s { n = ($4 ~ /^[0-9]+$/) ? $4 : $5; print n; f = 1 } END { if (!f) print 0 }' "$work/strace.txt"
  done | paste -sd' '
}
echo "Command: \`bench/dsync-bench.sh $*\`; $records records per row; per record, after subtracting the same row with 0 records."
echo
echo "| row | fsync | fdatasync | write | pwrite64 | pread64 |"
echo "|---|---:|---:|---:|---:|---:|"
for row in plain-fc volume-fc plain-raf volume-raf; do
  read -r b1 b2 b3 b4 b5 <<<"$(count "$row" 0)"
  read -r c1 c2 c3 c4 c5 <<<"$(count "$row" "$records")"
  awk -v r="$row" -v n="$records" -v a="$((c1 - b1))" -v b="$((c2 - b2))" -v c="$((c3 - b3))" \
    -v d="$((c4 - b4))" -v e="$((c5 - b5))" \
    'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", r, a / n, b / n, c / n, d / n, e / n }'
done
