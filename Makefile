# Offboard: build, test, lint and package.
#
# GNU make. Every target works as root on a fresh Debian or Ubuntu machine:
# scripts/deps.sh installs the system packages a target needs (only those that
# are missing) and the Go tools are installed, pinned, into ./build/bin.
# docs/PACKAGING.md describes what each target produces.

SHELL := bash
# The Go toolchain every target builds, tests and lints with, taken from the
# module proxy on first use (about 76 MB, once per machine). go1.27.3 because
# go1.26.8's standard library has reachable vulnerabilities (make vulncheck)
# and its fuzzing coordinator can report its own time limit as a failure
# (go.dev/issue/75804). A machine's own Go is only the launcher.
export GOTOOLCHAIN := go1.27.3
# Fail a recipe line on the first failing command, including inside pipes.
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:

# Fyne >= 2.6 runs callbacks on the main goroutine; this tag (which
# FyneApp.toml's [Migrations] fyneDo = true makes `fyne package` add) turns
# off the old locking. Every build, test and lint must use the same tag so
# that what is tested is what ships.
TAGS := migrated_fynedo
# Windows has no IANA time-zone database for Go to read (and a minimal Linux
# may lack one), so release builds embed Go's copy: about 450 KB. no_emoji
# leaves out Fyne's 4.2 MB colour-emoji font: Offboard's own text has no
# emoji, and any in an account's data are drawn with the system's emoji font
# when it has one (docs/PACKAGING.md, release binary size).
RELEASE_TAGS := $(TAGS),timetzdata,no_emoji

# FyneApp.toml is the one place the version lives.
VERSION := $(shell sed -n 's/^Version *= *"\([^"]*\)".*/\1/p' FyneApp.toml)
BUILD := $(shell sed -n 's/^Build *= *\([0-9][0-9]*\).*/\1/p' FyneApp.toml)
# The app ID too; main.go's appID must match it (TestAppIDIsFyneAppTomls).
APP_ID := $(shell sed -n 's/^ID *= *"\([^"]*\)".*/\1/p' FyneApp.toml)
LDFLAGS := -X main.version=$(VERSION)

# Pinned tools, installed with `go install` into ./build/bin so that neither
# the system nor go.mod is touched.
BIN := $(CURDIR)/build/bin
FYNE_VERSION := v1.7.4
STATICCHECK_VERSION := v0.8.2
GOSEC_VERSION := v2.30.0
GOVULNCHECK_VERSION := v1.9.0
GOCYCLO_VERSION := v0.6.0
# The Go vulnerability database, pinned: the module proxy serves it as the
# module golang.org/x/vulndb, whose own indexdb command turns its OSV files
# into the database govulncheck reads from a folder. No other network.
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
VULNDB := $(CURDIR)/build/vulndb
# .exe on Windows, nothing elsewhere.
EXE := $(shell go env GOEXE)
FYNE := $(BIN)/fyne$(EXE)
STATICCHECK := $(BIN)/staticcheck$(EXE)
GOSEC := $(BIN)/gosec$(EXE)
GOVULNCHECK := $(BIN)/govulncheck$(EXE)
GOCYCLO := $(BIN)/gocyclo$(EXE)
INDEXDB := $(BIN)/indexdb$(EXE)

FUZZTIME ?= 5s
ARGS ?=
PREFIX ?= /usr/local
DESTDIR ?=

# A release binary over this size (25 MB) fails packaging (docs/PACKAGING.md).
SIZE_BUDGET := 25000000

# Windows cross-build from Linux by default. On a Windows host (the release
# workflow's MSYS2 shell) pass WINDOWS_CC=gcc WINE= to build natively and run
# the smoke test without wine.
WINDOWS_CC ?= x86_64-w64-mingw32-gcc
WINE ?= wine

export CGO_ENABLED := 1

.PHONY: build run test lint bench walk screenshots package-linux package-windows \
	package-darwin install uninstall clean deps icons tools tool-fyne tool-lint tool-vuln \
	check-version

build: deps
	go build -tags $(TAGS) -ldflags '$(LDFLAGS)' -o offboard .

run: build
	./offboard $(ARGS)

# Deterministic messages and sorting in tests whatever the machine's locale.
test: export LANG := C.UTF-8
# The export tests open the pages in Chromium and the PDFs with pdftotext;
# here a missing tool fails them rather than skipping them.
test: export OFFBOARD_REQUIRE_TOOLS := 1
test: deps
	scripts/deps.sh export-check
	@# Files, not folders: gofmt would recurse into build/ and testdata/.
	@unformatted=$$(find $$(go list -f '{{.Dir}}' ./...) -maxdepth 1 -name '*.go' | xargs gofmt -l | sed "s|^$$PWD/||"); \
	if [ -n "$$unformatted" ]; then \
		echo "gofmt: these files need 'gofmt -w':" >&2; echo "$$unformatted" >&2; exit 1; \
	fi
	go vet -tags $(TAGS) ./...
	@# -short keeps the crash test at 20 kills per operation under the race
	@# detector (each child is a race-enabled process); the full 200 run
	@# without it, right after.
	go test -race -short -tags $(TAGS) -count=1 -timeout 30m ./...
	go test -tags $(TAGS) -count=1 -timeout 30m -run '^TestCrashSafety$$' ./account/
	@# The built binary: damaged account files (-short skips it above), and
	@# stderr under four locales, the window's start included (under Xvfb).
	scripts/deps.sh xvfb
	go test -tags $(TAGS) -count=1 -timeout 20m -v -run '^(TestDamagedAccountFilesRealBinary|TestCommandsWriteNothingToStderr|TestWindowStartWritesNothingToStderr)$$' . | grep -v '^=== RUN'
	cd earlylog && go vet ./... && go test -count=1 ./...
	FUZZTIME=$(FUZZTIME) TAGS=$(TAGS) scripts/fuzz.sh

# gosec rules left out, and why (each was reviewed against this code):
#   G104  unchecked errors: they sit in cleanup after an earlier error, whose
#         error is the one reported (Close, Remove of a temporary file), or on
#         bufio writers whose sticky error is checked at Flush.
#   G304  file paths from variables: Offboard opens the files its user picks
#         (export, verify) and those in its own data folder, by design.
#   G115  integer conversions: every one flagged is bounded by construction
#         (Unix times, key lengths, counters); the rule cannot see the bounds.
#   G404  math/rand, in the sample generator and in account/damage (the
#         torture test's damaged copies) only: both must repeat from a fixed
#         seed; no key or secret comes from them.
GOSEC_FLAGS := -quiet -exclude-dir=build -exclude=G104,G304,G115 -exclude-rules='account/(sample(_[a-z]+)?|damage/damage)\.go:G404'

lint: deps tool-lint vulndb
	go vet -tags $(TAGS) ./...
	$(STATICCHECK) -tags $(TAGS) ./...
	$(GOSEC) $(GOSEC_FLAGS) -tags $(TAGS) ./...
	$(GOVULNCHECK) -db file://$(VULNDB) -tags $(TAGS) ./...
	GOCYCLO=$(GOCYCLO) scripts/complexity.sh

# govulncheck against the pinned local copy of the vulnerability database;
# fails on a known vulnerability that the code can reach, in a module or in
# the standard library of the Go toolchain that builds it (docs/THREAT_MODEL.md).
.PHONY: vulncheck
vulncheck: deps vulndb
	$(GOVULNCHECK) -db file://$(VULNDB) -tags $(TAGS) ./...

# Builds the local vulnerability database from the pinned golang.org/x/vulndb
# (once per version; build/vulndb/VERSION says which).
.PHONY: vulndb
vulndb: tool-vuln
	@if [ "$$(cat $(VULNDB)/VERSION 2>/dev/null)" != "$(VULNDB_VERSION)" ]; then \
		src=$$(cd build && go mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) | sed -n 's/^\t"Dir": "\(.*\)",$$/\1/p'); \
		[ -d "$$src/data/osv" ] || { echo "golang.org/x/vulndb@$(VULNDB_VERSION) has no data/osv" >&2; exit 1; }; \
		rm -rf $(VULNDB); \
		$(INDEXDB) -vulns "$$src/data/osv" -out $(VULNDB); \
		echo $(VULNDB_VERSION) > $(VULNDB)/VERSION; \
		echo "vulnerability database $(VULNDB_VERSION) indexed into build/vulndb"; \
	fi

# The Go benchmarks, then scripts/bench.sh: Offboard against the tools a
# person would use instead, in one run, written to docs/BENCHMARKS.md with
# the Go benchmarks' results (kept in build/bench-go.txt).
bench: deps
	@mkdir -p build
	go test -run='^$$' -bench=. -benchmem -tags $(TAGS) ./... | tee build/bench-go.txt
	bash scripts/bench.sh --go-results build/bench-go.txt

# The screenshots script drives the real window under Xvfb.
# The whole closure of a fresh sample account in the real window under
# Xvfb, keyboard first, checked on disk and on screen (scripts/walk.sh);
# WALK_DISPLAY picks the display (default :94). Screenshots: build/walk/.
walk: build
	scripts/deps.sh walk
	bash scripts/walk.sh

screenshots: build
	scripts/deps.sh xvfb
	@if [ ! -f scripts/screenshots.sh ]; then echo "scripts/screenshots.sh does not exist yet" >&2; exit 1; fi
	bash scripts/screenshots.sh

# `fyne package` adds one to Build in FyneApp.toml and rewrites the whole
# file. Packaging must not leave a change behind, so the packaging targets
# pass the build number explicitly and put the file back afterwards (the trap
# also runs when packaging fails).
SAVE_TOML := mkdir -p build && cp FyneApp.toml build/FyneApp.toml.orig && \
	trap 'cp build/FyneApp.toml.orig FyneApp.toml; rm -f fyne.syso' EXIT
# The release ldflags ride in GOFLAGS, the one way `fyne package` takes extra
# ldflags; it adds -trimpath -ldflags '-s -w' itself for --release. GOFLAGS
# splits on spaces, hence -X=name=value.
RELEASE_GOFLAGS := GOFLAGS='$(strip $(GOFLAGS) -ldflags=-X=main.version=$(VERSION))'

# Linux: Offboard.tar.xz (binary, desktop file, icon, a Makefile to install
# them), the AppStream metainfo, and SHA256SUMS, all in dist/.
package-linux: deps tool-fyne check-version
	scripts/deps.sh package-linux
	appstreamcli validate --no-net assets/$(APP_ID).metainfo.xml
	desktop-file-validate assets/$(APP_ID).desktop
	mkdir -p dist build/linux
	rm -f build/linux/offboard dist/Offboard.tar.xz
	@# --exe in build/ so that the development ./offboard is left alone.
	$(SAVE_TOML); \
	$(RELEASE_GOFLAGS) $(FYNE) package --os linux --release --tags $(RELEASE_TAGS) \
		--app-version $(VERSION) --app-build $(BUILD) --exe build/linux/offboard
	mv Offboard.tar.xz dist/
	cp assets/$(APP_ID).metainfo.xml dist/
	@# Check the shipped artifact itself: it unpacks, runs, and fits the budget.
	rm -rf build/linux/unpacked && mkdir -p build/linux/unpacked
	tar -xJf dist/Offboard.tar.xz -C build/linux/unpacked
	find build/linux/unpacked -name '$(APP_ID).desktop' -exec desktop-file-validate {} +
	@exe=$$(find build/linux/unpacked -path '*/bin/offboard' -type f); \
	out=$$("$$exe" version); size=$$(stat -c %s "$$exe"); \
	echo "release binary: $$size bytes ($$(awk "BEGIN { printf \"%.1f\", $$size / 1048576 }") MiB), '$$exe version' says: $$out"; \
	[ "$$out" = "offboard $(VERSION)" ] || { echo "expected 'offboard $(VERSION)'" >&2; exit 1; }; \
	[ "$$size" -le $(SIZE_BUDGET) ] || { echo "release binary over the $(SIZE_BUDGET)-byte budget" >&2; exit 1; }
	$(MAKE) --no-print-directory checksums
	@$(MAKE) --no-print-directory check-toml-unchanged
	ls -l dist/

# Debian/Ubuntu: dist/offboard_<version>_amd64.deb, made by dpkg-deb from the
# very binary package-linux ships (scripts/package-deb.sh), checked with
# lintian (no error allowed; the warnings left are explained in
# docs/PACKAGING.md), then installed with apt-get, run and purged in a
# throwaway root (scripts/smoke-deb.sh, needs root).
DEB := dist/offboard_$(VERSION)_amd64.deb
package-deb: package-linux
	scripts/deps.sh package-deb
	@# fyne package moves its binary into the tarball: take it from there.
	scripts/package-deb.sh build/linux/unpacked/offboard/usr/local/bin/offboard $(VERSION)
	@# --fail-on error: a warning is reported and explained, an error stops.
	lintian --fail-on error --display-info --tag-display-limit 0 $(DEB)
	$(MAKE) --no-print-directory smoke-deb
	$(MAKE) --no-print-directory checksums
	ls -l dist/

# Flatpak: packaging/flatpak/app.offboard.desktop.yml and its Go module
# sources (packaging/flatpak/go-modules.json, from go.sum). Building it needs
# the Freedesktop runtime; this checks everything else (scripts/flatpak-check.sh).
flatpak-sources:
	scripts/flatpak-sources.sh
flatpak-check: build/go.mod
	scripts/deps.sh flatpak
	scripts/flatpak-check.sh

.PHONY: package-deb smoke-deb flatpak-sources flatpak-check
smoke-deb:
	scripts/smoke-deb.sh $(DEB) $(VERSION)

MSI := dist/Offboard-$(VERSION).msi
# Windows: a GUI-subsystem Offboard.exe with the icon, manifest and version
# information embedded (fyne package writes them to a .syso resource), cross
# compiled with MinGW, then started once (under wine from Linux).
#
# fyne package builds a Windows exe twice (once plain, once with the .syso)
# and hands the GOFLAGS ldflags to the first build only, so the shipped exe
# would say version "dev". A placeholder offboard.exe makes it skip the first
# build; the one real build then overwrites it, with the ldflags.
package-windows: deps tool-fyne check-version
	@if [ "$(WINDOWS_CC)" = x86_64-w64-mingw32-gcc ]; then scripts/deps.sh package-windows; fi
	mkdir -p dist build
	rm -f offboard.exe Offboard.exe dist/Offboard.exe $(MSI)
	$(SAVE_TOML); \
	touch offboard.exe; \
	$(RELEASE_GOFLAGS) CC=$(WINDOWS_CC) GOOS=windows GOARCH=amd64 $(FYNE) package --os windows \
		--release --tags $(RELEASE_TAGS) --app-version $(VERSION) --app-build $(BUILD) --exe offboard.exe
	@# fyne renames the exe within the working folder; dist/ is its home.
	mv Offboard.exe dist/Offboard.exe
	WINE='$(WINE)' WINDOWS_CC='$(WINDOWS_CC)' scripts/smoke-windows.sh dist/Offboard.exe $(VERSION)
	@# The installer (packaging/windows/offboard.wxs): per user, Start-menu
	@# shortcut, icon, uninstall entry; installed, run and removed under wine.
	wixl -a x64 -D Version=$(VERSION) -D Exe=dist/Offboard.exe -D Icon=assets/icon.ico \
		-o $(MSI) packaging/windows/offboard.wxs
	WINE='$(WINE)' WINDOWS_CC='$(WINDOWS_CC)' scripts/smoke-msi.sh $(MSI) $(VERSION)
	$(MAKE) --no-print-directory checksums
	@$(MAKE) --no-print-directory check-toml-unchanged
	ls -l dist/

# macOS: Offboard.app, zipped and as a .dmg. Needs a Mac (Xcode's clang and SDK); the
# release workflow runs it on a macOS runner.
package-darwin: build/go.mod tool-fyne check-version
	mkdir -p dist
	rm -rf Offboard.app dist/Offboard-macos.zip dist/Offboard-macos.dmg
	$(SAVE_TOML); \
	$(RELEASE_GOFLAGS) $(FYNE) package --os darwin --release --tags $(RELEASE_TAGS) \
		--app-version $(VERSION) --app-build $(BUILD)
	./Offboard.app/Contents/MacOS/offboard version
	ditto -c -k --keepParent Offboard.app dist/Offboard-macos.zip
	@# The disk image people drag the app out of; hdiutil is macOS's own.
	rm -rf build/dmg dist/Offboard-macos.dmg && mkdir -p build/dmg
	cp -R Offboard.app build/dmg/ && ln -s /Applications build/dmg/Applications
	hdiutil create -volname Offboard -srcfolder build/dmg -ov -format UDZO dist/Offboard-macos.dmg
	hdiutil verify dist/Offboard-macos.dmg
	rm -rf Offboard.app build/dmg
	$(MAKE) --no-print-directory checksums
	@$(MAKE) --no-print-directory check-toml-unchanged
	ls -l dist/

# One SHA256SUMS for whatever packages dist/ holds, so running several
# package targets in turn gives one list. Check with: cd dist && sha256sum -c SHA256SUMS
.PHONY: checksums
checksums:
	@# sha256sum, or shasum on macOS: both write the same format.
	cd dist && files=$$(ls -1 | grep -vx SHA256SUMS) && \
	if command -v sha256sum >/dev/null; then sha256sum $$files; else shasum -a 256 $$files; fi > SHA256SUMS
	cat dist/SHA256SUMS

.PHONY: check-toml-unchanged
check-toml-unchanged:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && git ls-files --error-unmatch FyneApp.toml >/dev/null 2>&1; then \
		git diff --exit-code --stat FyneApp.toml || { echo "FyneApp.toml changed during packaging" >&2; exit 1; }; \
	fi

# The metainfo's newest release must be the version being packaged.
check-version:
	@[ -n "$(VERSION)" ] || { echo "no Version in FyneApp.toml" >&2; exit 1; }
	@grep -q '<release version="$(VERSION)"' assets/$(APP_ID).metainfo.xml || \
		{ echo "assets/$(APP_ID).metainfo.xml has no <release version=\"$(VERSION)\">" >&2; exit 1; }

ICON_SIZES := 64 128 256 512
SHARE = $(DESTDIR)$(PREFIX)/share

# The desktop file names the binary by its installed path, so the menu entry
# works for any PREFIX, not only those on PATH.
install: build
	install -Dm755 offboard $(DESTDIR)$(PREFIX)/bin/offboard
	install -d $(SHARE)/applications
	sed 's|^Exec=offboard|Exec=$(PREFIX)/bin/offboard|' assets/$(APP_ID).desktop > $(SHARE)/applications/$(APP_ID).desktop
	chmod 644 $(SHARE)/applications/$(APP_ID).desktop
	for s in $(ICON_SIZES); do \
		install -Dm644 assets/icons/icon-$$s.png $(SHARE)/icons/hicolor/$${s}x$${s}/apps/$(APP_ID).png; \
	done
	install -Dm644 assets/icon.svg $(SHARE)/icons/hicolor/scalable/apps/$(APP_ID).svg
	install -Dm644 assets/$(APP_ID).metainfo.xml $(SHARE)/metainfo/$(APP_ID).metainfo.xml
	@# Refresh the caches of a live system; a staged install (DESTDIR) leaves that to the package.
	@if [ -z "$(DESTDIR)" ]; then \
		command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t $(PREFIX)/share/icons/hicolor || true; \
		command -v update-desktop-database >/dev/null && update-desktop-database -q $(PREFIX)/share/applications || true; \
	fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/offboard
	rm -f $(SHARE)/applications/$(APP_ID).desktop
	for s in $(ICON_SIZES); do rm -f $(SHARE)/icons/hicolor/$${s}x$${s}/apps/$(APP_ID).png; done
	rm -f $(SHARE)/icons/hicolor/scalable/apps/$(APP_ID).svg
	rm -f $(SHARE)/metainfo/$(APP_ID).metainfo.xml

clean:
	rm -rf build dist offboard offboard.exe Offboard.exe Offboard.tar.xz Offboard.app fyne.syso
	@# fyne package removes these itself; a build killed halfway can leave them.
	rm -f FyneApp.ico offboard.exe.manifest fyne_metadata_init.go

# Re-render the PNG icons from assets/icon.svg.
icons:
	scripts/icons.sh

deps: build/go.mod
	scripts/deps.sh

# build/ collects tools, caches, wine prefixes and scratch folders, some with
# Go files in them. A go.mod of its own makes it a separate module, which
# ./... (vet, test, lint, fuzz) never walks into, whatever lands there.
build/go.mod:
	mkdir -p build
	printf '// Keeps ./... out of build/ (see the Makefile).\nmodule offboard/build\n' > $@

# Installs a pinned Go tool into build/bin unless that exact version, built by
# this Go, is there (a tool built by an older Go cannot read code that needs
# a newer one).
# $(1) binary, $(2) module, $(3) package, $(4) version.
define go-tool
	@info=$$(go version -m $(BIN)/$(1)$(EXE) 2>/dev/null || true); \
	have=$$(awk '$$1 == "mod" && $$2 == "$(2)" { print $$3 }' <<<"$$info"); \
	built=$$(sed -n '1s/^[^ ]*: //p' <<<"$$info"); \
	if [ "$$have" != "$(4)" ] || [ "$$built" != "$$(go env GOVERSION)" ]; then \
		echo "installing $(3)@$(4) into build/bin"; \
		GOBIN=$(BIN) go install $(3)@$(4); \
	fi
endef

tools: tool-fyne tool-lint

tool-fyne:
	$(call go-tool,fyne,fyne.io/tools,fyne.io/tools/cmd/fyne,$(FYNE_VERSION))

tool-lint:
	$(call go-tool,staticcheck,honnef.co/go/tools,honnef.co/go/tools/cmd/staticcheck,$(STATICCHECK_VERSION))
	$(call go-tool,gosec,github.com/securego/gosec/v2,github.com/securego/gosec/v2/cmd/gosec,$(GOSEC_VERSION))
	$(call go-tool,gocyclo,github.com/fzipp/gocyclo,github.com/fzipp/gocyclo/cmd/gocyclo,$(GOCYCLO_VERSION))

tool-vuln:
	$(call go-tool,govulncheck,golang.org/x/vuln,golang.org/x/vuln/cmd/govulncheck,$(GOVULNCHECK_VERSION))
	$(call go-tool,indexdb,golang.org/x/vulndb,golang.org/x/vulndb/cmd/indexdb,$(VULNDB_VERSION))
