#!/usr/bin/env bash
# Installs the .msi as a person would, without administrator rights, runs
# the installed offboard.exe, uninstalls it and checks that nothing of it is
# left: under wine in a temporary prefix (from Linux), or for real (WINE=, on
# Windows, where msiexec is on PATH).
#
#   scripts/smoke-msi.sh MSI VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
msi=$1 want="offboard $2"
wine=${WINE-wine}

if [ -n "$wine" ]; then
	. scripts/wine/prefix.sh
	tmp=$(mktemp -d /tmp/offboard-smoke-msi.XXXXXX)
	trap 'rm -rf "$tmp" "$tmp.wineboot.log"' EXIT
	WINE=$wine wine_prefix "$tmp/prefix"
	run() { "$wine" "$@"; }
	# Wine's folders for the user it runs as.
	user_dir=$(ls -d "$WINEPREFIX/drive_c/users/"* | grep -v '/Public$' | head -n1)
	local_app=$user_dir/AppData/Local
	start_menu="$user_dir/AppData/Roaming/Microsoft/Windows/Start Menu/Programs"
	msi_arg=$(winepath -w "$msi" 2>/dev/null)
else
	run() { "$@"; }
	local_app=$(cygpath -u "$LOCALAPPDATA")
	start_menu="$(cygpath -u "$APPDATA")/Microsoft/Windows/Start Menu/Programs"
	msi_arg=$(cygpath -w "$msi")
fi
exe=$local_app/Programs/Offboard/offboard.exe
lnk=$start_menu/Offboard.lnk

listed() { # is Offboard in the list of installed programs?
	if [ -n "$wine" ]; then run uninstaller --list 2>/dev/null | tr -d '\r' | grep -q '|||Offboard$'
	else powershell -NoProfile -Command "Get-ItemProperty HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\* | Where-Object DisplayName -eq 'Offboard'" | grep -q Offboard
	fi
}

echo "smoke-msi: msiexec /i $(basename "$msi") /qn"
run msiexec /i "$msi_arg" /qn
[ -f "$exe" ] || { echo "smoke-msi: no $exe after install" >&2; exit 1; }
[ -f "$lnk" ] || { echo "smoke-msi: no Start-menu shortcut $lnk" >&2; exit 1; }
listed || { echo "smoke-msi: Offboard is not in the installed programs" >&2; exit 1; }
echo "smoke-msi: installed $(stat -c %s "$exe") bytes under ${exe#"$local_app/"} (per user), Start-menu shortcut and uninstall entry present"
got=$(run "$exe" version | tr -d '\r')
echo "smoke-msi: installed offboard.exe version says: $got"
[ "$got" = "$want" ] || { echo "smoke-msi: expected '$want'" >&2; exit 1; }

echo "smoke-msi: msiexec /x $(basename "$msi") /qn"
run msiexec /x "$msi_arg" /qn
left=()
[ ! -e "$exe" ] || left+=("$exe")
[ ! -e "$(dirname "$exe")" ] || left+=("$(dirname "$exe")")
[ ! -e "$lnk" ] || left+=("$lnk")
! listed || left+=("the uninstall entry")
if [ -n "$wine" ] && run reg query 'HKCU\Software\Offboard' >/dev/null 2>&1; then left+=('HKCU\Software\Offboard'); fi
if [ ${#left[@]} -gt 0 ]; then
	echo "smoke-msi: left behind after uninstall:" >&2
	printf '  %s\n' "${left[@]}" >&2
	exit 1
fi
echo "smoke-msi: uninstalled; program, folder, shortcut and uninstall entry are gone"
