#!/bin/sh
# `sdm eval` end to end on the shipped model and segmenter, with two held-out scenes and a 2-step
# sampler: every report it promises is written, with the figures in range. Usage: eval_test.sh SDM
set -eu
sdm=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$sdm" scenes --count 2 --size 64 --seed 1000000 --out "$out/maps" >/dev/null || fail "scenes exited $?"
"$sdm" eval --maps "$out/maps" --count 2 --per-map 2 --guidance 1,2 --steps ddim2 --threads 2 --no-upscale \
  --report "$out/eval.md" --json "$out/eval.json" --plot "$out/sweep.png" --grid "$out/grid.png" >/dev/null 2>&1 \
  || fail "eval exited $?"
for file in eval.md eval.json sweep.png grid.png; do [ -s "$out/$file" ] || fail "eval wrote no $file"; done
grep -q '| real pictures (ceiling) | 0\.[0-9]' "$out/eval.md" || fail "the report lacks the real pictures' mIoU"
grep -q '| real pictures, each against another map (floor) | 0\.[0-9]' "$out/eval.md" || fail "the report lacks the floor"
grep -q 'mean colour with gain' "$out/eval.md" || fail "the report lacks the noise prediction's gains"
[ "$(grep -c '"guidance"' "$out/eval.json")" -eq 2 ] || fail "the JSON lacks a guidance scale"

# The figures mean what they say: every mIoU is in [0, 1], the real pictures read against their own
# maps (the ceiling) above those read against other maps (the floor), two seeds per map differ
# (diversity > 0), and the report's table shows the JSON's figures.
values() { grep -o "\"$1\": [-0-9.e+]*" "$out/eval.json" | awk '{ print $2 }'; }
for miou in $(values miou) $(values real_miou) $(values mismatched_miou); do
  awk -v x="$miou" 'BEGIN { exit !(x >= 0 && x <= 1) }' || fail "an mIoU outside [0, 1]: $miou"
done
awk -v real="$(values real_miou)" -v floor="$(values mismatched_miou)" 'BEGIN { exit !(real > floor) }' \
  || fail "the ceiling $(values real_miou) is not above the floor $(values mismatched_miou)"
for diversity in $(values perceptual_diversity) $(values pixel_diversity); do
  awk -v x="$diversity" 'BEGIN { exit !(x > 0) }' || fail "two seeds of a map gave the same picture (diversity $diversity)"
done
for s in 1 2; do
  miou=$(values miou | sed -n "${s}p")
  row=$(printf '| %.1f | %.3f |' "$s" "$miou")
  grep -qF "$row" "$out/eval.md" || fail "the report lacks the row '$row' of the JSON's mIoU $miou"
done
# The shipped cascade, graded at 256² on 256² maps: the detail measure of its pictures and of the
# real ones (procedural scenes with texture: clearly above 0), mIoU by the 64² judge.
"$sdm" scenes --count 1 --size 256 --seed 1000000 --out "$out/maps256" >/dev/null || fail "scenes exited $?"
"$sdm" eval --maps "$out/maps256" --count 1 --per-map 2 --guidance 1.5 --steps ddim2 --upscale-steps ddim2 --threads 2 \
  --report "$out/cascade.md" --json "$out/eval.json" >/dev/null 2>&1 || fail "eval of the cascade exited $?"
grep -q '"image_size": \[' "$out/eval.json" && tr -d ' \n' <"$out/eval.json" | grep -q '"image_size":\[256,256\]' \
  || fail "the cascade was not graded at 256x256"
awk -v x="$(values real_detail)" 'BEGIN { exit !(x > 0.01 && x < 1) }' || fail "real pictures' detail share $(values real_detail)"
awk -v x="$(values detail)" 'BEGIN { exit !(x > 0 && x < 1) }' || fail "the cascade's detail share $(values detail)"
grep -q 'area-downsampled' "$out/cascade.md" || fail "the report does not say how the cascade was judged"
# A missing folder is one clear error.
"$sdm" eval --maps "$out/none" --count 2 2>"$out/err" && fail "eval of a missing folder succeeded"
grep -q "$out/none" "$out/err" || fail "the error does not name the folder: $(cat "$out/err")"
echo "eval ok"
