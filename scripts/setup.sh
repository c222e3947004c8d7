#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping whatever is already present at the
# pinned version. Safe to run again and again; `make serve` and `make test` both start with it.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_PACK_VERSION=0.15.1
# wasm-bindgen-cli must be exactly the wasm-bindgen version that Cargo.lock resolved.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# Debian packages: Chromium + ChromeDriver for browser tests, lavapipe (a CPU Vulkan device) for native GPU tests.
debs=(chromium chromium-driver mesa-vulkan-drivers)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

rustup target list --installed | grep -qx wasm32-unknown-unknown || {
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  # Not --locked: its lock file pins a webpki-roots version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (a few minutes)"
  cargo install --locked wasm-pack --version "$WASM_PACK_VERSION" --force
fi

# npm ci only when node_modules was installed from a different package-lock.json.
stamp=node_modules/.installed-from-lock.json
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
say "ready"
