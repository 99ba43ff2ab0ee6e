#!/usr/bin/env bash
# Installs the Debian packages Stripeline builds and tests with. Idempotent: only what is
# missing is installed, so a second run costs one dpkg query.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev          # Beast/Asio (HTTP), JSON and URL, used header-only
  libcurl4-openssl-dev      # Stripe client transport
  libsqlite3-dev sqlite3
  libpq-dev
  libsodium-dev             # encryption at rest, argon2id, HMAC
  libspdlog-dev libfmt-dev
  libcli11-dev
  libpugixml-dev            # CAMT.053 bank statements (ISO 20022 XML)
  libhowardhinnant-date-dev tzdata  # time zones of reports (GCC 12's <chrono> has none)
  libgtest-dev libgmock-dev
  libbenchmark-dev
  curl ca-certificates
  chromium                  # the browser tests (web/tests/) drive Debian's headless Chromium
  clang-14 libclang-rt-14-dev llvm-14  # `make fuzz`: libFuzzer, sanitizer runtimes, llvm-symbolizer
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# ... from Node with playwright-core (Node 20 or later). Asked for by command, not by package:
# a machine may have Node from elsewhere (NodeSource's nodejs bundles npm and conflicts with
# Debian's npm package).
command -v node > /dev/null || missing+=(nodejs)
command -v npm > /dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
