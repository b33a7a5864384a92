#!/usr/bin/env bash
# Walks the whole closure of a fresh sample account in the REAL window, as
# a person would, keyboard first, and checks on disk and on screen as it
# goes. It prints one line per check ("NAME: ok" or "NAME: FAILED ...") and
# exits non-zero if any failed; its screenshots stay in build/walk/.
#
#   scripts/walk.sh            (make walk builds ./offboard first)
#   WALK_DISPLAY=:95 scripts/walk.sh
#
# It starts its own Xvfb on WALK_DISPLAY (default :94) and the app, and ends
# exactly those two processes, by pid. The screen is read with tesseract
# (scripts/deps.sh walk): a check "on screen" is text the OCR finds in a
# screenshot, and a click "on" a word is a click where the OCR found it.
set -euo pipefail

cd "$(dirname "$0")/.."
bin=./offboard
out=build/walk
display=${WALK_DISPLAY:-:94}
[ -x "$bin" ] || { echo "walk.sh: $bin is missing; run make build" >&2; exit 1; }
for tool in Xvfb xdotool import convert tesseract sha256sum; do
	command -v "$tool" >/dev/null || { echo "walk.sh: $tool is missing; run scripts/deps.sh walk" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out"

work=$(mktemp -d)
home="$work/home"
mkdir -p "$home"
xvfb_pid=
app_pid=
failed=0
cleanup() {
	if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
	if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -e "/tmp/.X11-unix/X${display#:}" ]; then
	echo "walk.sh: display $display is in use; set WALK_DISPLAY" >&2
	exit 1
fi
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do
	[ -e "/tmp/.X11-unix/X${display#:}" ] && break
	sleep 0.1
done
export LANG=en_US.UTF-8 LC_ALL=
# One thread per OCR: on a busy machine more only wait for each other.
export OMP_THREAD_LIMIT=1

ok() { echo "$1: ok"; }
bad() {
	echo "$1: FAILED $2"
	failed=$((failed + 1))
}
# check NAME CONDITION-COMMAND...: one line for the check.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name" "($*)"; fi
}

data="$work/data"
"$bin" sample --data-dir "$data" >"$work/sample.txt" 2>"$work/sample.log"
email=$(sed -n 's/^email: //p' "$work/sample.txt")
password=$(sed -n 's/^password: //p' "$work/sample.txt")
account_files() { find "$data/accounts" -name '*.db' 2>/dev/null | wc -l; }
check "sample account made" test "$(account_files)" -eq 1

env FYNE_THEME=light XDG_CONFIG_HOME="$work/config" HOME="$home" \
	"$bin" --data-dir "$data" >"$work/app.log" 2>&1 &
app_pid=$!
wid=$(timeout 30 xdotool search --sync --onlyvisible --name '^Offboard$' | head -n1)
sleep 1.5

n=0
# shot NAME: a screenshot in build/walk, its OCR text in $work/NAME.txt and
# the words' places in $work/NAME.tsv.
last=
shot() {
	n=$((n + 1))
	last="$out/$(printf %02d "$n")-$1"
	import -window "$wid" "$last.png"
	# White text on a coloured button reads better inverted: read both.
	convert "$last.png" -colorspace Gray -negate "$work/negated.png"
	tesseract "$last.png" "$work/ocr" --psm 3 tsv >/dev/null 2>&1 || true
	tesseract "$work/negated.png" "$work/ocr-negated" --psm 3 tsv >/dev/null 2>&1 || true
	cat "$work/ocr.tsv" <(tail -n +2 "$work/ocr-negated.tsv") >"$last.tsv"
	awk -F'\t' 'NR > 1 && $12 != "" { print $12 }' "$last.tsv" | tr '\n' ' ' >"$last.txt"
}
# seen TEXT...: the last screenshot shows every TEXT (words, in order;
# spaces do not count, as the OCR sometimes drops one).
seen() {
	local t text
	text=$(tr -d ' ' <"$last.txt")
	for t in "$@"; do grep -qiF -- "${t// /}" <<<"$text" || return 1; done
}
# wait_for NAME TEXT...: screenshots until TEXT shows (up to 12 tries).
wait_for() {
	local name=$1
	shift
	for _ in $(seq 12); do
		shot "$name"
		if seen "$@"; then return 0; fi
		sleep 0.7
	done
	return 1
}
# click_word WORD [NTH]: clicks the NTH (default last) place the OCR read
# WORD in the last screenshot.
click_word() {
	local pos
	pos=$(awk -F'\t' -v w="$1" 'NR > 1 && $12 == w { x = $7 + $9 / 2; y = $8 + $10 / 2; print int(x), int(y) }' "$last.tsv" | tail -n1)
	[ -n "$pos" ] || return 1
	# shellcheck disable=SC2086
	xdotool mousemove --window "$wid" $pos click 1
	sleep 1
}
keys() {
	xdotool key --delay 120 "$@"
	sleep 1
}
typed() { xdotool type --delay 25 "$1"; }

# Sign in with the keyboard.
typed "$email"
xdotool key Tab
typed "$password"
xdotool key Return
timeout 60 xdotool search --sync --name 'Northwind Studio' >/dev/null
sleep 1
check "signed in" wait_for workspace "Northwind"

# Settings › Account › Deactivate Account.
xdotool key ctrl+comma
sleep 1
shot settings
xdotool mousemove --window "$wid" 390 88 click 1 # the Account tab
sleep 1
xdotool mousemove --window "$wid" 550 400 click --repeat 10 --delay 50 5
sleep 1
shot settings-account
xdotool mousemove --window "$wid" 318 693 click 1 # Deactivate Account, at the end
sleep 1
check "step 1 Before you go" wait_for before-you-go "Before you go" "Step 1 of 7"
check "step 1 Keep my account shown" wait_for before-you-go-keep "Keep my" "This account holds"

# Settle first: one item on its own, asked first; Escape at the question
# closes only the question.
keys Return
check "step 2 Settle first" wait_for settle-first "Settle first" "settling is done at once"
keys Tab Tab space
check "End contract asks first" wait_for end-contract-question "End contract?" "is told"
keys Escape
check "Escape closes only the question" wait_for settle-first-again "Settle first" "End contract"
keys Tab Tab space
sleep 0.5
keys Return
check "one contract ended" wait_for settled-one "Settled:"
click_word all || keys Tab space
check "Settle all lists and totals first" wait_for settle-all-question "Settle all?" "Paid in total"
keys Return
check "everything settled" wait_for nothing-to-settle "Nothing to settle"

# Back up.
keys Return
check "step 3 Back up" wait_for back-up "Back up your data" "Step 3 of 7"
keys Return # Back up my data…: Fyne's save chooser, in the home folder
sleep 1.5
shot save-chooser
keys Return # Save under the suggested name
backup=
for _ in $(seq 120); do
	for f in "$home"/*.zip; do [ -s "$f" ] && backup=$f && break 2; done
	sleep 0.5
done
check "backup written" test -n "$backup"
check "backup verified on screen" wait_for backed-up "exported and verified"
first_sum=$(sha256sum "$backup" | cut -d' ' -f1)
verifies() { "$bin" verify "$1" >/dev/null 2>&1; }
check "backup verifies on disk" verifies "$backup"
check "backup is 0600" test "$(stat -c %a "$backup")" = 600

# Reason, then Back: the backup stays chosen.
keys Return
check "step 4 Reason" wait_for reason "Why are you leaving" "Step 4 of 7"
keys shift+Tab space # Back, before the focused Continue
check "Back from step 4 keeps the backup" wait_for back-again "Step 3 of 7" "exported and verified"
# The OCR does not read this step's button row; what it shows is the
# verified copy, still chosen.
check "the copy still verified after Back" seen "every entry matches its checksum"

# Back up again over the earlier file, with the keyboard at Overwrite?.
# Remove this copy: before Keep my account and Back, from the focused Continue.
keys shift+Tab shift+Tab shift+Tab space
check "backup removed from the step" wait_for back-up-again "Back up my data"
keys Return
sleep 1.5
keys Return # the same suggested name: Overwrite?
check "Overwrite? asked" wait_for overwrite "Overwrite?"
# Tab, Tab, Space: Yes. Then watch the earlier file until the new one
# verifies: it must never be empty, missing or other than the earlier bytes.
xdotool key --delay 150 Tab Tab space
overwrite=ok
for _ in $(seq 200); do
	if [ ! -s "$backup" ]; then overwrite="FAILED the earlier file was empty or gone"; break; fi
	sum=$(sha256sum "$backup" | cut -d' ' -f1)
	if [ "$sum" != "$first_sum" ]; then
		"$bin" verify "$backup" >/dev/null 2>&1 || overwrite="FAILED the file was replaced by one that does not verify"
		break
	fi
	sleep 0.05
done
if [ "$overwrite" = ok ] && [ "$sum" = "$first_sum" ]; then overwrite="FAILED the earlier file was never replaced"; fi
echo "overwrite: $overwrite"
[ "$overwrite" = ok ] || failed=$((failed + 1))
check "second backup verified on screen" wait_for backed-up-again "exported and verified"

# Reason: Other, in the owner's words.
keys Return
check "step 4 again" wait_for reason-again "Step 4 of 7"
keys shift+Tab shift+Tab shift+Tab space
typed "Moving our hiring to an in-house team."
shot reason-other
keys Tab Tab Tab Return
check "step 5 Confirm" wait_for confirm "Step 5 of 7" "Confirm"
check "checksum with its Copy button on Confirm" seen "SHA-256" "Copy"
typed "$email"
sleep 0.5
keys Tab Tab Tab space
check "step 6 Verify" wait_for verify "Step 6 of 7"
typed "$password"
sleep 0.3
xdotool key --delay 120 Tab Tab Tab space
# The window is captured every 0.2 s for 8 s, and read afterwards: the
# OCR is too slow to keep up with the step while it is shown.
for i in $(seq 40); do
	import -window "$wid" "$work/deleting-$i.png"
	sleep 0.2
done
deleting=
for i in $(seq 40); do
	cp "$work/deleting-$i.png" "$out/deleting.png"
	tesseract "$out/deleting.png" "$work/deleting" --psm 3 >/dev/null 2>&1 || true
	if grep -qiF "Deleting your account" "$work/deleting.txt"; then
		deleting=yes
		mv "$out/deleting.png" "$out/$(printf %02d "$n")-deleting-seen.png"
		break
	fi
done
rm -f "$out/deleting.png"
check "Deleting seen" test -n "$deleting"
check "Done says what was erased" wait_for done "Erased from this computer" "Messages"

# Save the receipt, then close.
keys shift+Tab space
sleep 1.5
keys Return
receipt=
for _ in $(seq 40); do
	for f in "$home"/offboard-receipt-*.txt; do [ -s "$f" ] && receipt=$f && break 2; done
	sleep 0.25
done
check "receipt saved" test -n "$receipt"
check "receipt is 0600" test "$(stat -c %a "$receipt" 2>/dev/null)" = 600
check "receipt speaks plainly" bash -c "grep -q 'Why you left, in your words' '$receipt' && ! grep -q 'Reason given' '$receipt'"
check "receipt saved on screen" wait_for receipt-saved "receipt was saved"
keys Escape
check "back at sign-in" wait_for signed-out "Sign in"
check "account file gone" test "$(account_files)" -eq 0

if [ "$failed" -gt 0 ]; then
	echo "walk.sh: $failed checks failed; screenshots in $out" >&2
	exit 1
fi
echo "walk.sh: every check passed; screenshots in $out"
