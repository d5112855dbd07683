#!/usr/bin/env bash
# Reproduces the pd98 accuracy figures of README.md and models/MODEL_CARD.md:
# writes the fixed split, trains on train.txt, scores on test.txt.
# usage: bench/accuracy.sh [WORK_DIR]   (default /tmp/hanlex-pd98)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/hanlex-pd98}"
python3 "$here/../shared/benchmarks/pd98/make.py" "$work"
dotnet build -c Release "$here/src/HanLex.Cli" -v q -nologo >/dev/null
hanlex() { dotnet "$here/src/HanLex.Cli/bin/Release/net10.0/hanlex.dll" "$@"; }
/usr/bin/time -v -o "$work/train.time" dotnet "$here/src/HanLex.Cli/bin/Release/net10.0/hanlex.dll" \
  train --word-classes --ensemble 3 --train "$work/train.txt" --model "$work/model" 2>&1 | grep -E "kept|wrote|hlm|epoch 30/"
echo "training: $(grep -E 'Elapsed' "$work/train.time")"
echo "== segmentation";            hanlex eval --model "$work/model" --task cws --gold "$work/test.txt" --train "$work/train.txt"
echo "== part of speech";          hanlex eval --model "$work/model" --task pos --gold "$work/test.txt"
echo "== named entities (nr ns nt)"; hanlex eval --model "$work/model" --task ner --gold "$work/test.txt"
