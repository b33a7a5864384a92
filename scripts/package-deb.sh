#!/usr/bin/env bash
# Builds dist/offboard_VERSION_ARCH.deb from a release binary with dpkg-deb:
# the binary, desktop file, icons, AppStream metainfo, a man page made from
# the binary's own usage text, a copyright file listing every module linked
# in, and Depends: computed by dpkg-shlibdeps from the libraries it links.
#
#   scripts/package-deb.sh BINARY VERSION
#
# DEB_MAINTAINER overrides the Maintainer field.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1 version=$2
id=app.offboard.desktop
arch=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-Offboard <packaging@offboard.app>}
# The release date of this version, from the metainfo (check-version has
# made sure the version is there).
date=$(sed -n "s/.*<release version=\"$version\" date=\"\([0-9-]*\)\".*/\1/p" assets/$id.metainfo.xml)

stage=build/deb
root=$stage/root
rm -rf "$stage" && mkdir -p "$root/DEBIAN" dist
# Files 0644 and folders 0755 whatever the umask of whoever builds.
umask 022

install -Dm755 "$bin" "$root/usr/bin/offboard"
install -Dm644 assets/$id.desktop "$root/usr/share/applications/$id.desktop"
for s in 64 128 256 512; do
	install -Dm644 assets/icons/icon-$s.png "$root/usr/share/icons/hicolor/${s}x$s/apps/$id.png"
done
install -Dm644 assets/icon.svg "$root/usr/share/icons/hicolor/scalable/apps/$id.svg"
install -Dm644 assets/$id.metainfo.xml "$root/usr/share/metainfo/$id.metainfo.xml"

mkdir -p "$root/usr/share/man/man1" "$root/usr/share/doc/offboard"
scripts/manpage.sh "$bin" "$version" "$date" | gzip -9n >"$root/usr/share/man/man1/offboard.1.gz"
scripts/copyright.sh "$bin" >"$root/usr/share/doc/offboard/copyright"
# A native package's changelog, from the metainfo's release notes.
notes=$(sed -n "/<release version=\"$version\"/,/<\/release>/p" assets/$id.metainfo.xml |
	sed -n 's/.*<p>\(.*\)<\/p>.*/\1/p')
{
	printf 'offboard (%s) unstable; urgency=medium\n\n' "$version"
	printf '  * %s\n' "${notes:-Release $version.}"
	printf '\n -- %s  %s\n' "$maintainer" "$(LC_ALL=C date -u -d "$date 12:00" '+%a, %d %b %Y %H:%M:%S +0000')"
} | gzip -9n >"$root/usr/share/doc/offboard/changelog.gz"
chmod 644 "$root/usr/share/man/man1/offboard.1.gz" "$root/usr/share/doc/offboard/"*

# dpkg-shlibdeps wants to run inside a source tree: give it a minimal one.
mkdir -p "$stage/src/debian"
printf 'Source: offboard\n\nPackage: offboard\nArchitecture: any\n' >"$stage/src/debian/control"
depends=$(cd "$stage/src" && dpkg-shlibdeps -O -e "../root/usr/bin/offboard" 2>../shlibdeps.log |
	sed -n 's/^shlibs:Depends=//p') || { cat "$stage/shlibdeps.log" >&2; exit 1; }
[ -n "$depends" ] || { echo "package-deb: dpkg-shlibdeps found no libraries" >&2; exit 1; }

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: offboard
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $depends
Section: utils
Priority: optional
Description: keep a client account encrypted and close it safely
 Offboard keeps a freelancing-marketplace client account encrypted on this
 computer and walks its owner through closing it safely: see what will be
 lost, settle running contracts and bills, export a complete copy of the
 data and verify it, confirm with password and two-factor code, then purge
 the account for good and keep a receipt.
 .
 The same core is available from a terminal as the offboard command.
CONTROL
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

deb=dist/offboard_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "package-deb: $deb, $(stat -c %s "$deb") bytes; Depends: $depends"
