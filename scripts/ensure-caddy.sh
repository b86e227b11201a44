#!/usr/bin/env bash
# Installs Debian's caddy for the deployment test (the app behind a real Caddy) when it is missing.
# Without root we cannot install it: that test then skips, saying why
# (unless CI=true, where it fails, because CI must run it).
set -u
if [ -x /usr/bin/caddy ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure-caddy: /usr/bin/caddy is missing and we are not root; the deployment test will be skipped." >&2
  exit 0
fi
echo "ensure-caddy: installing Debian's caddy (once)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends caddy >/dev/null \
  || { echo "ensure-caddy: apt-get install caddy failed" >&2; exit 1; }
# The package starts its own service on port 80; the test runs its own Caddy, so leave ours idle.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet caddy 2>/dev/null; then
  systemctl stop caddy || true
fi
