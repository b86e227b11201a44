#!/usr/bin/env bash
# Usage: scripts/ensure-debian-packages.sh PKG...
# Installs the Debian packages the tests need (chromium for the browser tests, caddy for the
# deployment test) when they are missing: with apt-get as root, or through sudo when it may run
# without a password. Otherwise it says what is missing and how to install it, and exits 0: the
# tests that need a missing package then skip, saying why (unless CI=true, where they fail,
# because CI must run them).
set -u
name=ensure-debian-packages
if [ "$#" -eq 0 ]; then
  echo "usage: $0 PKG..." >&2
  exit 2
fi

present() {  # installed as a package, or its command is on PATH (installed some other way)
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || command -v "$1" >/dev/null 2>&1
}

missing=()
for pkg in "$@"; do
  present "$pkg" || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "$name: ${missing[*]} missing, and we are neither root nor allowed to sudo; the tests that need" \
       "them will be skipped. Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$name: ${missing[*]} missing and this is not a Debian system (no apt-get); the tests that need" \
       "them will be skipped." >&2
  exit 0
fi

echo "$name: installing Debian's ${missing[*]} (once)..."
${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
  && ${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
  || { echo "$name: apt-get install ${missing[*]} failed" >&2; exit 1; }

# A package that starts its own service (caddy, on port 80) is left idle: the tests run their own.
if command -v systemctl >/dev/null 2>&1; then
  for pkg in "${missing[@]}"; do
    if systemctl is-active --quiet "$pkg" 2>/dev/null; then
      ${as_root[@]+"${as_root[@]}"} systemctl stop "$pkg" || true
    fi
  done
fi
exit 0
