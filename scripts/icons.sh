#!/usr/bin/env bash
# Renders assets/icon.svg, the icon's source of truth, to the PNGs that
# packaging and installation use: assets/icon.png (512 px, FyneApp.toml's
# icon), assets/icons/icon-{64,128,256,512}.png (hicolor theme sizes) and
# assets/icon.ico (the Windows installer's).
# The PNGs are committed so a build never needs an SVG renderer.
set -euo pipefail
cd "$(dirname "$0")/.."

src=assets/icon.svg
# rsvg-convert renders filters and gradients faithfully; ImageMagick's
# built-in SVG reader does not, so it is only the fallback.
if ! command -v rsvg-convert >/dev/null 2>&1; then
	scripts/deps.sh icons || true
fi
render() { # size out
	if command -v rsvg-convert >/dev/null 2>&1; then
		rsvg-convert --width "$1" --height "$1" --keep-aspect-ratio "$src" --output "$2"
	else
		convert -background none -density 300 "$src" -resize "$1x$1" "PNG32:$2"
	fi
}

mkdir -p assets/icons
render 512 assets/icon.png
for size in 64 128 256 512; do
	render "$size" "assets/icons/icon-$size.png"
done
# The Windows installer's icon (Start menu, Apps list): one .ico with the
# sizes Windows picks from, the small ones rendered at their own size.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for size in 16 24 32 48; do
	render "$size" "$tmp/icon-$size.png"
done
command -v convert >/dev/null 2>&1 || scripts/deps.sh xvfb
convert "$tmp"/icon-{16,24,32,48}.png assets/icons/icon-{64,128,256}.png assets/icon.ico
echo "rendered $src to assets/icon.png, assets/icons/icon-{64,128,256,512}.png and assets/icon.ico"
