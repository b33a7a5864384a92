#!/usr/bin/env bash
# Takes the screenshots in docs/screenshots/ from the real window: it starts
# ./offboard on a virtual X display with the small sample account, clicks
# through the screens as a person would, and saves each one as a PNG.
#
#   scripts/screenshots.sh [OUT_DIR]      (default docs/screenshots)
#
# Needs Xvfb, xdotool and ImageMagick's import (scripts/deps.sh xvfb) and a
# built ./offboard (make build); `make screenshots` does both first.
# The light screenshots use FYNE_THEME=light and the -dark ones
# FYNE_THEME=dark, so the result does not depend on the machine's theme.
set -euo pipefail

cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
bin=./offboard
[ -x "$bin" ] || { echo "screenshots.sh: $bin is missing; run make build" >&2; exit 1; }
for tool in Xvfb xdotool import; do
	command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing; run scripts/deps.sh xvfb" >&2; exit 1; }
done
mkdir -p "$out"

# Everything the app writes (the account, Fyne's preferences) goes to a
# scratch folder, so neither the user's data nor a remembered window size
# is used or touched.
work=$(mktemp -d)
xvfb_pid=
app_pid=
cleanup() {
	if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
	if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

# A display number nobody uses.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
	display=$((display + 1))
done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=":$display"
for _ in $(seq 50); do
	[ -e "/tmp/.X11-unix/X$display" ] && break
	sleep 0.1
done

# English, whatever the machine's locale.
export LANG=en_US.UTF-8 LC_ALL=

data="$work/data"
"$bin" sample --data-dir "$data" >"$work/sample.txt" 2>"$work/sample.log"
email=$(sed -n 's/^email: //p' "$work/sample.txt")
password=$(sed -n 's/^password: //p' "$work/sample.txt")

# The window is 1100×720 (the default size) at the top left of the screen:
# the clicks below are at fixed places in it.
wid=
start() { # start THEME
	app_pid=
	env FYNE_THEME="$1" XDG_CONFIG_HOME="$work/config-$1" \
		"$bin" --data-dir "$data" >"$work/app-$1.log" 2>&1 &
	app_pid=$!
	wid=$(timeout 30 xdotool search --sync --onlyvisible --name '^Offboard$' | head -n1)
	settle
}
stop() {
	kill "$app_pid" 2>/dev/null || true
	wait "$app_pid" 2>/dev/null || true
	app_pid=
}
settle() { sleep 1.2; }
shot() { # shot NAME
	import -window "$wid" "$out/$1.png"
	echo "screenshots.sh: $out/$1.png"
}
click() { # click X Y (in the window)
	xdotool mousemove --window "$wid" "$1" "$2" click 1
	settle
}
sign_in() {
	xdotool type --delay 20 "$email"
	xdotool key Tab
	xdotool type --delay 20 "$password"
	xdotool key Return
	# The title names the company once the workspace is shown.
	timeout 60 xdotool search --sync --name 'Northwind Studio' >/dev/null
	settle
}

start light
shot signin
sign_in
click 300 115 # the latest job posting
shot workspace
click 40 290 # Messages
click 200 175 # the latest conversation
click 500 115 # its latest message
shot workspace-messages
click 1068 40 # the avatar
shot avatar-menu
xdotool key Escape
xdotool key ctrl+comma
settle
shot settings-profile
click 145 88
shot settings-security
click 265 88
shot settings-data
click 390 88
# Scroll to the end, where Deactivate Account is.
xdotool mousemove --window "$wid" 550 400 click --repeat 10 --delay 50 5
settle
shot settings-account
stop

start dark
shot signin-dark
sign_in
click 300 115
shot workspace-dark
stop
