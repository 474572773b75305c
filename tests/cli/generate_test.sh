#!/bin/sh
# `sdm generate` and `sdm edit` end to end on the tiny reference checkpoint, and their errors: each
# a single line naming the file or option, with a non-zero exit status.
# usage: generate_test.sh SDM DATA_DIR
set -u
sdm=$1 data=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
model="--model $data/tiny.pt"
labels="--labels $data/tiny-labels.png --instances $data/tiny-instances.png"

# shellcheck disable=SC2086
"$sdm" generate $model $labels --steps ddim10 --count 2 --seed 11 --save-steps 5 --out "$out/gen" || fail "generate exited $?"
for f in sample-000.png sample-001.png steps/sample-000-step-005.png steps/sample-001-step-010.png; do
  [ -s "$out/gen/$f" ] || fail "generate did not write $f"
done
# Variation 1 re-rendered alone (seed + 1) is the same file.
# shellcheck disable=SC2086
"$sdm" generate $model $labels --steps ddim10 --seed 12 --out "$out/alone" >/dev/null 2>&1 || fail "generate alone failed"
cmp -s "$out/gen/sample-001.png" "$out/alone/sample-000.png" || fail "variation 1 alone differs from variation 1 of the batch"

# The shipped default model, its class set (ADE20K ids) and its recommended sampler.
"$sdm" generate --labels "$data/../../resources/examples/landscape-labels.png" --count 1 --out "$out/default" >/dev/null 2>&1 \
  || fail "generate with the default model exited $?"
[ -s "$out/default/sample-000.png" ] || fail "generate with the default model wrote nothing"

# shellcheck disable=SC2086
"$sdm" edit $model $labels --photo "$data/cli/photo.png" --mask "$data/cli/mask.png" --steps ddim10 --jump-length 2 \
  --jump-n 2 --feather 3 --out "$out/edited.png" || fail "edit exited $?"
[ -s "$out/edited.png" ] || fail "edit wrote nothing"

"$sdm" scenes --count 2 --size 64 --seed 5 --out "$out/scenes" >/dev/null 2>&1 || fail "scenes exited $?"
for f in images/scene-000000.png images/scene-000001.png annotations/scene-000000.png annotations/scene-000001.png; do
  [ -s "$out/scenes/$f" ] || fail "scenes did not write $f"
done

expect_error() {  # expect_error TEXT COMMAND…: one line containing TEXT, exit status 1
  text=$1; shift
  "$@" >/dev/null 2>"$out/stderr"
  status=$?
  msg=$(grep -v '^note:' "$out/stderr")
  [ "$status" -eq 1 ] || fail "exit status $status for: $*"
  [ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ] || fail "not one line: $msg"
  case "$msg" in *"$text"*) echo "ok: $msg" ;; *) fail "expected '$text' in: $msg" ;; esac
}
# shellcheck disable=SC2086
{
expect_error "no such file" "$sdm" generate $model --labels "$out/none.png" --out "$out/x"
expect_error "does not have the model's aspect ratio" "$sdm" generate $model --labels "$data/cli/labels-wide.png" --out "$out/x"
expect_error "id 40 (128 px)" "$sdm" generate $model --labels "$data/cli/labels-unknown-ids.png" --out "$out/x"
expect_error "a PNG image, not a checkpoint" "$sdm" generate --model "$data/bad/image.pt" $labels --out "$out/x"
expect_error "steps 'quick'" "$sdm" generate $model $labels --steps quick --out "$out/x"
expect_error "not a readable image" "$sdm" generate $model --labels "$data/bad/notes.pt" --out "$out/x"
expect_error "the mask is 48x40 but the photo is 64x64" "$sdm" edit $model $labels --photo "$data/cli/photo.png" --mask "$data/cli/mask-48.png" --out "$out/e.png"
expect_error "photo.png: no such file" "$sdm" edit $model $labels --photo "$out/photo.png" --mask "$data/cli/mask.png" --out "$out/e.png"
}
if ! "$sdm" generate $model $labels --device cuda --steps ddim10 --out "$out/cuda" >/dev/null 2>&1; then
  expect_error "no CUDA GPU" "$sdm" generate $model $labels --device cuda --out "$out/x"
fi

[ $failures -eq 0 ] && echo "all sdm generate/edit checks passed"
exit $failures
