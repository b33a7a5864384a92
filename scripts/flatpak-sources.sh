#!/usr/bin/env bash
# Writes packaging/flatpak/go-modules.json, the Flatpak sources for every Go
# module in go.sum: each module's .zip and .mod from the Go module proxy,
# with their SHA-256, laid out as a Go module proxy in goproxy/ inside the
# build folder, so the sandboxed build (no network) runs with
# GOPROXY=file://$PWD/goproxy. The checksums are those of the files in the
# local module cache; go.sum has already verified them.
#
#   scripts/flatpak-sources.sh            writes the file
#   scripts/flatpak-sources.sh --check    fails if it is out of date with go.sum
set -euo pipefail
cd "$(dirname "$0")/.."
out=packaging/flatpak/go-modules.json
cache=$(go env GOMODCACHE)/cache/download
proxy=https://proxy.golang.org

# The module proxy's spelling of a path: capitals as ! and the lower case.
escape() { sed 's/[A-Z]/!\L&/g' <<<"$1"; }
json_string() { printf '"%s"' "$(sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' <<<"$1")"; }

entry() { # escaped-path version ext
	local f=$cache/$1/@v/$2.$3
	if [ ! -f "$f" ]; then
		go mod download "$(unescape "$1")@$2" >/dev/null
	fi
	printf '  {"type": "file", "url": "%s/%s/@v/%s.%s", "sha256": "%s", "dest": "goproxy/%s/@v", "dest-filename": "%s.%s"},\n' \
		"$proxy" "$1" "$2" "$3" "$(sha256sum "$f" | cut -d' ' -f1)" "$1" "$2" "$3"
}
unescape() { sed 's/!\([a-z]\)/\U\1/g' <<<"$1"; }

generate() {
	echo '['
	# go.sum: "path version h1:…" for a module's files, "path version/go.mod
	# h1:…" for its go.mod alone (a module only read for its requirements).
	while read -r path version _; do
		esc=$(escape "$path")
		case $version in
		*/go.mod)
			version=${version%/go.mod}
			entry "$esc" "$version" mod
			;;
		*)
			entry "$esc" "$version" zip
			info=$cache/$esc/@v/$version.info
			[ -f "$info" ] || go mod download "$path@$version" >/dev/null
			printf '  {"type": "inline", "contents": %s, "dest": "goproxy/%s/@v", "dest-filename": "%s.info"},\n' \
				"$(json_string "$(cat "$info")")" "$esc" "$version"
			;;
		esac
	done <go.sum | sed '$ s/,$//'
	echo ']'
}

if [ "${1:-}" = --check ]; then
	if ! diff -q <(generate) "$out" >/dev/null; then
		echo "flatpak-sources: $out is out of date with go.sum; run scripts/flatpak-sources.sh" >&2
		exit 1
	fi
	echo "flatpak-sources: $out matches go.sum ($(grep -c '"type"' "$out") sources)"
	exit 0
fi
mkdir -p "$(dirname "$out")"
generate >"$out"
echo "flatpak-sources: wrote $out ($(grep -c '"type"' "$out") sources)"
