#!/usr/bin/env bash
# Writes the man page offboard.1 from the usage text the program itself
# prints (`offboard --help`), so the two can never disagree.
#
#   scripts/manpage.sh BINARY VERSION DATE > offboard.1
#
# BINARY must run on this machine; DATE is the release date (YYYY-MM-DD).
set -euo pipefail
bin=$1 version=$2 date=$3

# --help prints the usage on standard output. The cut at "Usage:" keeps
# anything before it out of the page.
help=$(LANG=C.UTF-8 "$bin" --help 2>/dev/null)
help=$(sed -n '/^Usage:/,$p' <<<"$help")
if [ -z "$help" ]; then
	echo "manpage.sh: $bin --help printed no usage text" >&2
	exit 1
fi

# roff: a backslash is \e, a minus is \-, and a line must not start with
# a dot or an apostrophe.
roff() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

# The synopsis: the indented lines after "Usage:", continuations included.
synopsis=$(sed -n '2,/^$/p' <<<"$help" | sed -e '/^$/d' -e 's/^  //')
# The commands: the "  name  what it does" lines after "Commands:".
commands=$(sed -n '/^Commands:$/,/^$/p' <<<"$help" | sed -e '1d' -e '/^$/d')
# The notes: every paragraph after the commands.
notes=$(sed -n '/^Commands:$/,$p' <<<"$help" | sed -n '/^$/,$p' | sed '1{/^$/d}')

cat <<ROFF
.TH OFFBOARD 1 "$date" "offboard $version" "User Commands"
.SH NAME
offboard \\- keep a client account encrypted and close it safely
.SH SYNOPSIS
.nf
$(roff <<<"$synopsis")
.fi
.SH DESCRIPTION
Offboard keeps a freelancing\\-marketplace client account encrypted on this
computer and walks its owner through closing it safely: see what will be
lost, settle what blocks the closure, take a verified export, confirm, and
purge. With no command it opens the window; the commands use the same core
from a terminal.
.PP
$(roff <<<"$notes" | sed 's/^$/.PP/')
.SH COMMANDS
$(while read -r name what; do printf '.TP\n.B %s\n%s\n' "$(roff <<<"$name")" "$(roff <<<"$what")"; done <<<"$commands")
.SH EXIT STATUS
0 on success, 1 when an operation is refused or fails, 2 for a usage error.
.SH FILES
.TP
.I \$XDG_DATA_HOME/Offboard
(by default
.IR ~/.local/share/Offboard )
the data folder: one encrypted file per account under
.IR accounts/ ,
and
.I offboard.lock
while an Offboard uses it.
ROFF
