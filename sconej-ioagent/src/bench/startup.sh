#!/usr/bin/env bash
# Hello-world start-up with and without sconej-ioagent, measured with hyperfine in one run.
# Usage (from the worktree root, after bin/build -q package -pl sconej-ioagent -DskipTests):
#   sconej-ioagent/src/bench/startup.sh [runs]
# Writes sconej-ioagent/target/startup/{startup.json,summary.md,uptime.txt}.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../../bin/find-jdk"
J="$SCONEJ_JDK/bin"
runs="${1:-40}"
agent="$(ls "$here"/../../target/sconej-ioagent-*.jar | head -1)"
work="$here/../../target/startup"
rm -rf "$work" && mkdir -p "$work"
"$J/javac" -XDstringConcat=inline -d "$work" "$here/Hello.java" "$here/EmptyAgent.java"
cd "$work"
printf 'Premain-Class: EmptyAgent\n' > empty.mf
"$J/jar" cfm empty-agent.jar empty.mf EmptyAgent.class
# The same application as an executable jar, plain and with the agent as Launcher-Agent-Class
# (loaded by the launcher after the module graph is up, instead of -javaagent).
cp "$agent" agent.jar
printf 'Main-Class: Hello\n' > plain.mf
"$J/jar" cfm hello.jar plain.mf Hello.class
printf 'Main-Class: Hello\nLauncher-Agent-Class: io.sconej.ioagent.IoAgent\nCan-Retransform-Classes: true\nClass-Path: agent.jar\n' > launcher.mf
"$J/jar" cfm hello-launcher.jar launcher.mf Hello.class
# AOT caches (JEP 483/514, JDK 25): one trained without, one with the agent.
"$J/java" -XX:AOTCacheOutput=plain.aot -cp . Hello >/dev/null 2>&1
"$J/java" -XX:AOTCacheOutput=agent.aot -XX:-PrintWarnings -javaagent:"$agent" -cp . Hello \
  >/dev/null 2>&1
uptime > uptime.txt
hyperfine -N --warmup 3 --runs "$runs" --export-json startup.json \
  -n "no agent (baseline)" "$J/java -cp . Hello" \
  -n "empty agent (-javaagent cost alone)" "$J/java -javaagent:empty-agent.jar -cp . Hello" \
  -n "agent jar on boot class path, no agent" "$J/java -Xbootclasspath/a:$agent -cp . Hello" \
  -n "sconej-ioagent, 4 classes (default)" \
  "$J/java -XX:-PrintWarnings -javaagent:$agent -cp . Hello" \
  -n "sconej-ioagent, FileInputStream+FileOutputStream only" \
  "$J/java -XX:-PrintWarnings -javaagent:$agent=classes=FileInputStream,FileOutputStream -cp . Hello" \
  -n "no agent, AOT cache" "$J/java -XX:AOTCache=plain.aot -cp . Hello" \
  -n "java -jar, no agent" "$J/java -jar hello.jar" \
  -n "java -jar, sconej-ioagent as Launcher-Agent-Class" \
  "$J/java -XX:-PrintWarnings -jar hello-launcher.jar" \
  -n "sconej-ioagent, 4 classes, AOT cache" \
  "$J/java -XX:AOTCache=agent.aot -XX:-PrintWarnings -javaagent:$agent -cp . Hello" \
  >/dev/null
uptime >> uptime.txt
python3 - <<'PY' > summary.md
import json
r = json.load(open("startup.json"))["results"]
base = r[0]["median"]
print("| variant | median ms | added ms vs baseline | min ms | CPU (user+sys) ms |")
print("|---|---:|---:|---:|---:|")
for x in r:
    print("| %s | %.1f | %+.1f | %.1f | %.1f |" % (x["command"], x["median"] * 1e3,
          (x["median"] - base) * 1e3, x["min"] * 1e3, (x["user"] + x["system"]) * 1e3))
PY
cat uptime.txt summary.md
