#!/bin/sh
# The model card's cascade grid: one row per held-out map — the map, the base model's 64² picture
# (shown ×4, nearest), that picture bilinearly ×4, the cascade's 256² picture, the real 256² scene.
# The cascade is run as its two stages (generate --no-upscale, then upscale with the same seed),
# which is what `sdm generate` does in one go. Needs imagemagick.
# usage: cascade_grid.sh SDM HELD_OUT_DIR FIRST COUNT OUT.png
set -eu
sdm=$1 maps=$2 first=$3 count=$4 out=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The class colours as a 256-entry lookup table (id → colour), for the map column.
sed -n 's/.*"id": \([0-9]*\),.*"color": \[\([0-9]*\), \([0-9]*\), \([0-9]*\)\].*/\1 \2 \3 \4/p' \
  "$(dirname "$0")/../resources/classes/ade20k-landscape.json" | awk '
  { colour[$1] = $2 " " $3 " " $4 }
  END { print "P3\n256 1\n255"; for (id = 0; id < 256; id++) print (id in colour ? colour[id] : "0 0 0") }' > "$work/palette.ppm"
rows=""
i=$first
while [ "$i" -lt $((first + count)) ]; do
  name=$(printf 'scene-%06d.png' "$i")
  "$sdm" generate --labels "$maps/annotations/$name" --no-upscale --seed "$i" --out "$work/base-$i" >/dev/null 2>&1
  "$sdm" upscale --image "$work/base-$i/sample-000.png" --labels "$maps/annotations/$name" --seed "$i" --out "$work/up-$i" >/dev/null 2>&1
  convert "$maps/annotations/$name" -type TrueColor "$work/palette.ppm" -interpolate integer -clut -filter point -resize 256x256 "$work/map-$i.png"
  convert "$work/base-$i/sample-000.png" -filter point -resize 256x256 "$work/nearest-$i.png"
  convert "$work/base-$i/sample-000.png" -filter triangle -resize 256x256 "$work/bilinear-$i.png"
  convert "$work/map-$i.png" "$work/nearest-$i.png" "$work/bilinear-$i.png" "$work/up-$i/sample-000.png" "$maps/images/$name" \
    +append "$work/row-$i.png"
  rows="$rows $work/row-$i.png"
  i=$((i + 1))
done
# shellcheck disable=SC2086
convert $rows -append "$out"
