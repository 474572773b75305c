#!/bin/sh
# Draws the training loss from an `sdm train` log as a PNG (needs imagemagick and fonts-dejavu-core).
# usage: loss_curve.sh train.log loss-curve.png
set -eu
log=$1 out=$2
points=$(grep -o '^step [0-9]*/[0-9]*  loss [0-9.]*' "$log" | awk '
  { split($2, s, "/"); step[NR] = s[1]; loss[NR] = $4; if (s[1] > max) max = s[1] }
  END {
    # Moving average over 10 log lines, log-scaled y between 0.01 and 1.
    for (i = 1; i <= NR; i++) {
      sum = 0; n = 0
      for (j = i - 9; j <= i; j++) if (j >= 1) { sum += loss[j]; n++ }
      v = sum / n; if (v < 0.01) v = 0.01; if (v > 1) v = 1
      printf "%.1f,%.1f ", 50 + 700 * step[i] / max, 20 + 260 * (log(1) - log(v)) / (log(1) - log(0.01))
    }
  }')
last=$(grep -o '^step [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
convert -size 800x320 xc:white -stroke '#ccc' -draw "line 50,20 750,20" -draw "line 50,150 750,150" -draw "line 50,280 750,280" \
  -stroke '#1f5fbf' -fill none -strokewidth 2 -draw "polyline $points" -stroke none -fill black -font DejaVu-Sans -pointsize 13 \
  -draw "text 5,25 '1.0'" -draw "text 5,155 '0.1'" -draw "text 5,285 '0.01'" \
  -draw "text 330,310 'step (0 … $last), loss = mse + vb, 10-point moving average'" "$out"
