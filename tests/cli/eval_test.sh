#!/bin/sh
# `sdm eval` end to end on the shipped model and segmenter, with two held-out scenes and a 2-step
# sampler: every report it promises is written, with the figures in range. Usage: eval_test.sh SDM
set -eu
sdm=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$sdm" scenes --count 2 --size 64 --seed 1000000 --out "$out/maps" >/dev/null || fail "scenes exited $?"
"$sdm" eval --maps "$out/maps" --count 2 --per-map 2 --guidance 1,2 --steps ddim2 --threads 2 \
  --report "$out/eval.md" --json "$out/eval.json" --plot "$out/sweep.png" --grid "$out/grid.png" >/dev/null 2>&1 \
  || fail "eval exited $?"
for file in eval.md eval.json sweep.png grid.png; do [ -s "$out/$file" ] || fail "eval wrote no $file"; done
grep -q '| real pictures (ceiling) | 0\.[0-9]' "$out/eval.md" || fail "the report lacks the real pictures' mIoU"
grep -q '| real pictures, each against another map (floor) | 0\.[0-9]' "$out/eval.md" || fail "the report lacks the floor"
grep -q 'mean colour with gain' "$out/eval.md" || fail "the report lacks the noise prediction's gains"
[ "$(grep -c '"guidance"' "$out/eval.json")" -eq 2 ] || fail "the JSON lacks a guidance scale"
# A missing folder is one clear error.
"$sdm" eval --maps "$out/none" --count 2 2>"$out/err" && fail "eval of a missing folder succeeded"
grep -q "$out/none" "$out/err" || fail "the error does not name the folder: $(cat "$out/err")"
echo "eval ok"
