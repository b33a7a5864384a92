#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a short while (FUZZTIME, 5s by
# default), so the decoders meet fresh random input on every `make test`.
#
# A target that ran its time without a failing input passes: the toolchain
# (go1.27.3, see the Makefile) no longer reports its own -fuzztime deadline
# as a failure (go.dev/issue/75804).
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
failed=()
# Only packages whose tests declare a fuzz function are asked for their list,
# which spares compiling the test binaries of every other package.
while read -r dir pkg; do
	grep -qs '^func Fuzz' "$dir"/*_test.go || continue
	# -list prints the matching names, then an "ok" line.
	targets=$(go test -tags "$tags" -run '^$' -list '^Fuzz' "$pkg" | grep '^Fuzz' || true)
	for t in $targets; do
		echo "fuzz: $pkg $t for $fuzztime"
		if go test -tags "$tags" -run '^$' -fuzz "^${t}\$" -fuzztime "$fuzztime" "$pkg"; then
			ran=$((ran + 1))
		else
			failed+=("$pkg.$t")
		fi
	done
done < <(go list -tags "$tags" -f '{{.Dir}} {{.ImportPath}}' ./...)

if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
	echo "fuzz: the failing input is saved under the package's testdata/fuzz/; 'go test -run NAME/ID PKG' replays it" >&2
	exit 1
fi
echo "fuzz: $ran target(s) ran for $fuzztime each, none failed"
