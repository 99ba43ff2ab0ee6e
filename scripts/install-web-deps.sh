#!/usr/bin/env bash
# Installs the browser tests' npm packages (web/package-lock.json: playwright-core only) into
# web/node_modules, only when the lock file differs from the one last installed. The web app itself
# needs no npm package: it is plain ES modules and CSS compiled into the binary.
set -euo pipefail
web="$(cd "$(dirname "$0")/../web" && pwd)"
installed="$web/node_modules/.installed-package-lock.json"
if cmp -s "$installed" "$web/package-lock.json"; then
  exit 0
fi
echo "Installing the browser tests' npm packages (web/package-lock.json)"
(cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
cp "$web/package-lock.json" "$installed"
