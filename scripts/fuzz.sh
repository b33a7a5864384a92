#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a short while (FUZZTIME, 5s by
# default), so the decoders meet fresh random input on every `make test`.
#
# Targets are discovered, not listed, so a new Fuzz function is picked up
# without touching this script. `go test -fuzz` accepts exactly one package
# and one target per run, hence the loops.
#
#   FUZZTIME=30s TAGS=migrated_fynedo scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime=${FUZZTIME:-5s}
tags=${TAGS:-}

ran=0
deadline=0
failed=()
# Only packages whose tests declare a fuzz function are asked for their list,
# which spares compiling the test binaries of every other package.
while read -r dir pkg; do
	grep -qs '^func Fuzz' "$dir"/*_test.go || continue
	# -list prints the matching names, then an "ok" line.
	targets=$(go test -tags "$tags" -run '^$' -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
	for t in $targets; do
		echo "fuzz: $pkg $t for $fuzztime"
		corpus="$dir/testdata/fuzz/$t"
		before=$(ls "$corpus" 2>/dev/null | sort || true)
		log=$(mktemp)
		if go test -tags "$tags" -run '^$' -fuzz "^${t}\$" -fuzztime "$fuzztime" "$pkg" 2>&1 | tee "$log"; then
			ran=$((ran + 1))
		elif after=$(ls "$corpus" 2>/dev/null | sort || true); [ "$before" = "$after" ] &&
			grep -q '^    context deadline exceeded$' "$log" && ! grep -q -e '^    --- FAIL' -e 'Failing input written' "$log"; then
			# Go's fuzzing coordinator (before Go 1.27) can report its own
			# -fuzztime deadline as a failure when it lands while a worker
			# is mid-call (go.dev/issue/75804). No input failed and none was
			# written, so the target ran its time without finding anything.
			echo "fuzz: $t: the toolchain reported its own time limit as a failure (go.dev/issue/75804); no input failed"
			ran=$((ran + 1))
			deadline=$((deadline + 1))
		else
			failed+=("$pkg.$t")
		fi
		rm -f "$log"
	done
done < <(go list -tags "$tags" -f '{{.Dir}} {{.ImportPath}}' ./...)

if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
	echo "fuzz: the failing input is saved under the package's testdata/fuzz/; 'go test -run NAME/ID PKG' replays it" >&2
	exit 1
fi
echo "fuzz: $ran target(s) ran for $fuzztime each, none failed ($deadline ended on the toolchain's time-limit report)"
