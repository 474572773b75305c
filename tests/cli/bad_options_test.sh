#!/bin/sh
# A corpus of bad command lines, as a new user might type them: each must be answered with one
# line naming the option or file and the problem, exit status 1, before any model is loaded or
# any work is done — never an abort, a crash or a picture made from a nonsensical value.
# usage: bad_options_test.sh SDM SDM_PAINT|- DATA_DIR
set -u
sdm=$1 paint=$2 data=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failures=0 checked=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
model="--model $data/tiny.pt"
labels="--labels $data/tiny-labels.png"
: > "$out/a-file"

expect_error() {  # expect_error TEXT COMMAND…: one line on stderr containing TEXT, exit status 1
  text=$1; shift
  "$@" >"$out/stdout" 2>"$out/stderr" </dev/null
  status=$?
  checked=$((checked + 1))
  msg=$(grep -v '^note:' "$out/stderr")
  [ "$status" -eq 1 ] || fail "exit status $status (want 1) for: $*"
  [ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ] || fail "not one line for: $*: $msg"
  case "$msg" in *"$text"*) echo "ok: $msg" ;; *) fail "expected '$text' for: $*: $msg" ;; esac
}

# shellcheck disable=SC2086
{
# Numbers out of range, not numbers, not finite.
expect_error "--guidance" "$sdm" eval --maps "$data" --guidance 1,x
expect_error "--guidance" "$sdm" generate $model $labels --guidance nan --out "$out/g"
expect_error "--guidance" "$sdm" generate $model $labels --guidance inf --out "$out/g"
expect_error "--guidance" "$sdm" generate $model $labels --guidance -1 --out "$out/g"
expect_error "--eta" "$sdm" generate $model $labels --eta 2 --out "$out/g"
expect_error "--count" "$sdm" generate $model $labels --count 0 --out "$out/g"
expect_error "--count" "$sdm" generate $model $labels --count many --out "$out/g"
expect_error "--seed" "$sdm" generate $model $labels --seed -5 --out "$out/g"
expect_error "--threads" "$sdm" generate $model $labels --threads 0 --out "$out/g"
expect_error "--save-steps" "$sdm" generate $model $labels --save-steps -1 --out "$out/g"
expect_error "--deep-cache" "$sdm" generate $model $labels --deep-cache 0 --out "$out/g"
expect_error "--deep-cache-depth" "$sdm" generate $model $labels --deep-cache 3 --deep-cache-depth -1 --out "$out/g"
expect_error "--deep-cache-depth 99: $data/tiny.pt has" "$sdm" generate $model $labels --deep-cache 3 --deep-cache-depth 99 --out "$out/g"
expect_error "--deep-cache-depth 99" "$sdm" bench $model --deep-cache 2 --deep-cache-depth 99
expect_error "--upscale-deep-cache" "$sdm" generate $model $labels --upscale-deep-cache 0 --out "$out/g"
expect_error "--num-heads" "$sdm" generate $model $labels --num-heads -3 --out "$out/g"
expect_error "--feather" "$sdm" edit $model $labels --photo "$data/cli/photo.png" --mask "$data/cli/mask.png" --feather -1 --out "$out/e.png"
expect_error "--jump-n" "$sdm" edit $model $labels --photo "$data/cli/photo.png" --mask "$data/cli/mask.png" --jump-n 0 --out "$out/e.png"
expect_error "--batch" "$sdm" bench $model --batch 0
expect_error "--lr" "$sdm" train --data "$data" --out "$out/t" --lr nan
expect_error "--drop-rate" "$sdm" train --data "$data" --out "$out/t" --drop-rate 2
expect_error "--save-every" "$sdm" train --data "$data" --out "$out/t" --save-every 0
expect_error "--channel-mult" "$sdm" train --data "$data" --out "$out/t" --channel-mult 1,x
expect_error "--image-size" "$sdm" segmenter --data "$data" --validation "$data" --out "$out/s.pt" --image-size 30
expect_error "--size" "$sdm" scenes --size 10 --out "$out/sc"
expect_error "--per-map" "$sdm" eval --maps "$data" --per-map 0
# Names that mean nothing.
expect_error "steps 'ddim0'" "$sdm" generate $model $labels --steps ddim0 --out "$out/g"
expect_error "steps 'ddim1': ddim takes at least 2 steps" "$sdm" generate $model $labels --steps ddim1 --out "$out/g"
expect_error "steps '0'" "$sdm" generate $model $labels --steps 0 --out "$out/g"
expect_error "steps 'dpm++'" "$sdm" generate $model $labels --steps dpm++ --out "$out/g"
expect_error "steps 'fast'" "$sdm" bench $model --steps fast
expect_error "unknown device 'tpu'" "$sdm" generate $model $labels --device tpu --out "$out/g"
expect_error "--dtype" "$sdm" generate $model $labels --dtype fp8 --out "$out/g"
expect_error "--classes" "$sdm" train --data "$data" --out "$out/t" --classes nosuch
expect_error "--frobnicate" "$sdm" generate $model $labels --frobnicate --out "$out/g"
expect_error "subcommand" "$sdm"
# Files and folders that are missing, of the wrong kind, or cannot be written.
expect_error "$out/none.png: no such file" "$sdm" generate $model --labels "$out/none.png" --out "$out/g"
expect_error "$out: is a folder" "$sdm" generate $model --labels "$out" --out "$out/g"
expect_error "$out/none.pt: no such file" "$sdm" generate --model "$out/none.pt" $labels --out "$out/g"
expect_error "$out/none.pt: no such file" "$sdm" info "$out/none.pt"
expect_error "$out/none: no such folder" "$sdm" eval --maps "$out/none"
expect_error "$out/none: no such folder" "$sdm" train --data "$out/none" --out "$out/t"
expect_error "$out/a-file: is a file, not a folder" "$sdm" generate $model $labels --out "$out/a-file"
expect_error "$out/a-file is a file, not a folder" "$sdm" generate $model $labels --out "$out/a-file/inside"
expect_error "$out: is a folder, not a file" "$sdm" edit $model $labels --photo "$data/cli/photo.png" --mask "$data/cli/mask.png" --out "$out"
expect_error "$out/a-file is a file, not a folder" "$sdm" eval --maps "$data" --report "$out/a-file/report.md"
expect_error "$out/a-file: is a file, not a folder" "$sdm" scenes --out "$out/a-file"
# Cascade stages that do not fit together (these load the models first).
sr="--model $data/tiny-sr.pt"
sr_labels="--labels $data/tiny-sr-labels.png"
expect_error "$data/tiny-sr.pt: is a super-resolution stage, not a base model" "$sdm" generate $sr $sr_labels --out "$out/g"
expect_error "$data/tiny.pt: is a base model, not a super-resolution stage" "$sdm" upscale $model $labels --image "$data/cli/photo.png" --out "$out/g"
expect_error "$data/tiny.pt: is a base model, not a super-resolution stage" "$sdm" generate $model $labels --upscaler "$data/tiny.pt" --out "$out/g"
expect_error "$data/tiny-sr.pt: the upscaler's label space" "$sdm" generate $model $labels --upscaler "$data/tiny-sr.pt" --out "$out/g"
expect_error "$data/cli/labels-wide.png: the picture is" "$sdm" upscale $sr $sr_labels --image "$data/cli/labels-wide.png" --out "$out/g"
expect_error "--upscale-steps" "$sdm" generate $model $labels --upscale-steps ddim0 --out "$out/g"
}
[ -d "$out/g" ] && fail "a refused command made its output folder"

# The app refuses the same way before it opens a window.
if [ "$paint" != "-" ]; then
  # Offscreen, with a runtime folder of its own so that Qt adds no warning line of its own.
  export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$out/runtime"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  expect_error "$out/none.png: no such file" "$paint" --labels "$out/none.png"
  expect_error "$out/none.jpg: no such file" "$paint" --photo "$out/none.jpg"
  expect_error "$out/none.png: no such file" "$paint" --mask "$out/none.png"
  expect_error "$out/none.pt: no such file" "$paint" --model "$out/none.pt"
  expect_error "$out/none-sr.pt: no such file" "$paint" --upscaler "$out/none-sr.pt"
  expect_error "$out/none.sdmp: no such file" "$paint" "$out/none.sdmp"
  expect_error "frobnicate" "$paint" --frobnicate
fi

echo "bad command lines: $checked tried, $failures failures"
[ $failures -eq 0 ]
