# Sourced by the Windows smoke tests: wine_prefix DIR makes DIR a private,
# ready wine prefix and exports WINEPREFIX. WINE names the wine binary.
#
# A private prefix keeps the test away from the user's ~/.wine; disabling
# mscoree and mshtml stops wine offering to install Mono/Gecko.
wine_prefix() {
	export WINEPREFIX=$1 WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
	if [ ! -d "$WINEPREFIX/drive_c/windows/system32" ]; then
		mkdir -p "$WINEPREFIX"
		"${WINE:-wine}" wineboot --init >"$WINEPREFIX.wineboot.log" 2>&1 || { cat "$WINEPREFIX.wineboot.log" >&2; return 1; }
	fi
	# Go programs need bcryptprimitives.dll (ProcessPrng) to start; wine
	# before 9.0 has none, so the prefix gets a small stand-in (test only).
	local dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
	if [ ! -e "$dll" ]; then
		echo "wine: this wine lacks bcryptprimitives.dll; adding the stand-in from scripts/wine/"
		"${WINDOWS_CC:-x86_64-w64-mingw32-gcc}" -O2 -shared -s -o "$dll" scripts/wine/bcryptprimitives.c -ladvapi32
	fi
}
