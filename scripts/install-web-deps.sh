#!/usr/bin/env bash
# Installs the web app's npm packages (web/package-lock.json: chart.js, whose built file the
# binary embeds for the dashboards' charts, and playwright-core for the browser tests) into
# web/node_modules, only when the lock file differs from the one last installed. The app's own
# code needs no build step: it is plain ES modules and CSS compiled into the binary.
set -euo pipefail
web="$(cd "$(dirname "$0")/../web" && pwd)"
installed="$web/node_modules/.installed-package-lock.json"
if cmp -s "$installed" "$web/package-lock.json"; then
  exit 0
fi
echo "Installing the web app's npm packages (web/package-lock.json)"
(cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
cp "$web/package-lock.json" "$installed"
