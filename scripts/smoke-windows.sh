#!/usr/bin/env bash
# Proves a Windows build of Offboard starts: runs `Offboard.exe version`, which
# prints and exits before any window opens, and compares what it printed.
#
#   scripts/smoke-windows.sh EXE VERSION          under wine (from Linux)
#   WINE= scripts/smoke-windows.sh EXE VERSION    directly (on Windows)
#
# A GUI-subsystem exe started from a shell still writes to a redirected
# standard output, so its output is read back from a file.
set -euo pipefail
cd "$(dirname "$0")/.."

exe=$1
want="offboard $2"
wine=${WINE-wine}
mkdir -p build
out=build/windows-version.txt

if [ -z "$wine" ]; then
	"./$exe" version >"$out"
else
	. scripts/wine/prefix.sh
	WINE=$wine wine_prefix "$PWD/build/wine"
	echo "smoke-windows: $wine $exe version"
	if ! "$wine" "$exe" version >"$out" 2>build/windows-wine.log; then
		cat build/windows-wine.log >&2
		exit 1
	fi
fi

got=$(tr -d '\r' <"$out")
echo "smoke-windows: $exe version says: $got"
if [ "$got" != "$want" ]; then
	echo "smoke-windows: expected '$want'" >&2
	exit 1
fi

# Then the core on Windows' own code paths (file locking, fsync, rename,
# time zones): create the sample account, export it, verify the export.
offboard() { # args...: runs the exe, standard input from the caller
	if [ -z "$wine" ]; then "./$exe" "$@"; else "$wine" "$exe" "$@"; fi
}
if [ -z "$wine" ]; then
	data=build/smoke-data
	rm -rf "$data"
else
	rm -rf "$WINEPREFIX/drive_c/smoke-data"
	data='C:\smoke-data'
fi
sep=\\
if [ -z "$wine" ]; then sep=/; fi
offboard sample --data-dir "$data" | tr -d '\r' >build/windows-sample.txt
email=$(sed -n 's/^email: //p' build/windows-sample.txt)
password=$(sed -n 's/^password: //p' build/windows-sample.txt)
if [ -z "$email" ] || [ -z "$password" ]; then
	echo "smoke-windows: sample printed no account" >&2
	exit 1
fi
offboard export --data-dir "$data" --email "$email" --out "$data${sep}export.zip" <<<"$password" >/dev/null
offboard verify "$data${sep}export.zip" >/dev/null
echo "smoke-windows: sample account created, exported and verified"
