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
# They are in English, whatever the machine's locale, except the -de ones,
# taken with LANG=de_DE.UTF-8 as on a German desktop.
set -euo pipefail

cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
bin=./offboard
[ -x "$bin" ] || { echo "screenshots.sh: $bin is missing; run make build" >&2; exit 1; }
for tool in Xvfb xdotool import; do
	command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is missing; run scripts/deps.sh xvfb" >&2; exit 1; }
done
mkdir -p "$out"

# Everything the app writes (the account, Fyne's preferences, the exports
# and receipts it saves) goes to a scratch folder, so neither the user's
# data nor a remembered window size is used or touched.
work=$(mktemp -d)
mkdir -p "$work/home"
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
start() { # start THEME [DATA_DIR]
	app_pid=
	env FYNE_THEME="$1" XDG_CONFIG_HOME="$work/config-$1" HOME="$work/home" \
		"$bin" --data-dir "${2:-$data}" >"$work/app-$1.log" 2>&1 &
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
keys() { # keys KEY... (pressed one after another)
	xdotool key --delay 80 "$@"
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
deactivate() { # from the workspace to the first dialog of the closure sequence
	xdotool key ctrl+comma
	settle
	click 390 88 # Account
	xdotool mousemove --window "$wid" 550 400 click --repeat 10 --delay 50 5
	settle
	click 318 693 # Deactivate Account
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

# German: Offboard takes its language from the system's locale.
LANG=de_DE.UTF-8
start light
shot signin-de
sign_in
click 300 115
shot workspace-de
stop
LANG=en_US.UTF-8

# The deactivation sequence, one dialog per step, driven from the keyboard:
# each dialog puts the focus on its primary button or first field, so the
# keys below do not depend on where the dialogs are drawn.
start light
sign_in
deactivate
shot closure-1-before-you-go
keys Return # Continue
shot closure-2-settle-first
keys Tab space # Settle all
keys Return    # Continue, which has the focus once nothing is left
shot closure-3-back-up
keys shift+Tab space # Protect the file with a passphrase
xdotool type --delay 20 "$password-export"
xdotool key Tab
xdotool type --delay 20 "$password-export"
keys Return # Back up my data…: Fyne's save dialog, in $work/home
keys Return # Save under the suggested name
# The export is written to a temporary file and renamed into place, then
# read back and verified; give the check time once the file is there.
for _ in $(seq 120); do
	for f in "$work/home"/*.zip.age; do [ -s "$f" ] && break 2; done
	sleep 0.5
done
sleep 5
shot closure-3-backed-up
keys Return                      # Continue
keys shift+Tab shift+Tab shift+Tab space # Other, past Back and Keep my account
xdotool type --delay 20 "Moving our hiring to an in-house team."
shot closure-4-why-leaving
keys Tab Tab Tab Return # Continue, past Keep my account and Back
xdotool type --delay 20 "$email"
settle
shot closure-5-confirm
keys Tab Tab Tab space # Confirm Deactivation
xdotool type --delay 20 "$password"
settle
shot closure-6-verify
keys Tab Tab Tab space # Verify and delete
sleep 3
keys shift+Tab space # Save receipt…
keys Return          # Save under the suggested name
shot closure-8-done
keys Escape # Close: back to Sign in
stop

# The purge of the small sample is over before it can be seen; the large
# sample (1 GB of files) takes a few seconds, so it shows the purge's
# dialog. Its copy is skipped with the tick.
large="$work/large"
"$bin" sample --data-dir "$large" --size large >"$work/large.txt" 2>"$work/large.log"
start light "$large"
sign_in
sleep 3 # the workspace reads 100,000 messages
deactivate
keys Return    # Continue
keys Tab space # Settle all
sleep 2
keys Return              # Continue
keys Tab space Tab space # I don't need a copy, Continue without a copy
keys Return              # Continue (no reason)
xdotool type --delay 20 "$email"
keys Tab Tab Tab space # Confirm Deactivation
xdotool type --delay 20 "$password"
xdotool key Tab Tab Tab space # Verify and delete
sleep 0.8
shot closure-7-deleting
stop
