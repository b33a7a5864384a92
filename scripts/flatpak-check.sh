#!/usr/bin/env bash
# Checks the Flatpak manifest as far as this machine allows without the
# Freedesktop runtime: flatpak-builder parses it, its permissions are the
# ones intended, the desktop file and metainfo validate, go-modules.json
# matches go.sum, and those sources alone (laid out as the sandbox sees
# them, with an empty module cache and no network) resolve every package
# the build needs.
set -euo pipefail
cd "$(dirname "$0")/.."
manifest=packaging/flatpak/app.offboard.desktop.yml
say() { echo "flatpak-check: $*"; }

scripts/flatpak-sources.sh --check
# Run from build/: flatpak-builder leaves its .flatpak-builder state folder
# in the current one (1.2 has no --state-dir).
mkdir -p build
shown=$(cd build && flatpak-builder --show-manifest "../$manifest")
say "flatpak-builder --show-manifest parses it ($(jq '.modules[0].sources | length' <<<"$shown") sources)"
args=$(jq -r '."finish-args" | join(" ")' <<<"$shown")
[ "$args" = "--share=ipc --socket=x11 --socket=wayland --device=dri" ] ||
	{ echo "flatpak-check: finish-args are '$args'" >&2; exit 1; }
say "finish-args: $args (no network, no filesystem access)"
desktop-file-validate assets/app.offboard.desktop.desktop
appstreamcli validate --no-net assets/app.offboard.desktop.metainfo.xml
say "desktop file and metainfo valid"

# The sandbox's view: goproxy/ holds only what the manifest lists.
tmp=build/flatpak-check
chmod -R u+w "$tmp" 2>/dev/null || true
rm -rf "$tmp" && mkdir -p "$tmp"
cache=$(go env GOMODCACHE)/cache/download
jq -c '.[]' packaging/flatpak/go-modules.json | while read -r s; do
	dest=$tmp/$(jq -r .dest <<<"$s")/$(jq -r '."dest-filename"' <<<"$s")
	mkdir -p "$(dirname "$dest")"
	if [ "$(jq -r .type <<<"$s")" = inline ]; then
		jq -j .contents <<<"$s" >"$dest"
		continue
	fi
	# The file the URL names is the one in the module cache (checked below).
	url=$(jq -r .url <<<"$s")
	cp "$cache/${url#https://proxy.golang.org/}" "$dest"
	echo "$(jq -r .sha256 <<<"$s")  $dest"
done >"$tmp/SHA256SUMS"
sha256sum --quiet -c "$tmp/SHA256SUMS"
# The sandbox has no toolchain download: run the Go that go.mod asks for
# (here the one the Makefile's GOTOOLCHAIN fetched) as the local one.
gobin=$(go env GOROOT)/bin/go
export GOMODCACHE=$PWD/$tmp/modcache GOPROXY=file://$PWD/$tmp/goproxy GOFLAGS=-mod=readonly GOSUMDB=off GOTOOLCHAIN=local
"$gobin" mod download
"$gobin" list -deps -tags migrated_fynedo,timetzdata,no_emoji,release,flatpak . >"$tmp/packages"
say "offline: $(wc -l <"$tmp/SHA256SUMS") files, checksums match; go mod download and go list resolve $(wc -l <"$tmp/packages") packages from them alone"
chmod -R u+w "$tmp" && rm -rf "$tmp"
