#!/usr/bin/env bash
# Runs a command with a Node the project supports (engines: 22 || 24):
#
#   ./scripts/with-node22.sh npm ci && ./scripts/with-node22.sh npm test
#
# The machine's node when it is 22 or 24; otherwise Node 22 from the npm registry (package node-linux-<arch>@22),
# installed once with the machine's npm into ~/.cache/open-amt-backstage/node-22 (OPEN_AMT_NODE_CACHE overrides).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args...]   (e.g. $0 npm test)" >&2
  exit 2
fi

NODE_MAJOR=22
current="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)"
if [ "$current" != 22 ] && [ "$current" != 24 ]; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *)
      echo "with-node22: no Node $NODE_MAJOR package for $(uname -m); install Node 22 or 24 yourself" >&2
      exit 1
      ;;
  esac
  if ! command -v npm >/dev/null; then
    echo "with-node22: npm is needed once to fetch Node $NODE_MAJOR (found node: $current)" >&2
    exit 1
  fi
  NODE_CACHE="${OPEN_AMT_NODE_CACHE:-$HOME/.cache/open-amt-backstage/node-$NODE_MAJOR}"
  NODE_HOME="$NODE_CACHE/node_modules/node-linux-$arch"
  if [ ! -x "$NODE_HOME/bin/node" ]; then
    echo "with-node22: installing node-linux-$arch@$NODE_MAJOR from the npm registry into $NODE_CACHE" >&2
    mkdir -p "$NODE_CACHE"
    npm install --no-save --no-audit --no-fund --prefix "$NODE_CACHE" "node-linux-$arch@$NODE_MAJOR" >/dev/null
  fi
  export PATH="$NODE_HOME/bin:$PATH"
  # Native addons (better-sqlite3) must build against this Node's headers, not the machine's.
  export npm_config_nodedir="$NODE_HOME"
fi

exec "$@"
