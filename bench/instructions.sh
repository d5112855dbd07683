#!/usr/bin/env bash
# Instructions a character of word ranges or analysis, counted by callgrind, and where they go by function
# (docs/performance.md, "Session 30"). Counts do not swing with the machine as timings do: a change of 2% shows.
# A native build runs the text once and five times; the difference over the four extra passes is the steady state's
# count, the model load left out. Needs valgrind.
# usage: bench/instructions.sh RAW_TEXT ranges|analyze [MODEL_DIR] [WORK_DIR]   (MODEL_DIR: models/pku98)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
text="$1"; mode="$2"; model="${3:-$here/models/pku98}"; work="${4:-/tmp/hanlex-instructions}"
command -v valgrind >/dev/null || { echo "bench/instructions.sh needs valgrind" >&2; exit 2; }
mkdir -p "$work"
dotnet publish "$here/bench/HanLex.Instructions" -c Release -o "$work/bin" -v q -nologo >/dev/null
# valgrind 3.19 cannot read the DWARF 5 debug file the program links to: run a copy without the link, and name the
# functions from that file's symbol table instead.
cp "$work/bin/HanLex.Instructions" "$work/program"
objcopy --remove-section=.gnu_debuglink "$work/program"
nm -n --defined-only "$work/bin/HanLex.Instructions.dbg" | awk 'tolower($2) == "t" {print $1, $3}' > "$work/symbols"
for passes in 1 5; do
  valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$work/callgrind.$passes" \
    "$work/program" "$text" "$passes" "$mode" "$model" > "$work/output.$passes" 2> "$work/valgrind.$passes"
done
python3 - "$work" <<'PY'
import bisect, collections, sys
work = sys.argv[1]
chars = int(open(f"{work}/output.1").read().split()[1])
symbols = [(int(a, 16), name) for a, name in (line.split() for line in open(f"{work}/symbols"))]
starts = [a for a, _ in symbols]
BASE = 0x108000  # where valgrind loads a position-independent program
def costs(path):
    cost, address, skip = collections.Counter(), 0, False
    for line in open(path):
        if line[0] not in "0123456789+-*":  # a cost line starts with an address; the rest name files, functions, calls
            skip = skip or line.startswith("calls=")
            continue
        fields = line.split()
        if len(fields) < 3:
            continue
        a = fields[0]
        if a.startswith("0x"): address = int(a, 16)
        elif a[0] == "+": address += int(a[1:])
        elif a[0] == "-": address -= int(a[1:])
        if skip:  # the line after calls= is the call's inclusive cost, counted where it was spent
            skip = False
            continue
        x = address - BASE
        i = bisect.bisect_right(starts, x) - 1
        inside = 0 <= i and starts[0] <= x < starts[-1] + 0x10000
        cost[symbols[i][1] if inside else "(outside the program: libc, kernel)"] += int(fields[2])
    return cost
once, five = costs(f"{work}/callgrind.1"), costs(f"{work}/callgrind.5")
per = {k: (five[k] - once[k]) / (4 * chars) for k in set(once) | set(five)}
print(f"{sum(per.values()):8.1f} instructions a character ({chars:,} characters, 4 passes)")
for name, value in sorted(per.items(), key=lambda kv: -kv[1])[:25]:
    print(f"{value:8.1f}  {name.removeprefix('HanLex_Core_HanLex_')}")
PY
