#!/bin/sh
# The Debian package (cpack -G DEB) holds the app, the CLI, the shipped model, the class sets and
# the desktop integration. Usage: package_test.sh BUILD_DIR
set -eu
build=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
deb=$(ls "$out"/*.deb)
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for file in bin/sdm bin/sdm-paint share/sdm-paint/models/default.pt share/sdm-paint/models/default.json \
            share/sdm-paint/models/upscaler.pt share/sdm-paint/models/upscaler.json \
            share/sdm-paint/resources/classes/ade20k-landscape.json share/applications/sdm-paint.desktop \
            share/metainfo/io.github.sdm_paint.SdmPaint.metainfo.xml share/icons/hicolor/256x256/apps/sdm-paint.png; do
  echo "$contents" | grep -q "/$file\$" || { echo "the package lacks $file"; exit 1; }
done
dpkg-deb -f "$deb" Depends | grep -q libtorch || { echo "the package does not depend on LibTorch"; exit 1; }
echo "package ok: $(basename "$deb")"
