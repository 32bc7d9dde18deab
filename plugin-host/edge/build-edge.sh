#!/usr/bin/env bash
# Makes edge-js usable on CoreCLR here: its native addon (edge_coreclr.node, node-gyp against
# the installed Node headers) and its managed bootstrap (bootstrap.dll + EdgeJs.dll). Its own
# install script cannot build the bootstrap from this registry (EdgeJsPins.targets says why) and
# exits 0 all the same, so this checks both and rebuilds edge-js with the pins when one is missing.
# Idempotent: does nothing when both are there.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
edge="$root/node_modules/edge-js"
native="$edge/build/Release/edge_coreclr.node"
bootstrap="$edge/lib/bootstrap/bin/Release/bootstrap.dll"

if [ ! -d "$edge" ]; then
  echo "build-edge: $edge is missing; run npm ci first" >&2
  exit 1
fi
if [ -f "$native" ] && [ -f "$bootstrap" ]; then
  exit 0
fi
# node-gyp finds Node's headers through npm's nodedir (they cannot be downloaded here).
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
echo "build-edge: building edge-js (native addon and managed bootstrap)"
cd "$root"
DirectoryBuildTargetsPath="$root/plugin-host/edge/EdgeJsPins.targets" nice -n 10 npm rebuild edge-js --foreground-scripts
for built in "$native" "$bootstrap"; do
  if [ ! -f "$built" ]; then
    echo "build-edge: $built was not built; see the output above" >&2
    exit 1
  fi
done
