# Sourced by the bench scripts that drive `sconej run`: a local sim CAS and one session per
# application. Needs S (bin/sconej) and work (a scratch directory); sets cas_pid and url, and
# defines session, srun, ms and median. The caller's EXIT trap kills $cas_pid.
# shellcheck shell=bash
"$S" platform init --dir "$work/plat" >/dev/null 2>&1
"$S" cas serve --data "$work/cas" --port 0 --trust-platform "$work/plat/platform-cert.pem" \
  > "$work/cas.log" 2>&1 &
cas_pid=$!
for _ in $(seq 1 100); do grep -q '^listening:' "$work/cas.log" 2>/dev/null && break; sleep 0.2; done
url=$(sed -n 's/^listening: //p' "$work/cas.log")
"$S" session identity --out "$work/owner.pem" >/dev/null
session() { # name classpath command-yaml
  local m; m=$("$S" run --class-path "$2" --cas-ca "$work/cas/cas-ca.pem" --print-measurement | tail -n 1)
  cat > "$work/$1.yaml" <<YAML
name: bench/$1
version: 1
services:
  - name: app
    attestation: {measurements: [$m], modes: [sim]}
    command: $3
    volumes: [{name: data, path: /data, kind: encrypted}]
    console: unprotected
security: {tolerate: [simulation]}
YAML
  "$S" session create --cas "$url" --cas-ca "$work/cas/cas-ca.pem" --identity "$work/owner.pem" \
    --file "$work/$1.yaml" >/dev/null
}
srun() { # name classpath volume-dir (a run that hangs is killed after 10 minutes)
  timeout 600 "$S" run --cas "${url#https://}" --cas-ca "$work/cas/cas-ca.pem" \
    --config-id "bench/$1/app" --class-path "$2" --volume data="$3" --platform "$work/plat"
}
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
