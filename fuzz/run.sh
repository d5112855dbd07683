#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with AFL++ and SharpFuzz.
# usage: fuzz/run.sh TARGET [SECONDS] [FINDINGS_DIR]
#   TARGET: lines detect pd2014 pd1998 seg conllu bio analyze model (see fuzz/HanLex.Fuzz/FuzzTargets.cs)
# Needs afl-fuzz (Debian: apt-get install afl++); installs the sharpfuzz instrumenter as a .NET tool.
# Crashing inputs are copied into fuzz/corpus/TARGET/crash-*, so that once fixed CI replays them for good, and the
# script exits 1.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:?usage: fuzz/run.sh TARGET [SECONDS] [FINDINGS_DIR]}"
seconds="${2:-600}"
findings="${3:-/tmp/hanlex-fuzz/$target}"
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
bin=/tmp/hanlex-fuzz/bin
if [ ! -f "$bin/.instrumented" ]; then
  dotnet publish "$here/fuzz/HanLex.Fuzz" -c Release -o "$bin" -v q -nologo
  sharpfuzz "$bin/HanLex.Core.dll"
  touch "$bin/.instrumented"
fi
mkdir -p "$findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1
timeout --preserve-status "$seconds" afl-fuzz -i "$here/fuzz/corpus/$target" -o "$findings" -t 10000 -m none \
  -- dotnet "$bin/HanLex.Fuzz.dll" "$target" > "$findings/afl.log" 2>&1 || true
stats="$findings/default/fuzzer_stats"
[ -f "$stats" ] && grep -E "^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|run_time)" "$stats"
n=0
for f in "$findings"/default/queue/id:*; do
  [ -f "$f" ] || continue
  case "$f" in *orig:*) continue;; esac
  n=$((n + 1))
done
echo "$target: $n new inputs in $findings/default/queue"
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
if [ "$crashes" -gt 0 ]; then
  for f in "$findings"/default/crashes/id:*; do cp "$f" "$here/fuzz/corpus/$target/crash-$(sha1sum "$f" | cut -c1-12)"; done
  echo "$target: $crashes crashing inputs in $findings/default/crashes; replay: dotnet $bin/HanLex.Fuzz.dll $target FILE" >&2
  exit 1
fi
