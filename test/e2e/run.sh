#!/usr/bin/env bash
# End-to-end test of the packaged extension in a real VS Code (code-server + headless
# Chromium, driven by playwright-core).
#
#   test/e2e/run.sh                 install the editor if needed, package, compile, run
#   test/e2e/run.sh --smoke         prove the harness with a throwaway extension (no packaging)
#   test/e2e/run.sh --results DIR   extra arguments go to editor.e2e.js
#
# The editor lives in ${NGINX_WS_CACHE:-$HOME/.cache/nginx-websocket-e2e} (see .ci/setup-editor.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

smoke=0
for arg in "$@"; do
  [ "$arg" = "--smoke" ] && smoke=1
done

echo "== e2e: editor (.ci/setup-editor.sh)"
.ci/setup-editor.sh

if [ "$smoke" = 0 ]; then
  echo "== e2e: package the extension (npm run package -> nginx-websocket.vsix)"
  rm -f nginx-websocket.vsix
  npm run package
  [ -f nginx-websocket.vsix ] || { echo "npm run package did not produce nginx-websocket.vsix" >&2; exit 1; }
fi

echo "== e2e: compile (tsc -p .)"
npx tsc -p .

echo "== e2e: scenario"
if [ "$smoke" = 1 ]; then
  exec node out/test/e2e/editor.e2e.js "$@"
else
  exec node out/test/e2e/editor.e2e.js --vsix nginx-websocket.vsix "$@"
fi
