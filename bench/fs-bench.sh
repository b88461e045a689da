#!/usr/bin/env bash
# File system shield benchmark: plain FileChannel, raw AES-GCM, a sconej volume and gocryptfs,
# measured in one run on the same data (io.sconej.bench.fs.FsBench). Writes Markdown to stdout
# and to docs/benchmarks-fs.results.md unless --out is given.
#
# Usage: bench/fs-bench.sh [--smoke] [--no-gocryptfs] [FsBench options, e.g. --size-mib 256]
# Needs: JDK 25, Maven; gocryptfs and fuse3 (installed with apt-get if missing and root).
# Root is also needed to drop the page cache before the cold sequential read.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
# shellcheck source=../bin/find-jdk
source "$root/bin/find-jdk"

smoke=0 gocrypt=1 args=()
for a in "$@"; do
  case "$a" in
    --smoke) smoke=1; gocrypt=0; args+=("$a") ;;
    --no-gocryptfs) gocrypt=0 ;;
    *) args+=("$a") ;;
  esac
done

work="$(mktemp -d "${SCONEJ_BENCH_DIR:-/var/tmp}/sconej-fs-bench.XXXXXX")"
mounted=""
cleanup() {
  if [ -n "$mounted" ]; then fusermount -u "$mounted" 2>/dev/null || fusermount3 -u "$mounted" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

extra=()
if [ "$gocrypt" = 1 ]; then
  if ! command -v gocryptfs >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "fs-bench: installing gocryptfs and fuse3" >&2
      apt-get update -q >&2 && apt-get install -y -q gocryptfs fuse3 >&2
    else
      echo "fs-bench: gocryptfs is missing (Debian: apt-get install gocryptfs fuse3); or pass --no-gocryptfs" >&2
      exit 2
    fi
  fi
  mkdir -p "$work/gocryptfs-cipher" "$work/gocryptfs-plain"
  head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/gocryptfs.pass"
  gocryptfs -init -q -passfile "$work/gocryptfs.pass" "$work/gocryptfs-cipher" >&2
  gocryptfs -q -nosyslog -passfile "$work/gocryptfs.pass" "$work/gocryptfs-cipher" "$work/gocryptfs-plain" >&2
  mounted="$work/gocryptfs-plain"
  extra+=(--gocryptfs-mount "$mounted")
fi
if [ "$smoke" = 0 ] && [ "$(id -u)" = 0 ]; then extra+=(--drop-caches); fi

cd "$root"
cp="$work/classpath.txt"
bin/build -q package -DskipTests -pl sconej-bench -am dependency:build-classpath \
  -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime >&2
classpath="$root/sconej-bench/target/classes:$(cat "$cp")"
cmd="bench/fs-bench.sh $*"
out=(--out "$root/docs/benchmarks-fs.results.md")
for a in "${args[@]}"; do [ "$a" = "--out" ] && out=(); done
echo "fs-bench: load before: $(uptime)" >&2
"$SCONEJ_JDK/bin/java" -Xmx4g -cp "$classpath" io.sconej.bench.fs.FsBench \
  --work-dir "$work/run" --command "$cmd" "${extra[@]}" "${out[@]}" "${args[@]}"
