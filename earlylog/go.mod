// A module of its own only for its name: see earlylog.go.
module earlylog

go 1.26
