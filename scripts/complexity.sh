#!/usr/bin/env bash
# The complexity gate of `make lint`: no function (tests aside) has a
# cyclomatic complexity over 15 (gocyclo) unless its doc comment says why
# it is one piece, on the line right above a //gocyclo:ignore directive.
#
#   GOCYCLO=build/bin/gocyclo scripts/complexity.sh
set -euo pipefail
cd "$(dirname "$0")/.."
gocyclo=${GOCYCLO:-build/bin/gocyclo}
max=15

mapfile -t files < <(git ls-files '*.go' ':!:*_test.go')
status=0
if ! over=$("$gocyclo" -over "$max" "${files[@]}"); then
	echo "complexity: these functions are over $max; split them, or say in their doc comment why they are one piece and add //gocyclo:ignore:" >&2
	echo "$over" >&2
	status=1
fi
# A directive without a reason above it does not count as a reason.
for f in "${files[@]}"; do
	awk -v f="$f" '
		/^\/\/gocyclo:ignore$/ { if (prev !~ /^\/\/ [^ ]/) { printf "complexity: %s:%d: //gocyclo:ignore without a reason on the line above\n", f, NR; bad = 1 } }
		{ prev = $0 }
		END { exit bad }' "$f" >&2 || status=1
done
[ "$status" = 0 ] && echo "complexity: no function over $max without a reason (${#files[@]} files)"
exit "$status"
