#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing.
# Without root we cannot install it: the browser tests then skip, saying why
# (unless CI=true, where they fail, because CI must run them).
set -u
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing and we are not root; browser tests will be skipped." >&2
  exit 0
fi
echo "ensure-chromium: installing Debian's chromium (once)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null \
  || { echo "ensure-chromium: apt-get install chromium failed" >&2; exit 1; }
