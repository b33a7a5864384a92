#!/usr/bin/env bash
# Writes a machine-readable (DEP-5) copyright file for a release binary: one
# paragraph for Offboard and one for every Go module linked into it (read from
# the binary's own build information), with that module's licence text from
# the module cache.
#
#   scripts/copyright.sh BINARY > copyright
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1

# The licence a text is, by the sentences each licence is known by.
spdx() {
	if grep -q 'Apache License' "$1" && grep -q 'Version 2.0' "$1"; then echo Apache-2.0
	elif grep -q 'Mozilla Public License' "$1"; then echo MPL-2.0
	elif grep -q 'Permission is hereby granted, free of charge' "$1"; then echo Expat
	elif grep -q 'Permission to use, copy, modify, and/or distribute' "$1"; then echo ISC
	elif grep -q 'Redistribution and use in source and binary forms' "$1"; then
		if grep -qi 'neither the name\|names of its contributors' "$1"; then echo BSD-3-clause; else echo BSD-2-clause; fi
	else echo other
	fi
}

# A licence text as a DEP-5 field continuation: indented, blank lines as " .".
indent() { sed -e 's/[[:space:]]*$//' -e 's/^$/./' -e 's/^/ /' "$1"; }

paragraph() { # files copyright-source licence-file
	local lic copy
	lic=$(spdx "$3")
	copy=$(grep -m1 -i '^[[:space:]]*copyright[[:space:]]*\((c)\|©\|[0-9]\)' "$3" | sed -e 's/^[[:space:]]*//' -e 's/^[Cc]opyright[[:space:]]*\((c)\|©\)\?[[:space:]]*//' || true)
	printf '\nFiles: %s\nCopyright: %s\nLicense: %s\n' "$1" "${copy:-the authors of $2}" "$lic"
	case $lic in
	Apache-2.0 | MPL-2.0) printf ' On Debian systems, the full text of this licence is in\n /usr/share/common-licenses/%s.\n' "$lic" ;;
	*) indent "$3" ;;
	esac
}

cat <<'HEAD'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Offboard
Comment: The program is one Go binary; the paragraphs after
 the first are the Go standard library and the Go modules built into it, as
 its build information lists them.

Files: *
Copyright: 2026 the Offboard authors
License: none-granted
 No licence to copy, change or redistribute Offboard itself has been granted
 yet. The modules below keep their own licences.
HEAD

paragraph "go/*" "Go" "$(go env GOROOT)/LICENSE"
declare -A dirs own
while read -r path dir; do dirs[$path]=$dir; done < <(go list -m -f '{{.Path}} {{.Dir}}' all)
# A module replaced by a folder of this repository (earlylog) is Offboard's
# own code, which the first paragraph covers.
while read -r path; do own[$path]=1; done < <(go list -m -f '{{if .Replace}}{{if eq (slice .Replace.Path 0 2) "./"}}{{.Path}}{{end}}{{end}}' all | grep .)
go version -m "$bin" | awk '$1 == "dep" { print $2 }' | while read -r mod; do
	[ -n "${own[$mod]:-}" ] && continue
	dir=${dirs[$mod]:-}
	lic=
	for f in LICENSE LICENSE.txt LICENSE.md LICENCE COPYING COPYING.txt; do
		if [ -n "$dir" ] && [ -f "$dir/$f" ]; then lic=$dir/$f; break; fi
	done
	if [ -z "$lic" ]; then
		echo "copyright.sh: no licence file for $mod (is the module downloaded?)" >&2
		exit 1
	fi
	paragraph "$mod/*" "$mod" "$lic"
done
