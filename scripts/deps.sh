#!/usr/bin/env bash
# Installs the system packages a build step needs, and only those that are
# missing, so it is cheap to call before every make target.
#
#   scripts/deps.sh                  cgo toolchain and the X11/OpenGL headers Fyne links against
#   scripts/deps.sh xvfb             a virtual display and tools for screenshots
#   scripts/deps.sh walk             the same, and the OCR that make walk reads the window with
#   scripts/deps.sh package-linux    xz, appstreamcli and desktop-file-validate for the Linux tarball
#   scripts/deps.sh package-windows  the MinGW cross compiler, wine for the smoke test, wixl for the .msi
#   scripts/deps.sh package-deb      dpkg-shlibdeps, lintian and man for the .deb
#   scripts/deps.sh flatpak          flatpak-builder to check the Flatpak manifest
#   scripts/deps.sh icons            rsvg-convert to render assets/icon.svg
#   scripts/deps.sh export-check     chromium and pdftotext, which the tests open exports' pages and PDFs with
#
# Debian and Ubuntu only: elsewhere it says what to install and, where no
# system package is needed (macOS, Windows), succeeds.
set -euo pipefail

mode=${1:-build}
case "$mode" in
build)
	pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxrandr-dev libxxf86vm-dev
		libxi-dev libxcursor-dev libxinerama-dev libxkbcommon-dev) ;;
xvfb) pkgs=(xvfb imagemagick xdotool) ;;
walk) pkgs=(xvfb imagemagick xdotool tesseract-ocr tesseract-ocr-eng) ;;
package-linux) pkgs=(xz-utils appstream desktop-file-utils) ;;
package-windows) pkgs=(gcc-mingw-w64-x86-64 wine wixl) ;;
package-deb) pkgs=(dpkg-dev lintian man-db) ;;
flatpak) pkgs=(flatpak-builder appstream desktop-file-utils jq) ;;
icons) pkgs=(librsvg2-bin) ;;
export-check) pkgs=(chromium fonts-dejavu-core poppler-utils) ;;
*)
	echo "usage: $0 [build|xvfb|walk|package-linux|package-windows|package-deb|flatpak|icons|export-check]" >&2
	exit 2 ;;
esac

say() { echo "deps.sh ($mode): $*" >&2; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	case "$(uname -s)" in
	Darwin | MINGW* | MSYS* | CYGWIN*)
		# Fyne needs only a C compiler here (Xcode's clang, or MinGW gcc),
		# which the build itself reports if it is missing.
		say "not a Debian system; no system packages to install"
		exit 0 ;;
	esac
	say "this script installs packages on Debian or Ubuntu only."
	say "Install the equivalents of: ${pkgs[*]}"
	exit 1
fi

installed() {
	# dpkg -s also knows removed packages whose config files remain, so
	# read the status rather than trust the exit code alone.
	dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

# Debian has split wine into wine + wine64 over the years; accept either as
# present and fall back to wine64 when the wine package is not offered.
if [ "$mode" = package-windows ] && { installed wine64 || command -v wine >/dev/null 2>&1; }; then
	pkgs=(gcc-mingw-w64-x86-64 wixl)
fi

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo=(sudo)
	else
		say "missing packages: ${missing[*]}"
		say "not root and no sudo: install them as root: apt-get install ${missing[*]}"
		exit 1
	fi
fi

apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q
	-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)

say "installing ${missing[*]}"
# Only now is the package index worth refreshing.
if ! "${apt[@]}" update >&2; then
	say "apt-get update failed; cannot install ${missing[*]}"
	exit 1
fi
if [ "$mode" = package-windows ] && [[ " ${missing[*]} " == *" wine "* ]] &&
	! apt-cache show wine >/dev/null 2>&1; then
	missing=("${missing[@]/#wine/wine64}")
fi
# No recommends: they pull in hundreds of megabytes (fonts, desktop bits) a
# build does not use.
if ! "${apt[@]}" install --no-install-recommends "${missing[@]}" >&2; then
	say "apt-get install failed for: ${missing[*]}"
	exit 1
fi
