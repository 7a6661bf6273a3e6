#!/usr/bin/env bash
# Installs everything Wirechat needs on a fresh Debian machine: system packages (Chromium for the
# UI and tests, Python websockets as an independent test peer, openssl for test certificates) and
# the npm dependencies. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
/usr/bin/python3 -c 'import websockets' 2>/dev/null || need_apt+=(python3-websockets)
command -v openssl >/dev/null || need_apt+=(openssl)
fc-list 2>/dev/null | grep -qi 'dejavu' || need_apt+=(fonts-dejavu-core)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The Electron binary comes from GitHub, which these machines cannot reach: skip its download.
# `npm start` falls back to the browser host when no Electron binary is present.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-fund --no-audit --loglevel=error
fi
node scripts/build.mjs
