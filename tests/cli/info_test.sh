#!/bin/sh
# `sdm info` as a user runs it: the tiny reference checkpoint is described, in text and JSON, and
# every bad file gets exactly one error line naming it, with a non-zero exit status.
# usage: info_test.sh SDM DATA_DIR
set -u
sdm=$1 data=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

text=$("$sdm" info "$data/tiny.pt") || fail "sdm info tiny.pt exited $?"
echo "$text" | grep -q "image size: *32x32" || fail "text output lacks the 32x32 image size: $text"
echo "$text" | grep -q "classes: *19 + instance-edge channel" || fail "text output lacks the classes: $text"

json=$("$sdm" info "$data/tiny.pt" --json) || fail "sdm info --json exited $?"
# The parameter count the reference's layout of tiny.pt adds up to (name → shape under "keys").
parameters=$(awk '/"keys"/ { keys = 1; next } keys && /\[/ { size = 1 } keys && /^ *[0-9]+,? *$/ { size *= $1 } keys && /\]/ { total += size } END { print total }' "$data/tiny.json")
for pair in '"num_classes": 19' '"instance_edges": true' '"num_channels": 32' '"num_res_blocks": 1' \
            '"num_head_channels": 16' '"learn_sigma": true' "\"parameters\": $parameters" '"dataset": "celeba"'; do
  echo "$json" | grep -q "$pair" || fail "JSON lacks $pair"
done

echo "$json" | grep -q '"super_resolution": false' || fail "tiny.pt is not described as a base model"

# The reference's SuperResModel: a super-resolution stage from 16x16, the size its sidecar's flags give.
sr=$("$sdm" info "$data/tiny-sr.pt" --json) || fail "sdm info --json tiny-sr.pt exited $?"
echo "$sr" | grep -q '"super_resolution": true' || fail "tiny-sr.pt is not described as a super-resolution stage: $sr"
echo "$sr" | tr -d ' \n' | grep -q '"low_res_size":\[16,16\]' || fail "tiny-sr.pt lacks low_res_size [16, 16]: $sr"
"$sdm" info "$data/tiny-sr.pt" | grep -q "stage: *super-resolution from 16x16" || fail "text output lacks the stage"

# Without MODEL: the shipped default model, with its landscape class set.
"$sdm" info --json | grep -q '"dataset": "ade20k-landscape"' || fail "sdm info without MODEL does not describe the shipped model"

# Options override the sidecar's head split.
"$sdm" info "$data/tiny.pt" --json --num-heads 2 | grep -q '"num_heads": 2' || fail "--num-heads not applied"

for bad in "$data"/bad/*.pt "$data/bad/missing.pt"; do
  out=$("$sdm" info "$bad" 2>&1)
  status=$?
  [ $status -ne 0 ] || fail "$bad: exit status 0"
  [ $status -lt 128 ] || fail "$bad: crashed (status $status)"
  [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "$bad: more than one line: $out"
  case "$out" in *"$bad"*) ;; *) fail "$bad: message does not name the file: $out" ;; esac
  echo "$out"
done

[ $failures -eq 0 ] && echo "all sdm info checks passed"
exit $failures
