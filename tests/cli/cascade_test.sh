#!/bin/sh
# The shipped cascade as a user runs it: `sdm generate` with the default model paints 64² and its
# upscaler (named in the model's sidecar) makes it 256²; both stages' previews, the seeds,
# --no-upscale, `sdm upscale` alone, `sdm edit` through both stages, `sdm bench` of the chain.
# usage: cascade_test.sh SDM ROOT_DIR
set -u
sdm=$1 root=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ print $3 * 256 + $4 "x" $7 * 256 + $8 }'; }
labels="--labels $root/resources/examples/landscape-labels.png"
# The upscaler samples the last 30 % of its trajectory (low_res_start): two of ddim7's steps.
fast="--steps ddim3 --upscale-steps ddim7"

"$sdm" info --json | grep -q '"upscaler": ".*upscaler.pt"' || fail "sdm info does not name the shipped upscaler"

# shellcheck disable=SC2086
"$sdm" generate $labels $fast --count 2 --seed 3 --save-steps 1 --out "$out/pair" 2>"$out/progress" || fail "generate exited $?"
[ "$(png_size "$out/pair/sample-000.png")" = 256x256 ] || fail "the cascade's picture is $(png_size "$out/pair/sample-000.png"), not 256x256"
for f in steps/sample-001-step-003.png steps/sample-001-detail-step-002.png; do
  [ -s "$out/pair/$f" ] || fail "generate did not write $f"
done
[ "$(png_size "$out/pair/steps/sample-001-step-003.png")" = 64x64 ] || fail "the layout preview is not 64x64"
grep -q "layout" "$out/progress" && grep -q "detail" "$out/progress" || fail "the progress does not show both stages"
# Variation 1 alone (seed 4) is variation 1 of the batch, in both stages, byte for byte (on a CPU
# the detail stage runs one picture at a time, so its sums are the same as alone).
# shellcheck disable=SC2086
"$sdm" generate $labels $fast --seed 4 --out "$out/alone" >/dev/null 2>&1 || fail "generate alone exited $?"
cmp -s "$out/pair/sample-001.png" "$out/alone/sample-000.png" || fail "variation 1 alone differs from the batch's"

# shellcheck disable=SC2086
"$sdm" generate $labels $fast --no-upscale --out "$out/base" >/dev/null 2>&1 || fail "generate --no-upscale exited $?"
[ "$(png_size "$out/base/sample-000.png")" = 64x64 ] || fail "--no-upscale did not give the 64x64 picture"

# The stage alone (the shipped upscaler, without --model) on the base's saved 64² picture.
# shellcheck disable=SC2086
"$sdm" upscale $labels --image "$out/base/sample-000.png" --steps ddim2 --out "$out/up" >/dev/null 2>&1 || fail "upscale exited $?"
[ "$(png_size "$out/up/sample-000.png")" = 256x256 ] || fail "upscale did not give 256x256"

# An edit of a 256² photo through both stages, written back at the photo's size.
"$sdm" scenes --count 1 --size 256 --seed 77 --out "$out/photo" >/dev/null 2>&1
# shellcheck disable=SC2086
"$sdm" edit $fast --photo "$out/photo/images/scene-000000.png" --labels "$out/photo/annotations/scene-000000.png" \
  --mask "$root/tests/data/cli/mask.png" --feather 4 --out "$out/edited.png" >/dev/null 2>&1 || fail "edit exited $?"
[ "$(png_size "$out/edited.png")" = 256x256 ] || fail "the edit is not at the photo's 256x256"

# shellcheck disable=SC2086
"$sdm" bench $fast --json >"$out/bench.json" 2>/dev/null || fail "bench exited $?"
grep -q '"chain_s":[0-9.e+-]*' "$out/bench.json" && grep -q '"upscaler":{' "$out/bench.json" || fail "bench has no chain figures: $(cat "$out/bench.json")"

[ $failures -eq 0 ] && echo "all cascade checks passed"
exit $failures
