#!/usr/bin/env bash
# Installs the .deb the way a person does (apt-get install ./offboard.deb),
# runs `offboard version`, removes the package and checks that nothing of it
# is left. All of it happens in a throwaway root: an overlay over this
# system's own root, in a private mount namespace, so apt sees the libraries
# already installed (or fetches them from the usual mirror) and every change
# lands in a scratch folder that is deleted at the end. The real root is never
# written. Needs root (mount and chroot).
#
#   scripts/smoke-deb.sh DEB VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$1 want="offboard $2"

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		exec sudo "$0" "$@"
	fi
	echo "smoke-deb: needs root for the throwaway root (mount, chroot); run it as root" >&2
	exit 1
fi
scratch=$(mktemp -d /tmp/offboard-smoke-deb.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
cp "$deb" "$scratch/offboard.deb"

# Inside a new mount namespace every mount below vanishes with the process.
unshare --mount --propagation private bash -euo pipefail -s "$scratch" "$want" <<'INSIDE'
scratch=$1 want=$2
mkdir -p "$scratch/upper" "$scratch/work" "$scratch/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$scratch/upper,workdir=$scratch/work" "$scratch/root"
r=$scratch/root
mount -t proc proc "$r/proc"
mount --rbind /dev "$r/dev"
mount -t tmpfs tmpfs "$r/tmp"
cp "$scratch/offboard.deb" "$r/tmp/offboard.deb"
inroot() { chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }

if inroot dpkg -s offboard >/dev/null 2>&1; then
	echo "smoke-deb: offboard is already installed on this system; the check would not be clean" >&2
	exit 1
fi
echo "smoke-deb: apt-get install ./offboard.deb (in a throwaway root)"
inroot apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 /tmp/offboard.deb >"$scratch/install.log" 2>&1 ||
	{ cat "$scratch/install.log" >&2; exit 1; }
grep -E '^(Setting up|Unpacking|Get:)' "$scratch/install.log" | sed 's/^/smoke-deb:   /'
got=$(inroot offboard version)
echo "smoke-deb: /usr/bin/offboard version says: $got"
[ "$got" = "$want" ] || { echo "smoke-deb: expected '$want'" >&2; exit 1; }
inroot man -w offboard >/dev/null || { echo "smoke-deb: man offboard finds no page" >&2; exit 1; }
inroot dpkg -L offboard >"$scratch/files"
echo "smoke-deb: $(wc -l <"$scratch/files") paths installed; apt-get purge offboard"
inroot apt-get purge -y -q offboard >"$scratch/purge.log" 2>&1 || { cat "$scratch/purge.log" >&2; exit 1; }

left=()
while read -r p; do
	# Shared folders (/usr/share/icons/...) stay; every file must be gone,
	# and so must every folder that only the package owned.
	if [ -e "$r$p" ] && { [ ! -d "$r$p" ] || [[ $p == */offboard* ]]; }; then
		left+=("$p")
	fi
done <"$scratch/files"
# Anything else with the package's name that the install wrote (dpkg's own
# records included), except the logs of what apt and dpkg did.
while read -r p; do left+=("${p#"$scratch/upper"}"); done < <(
	find "$scratch/upper" -iname '*offboard*' ! -path '*/var/log/*' ! -path "$scratch/upper/tmp*")
if [ ${#left[@]} -gt 0 ]; then
	echo "smoke-deb: left behind after purge:" >&2
	printf '  %s\n' "${left[@]}" >&2
	exit 1
fi
inroot dpkg -s offboard >/dev/null 2>&1 && { echo "smoke-deb: dpkg still knows offboard" >&2; exit 1; }
echo "smoke-deb: removed; none of its $(wc -l <"$scratch/files") paths is left"
INSIDE
