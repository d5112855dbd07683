#!/usr/bin/env bash
# Start-up of the hanlex command: the native build (dotnet publish -r RID, compiled ahead of time) against the same
# command run by the JIT. Each round runs both, in turn, on one sentence with the default model built in, and records
# the whole command's wall time and the model load it reports on stderr. Prints the median and range of each.
# usage: bench/startup.sh [ROUNDS] [WORK_DIR]   (default 16 rounds in /tmp/hanlex-startup)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-16}"
work="${2:-/tmp/hanlex-startup}"
rid="$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')"
cli="$here/src/HanLex.Cli/HanLex.Cli.csproj"
dotnet publish "$cli" -c Release -r "$rid" -o "$work/native" -v q -nologo >/dev/null
dotnet publish "$cli" -c Release -r "$rid" -p:PublishAot=false --self-contained false -o "$work/jit" -v q -nologo >/dev/null
sentence="湖北省环保厅和省公安消防总队联合下发通知"
for build in native jit; do : >"$work/$build.wall"; : >"$work/$build.load"; done
for ((i = 0; i < rounds; i++)); do
  for build in native jit; do
    start=$(date +%s%N)
    echo "$sentence" | "$work/$build/hanlex" analyze >/dev/null 2>"$work/err"
    end=$(date +%s%N)
    echo $(((end - start) / 1000000)) >>"$work/$build.wall"
    grep -o 'loading the model in [0-9]* ms' "$work/err" | grep -o '[0-9]*' >>"$work/$build.load"
  done
done
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "median %d ms (%d-%d)", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'; }
echo "echo SENTENCE | hanlex analyze, $rounds rounds, $rid, $(nproc) cores"
for build in native jit; do
  echo "$build: whole command $(stats "$work/$build.wall"); model load $(stats "$work/$build.load")"
done
