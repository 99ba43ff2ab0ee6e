#!/usr/bin/env bash
# `make run`: Stripeline on SQLite in the data directory, against the built-in Stripe emulator.
set -euo pipefail
binary="$1" data_dir="$2" listen="$3"
# The emulator's address: STRIPELINE_EMULATOR_LISTEN, read by `demo` itself.
exec "$binary" demo --data-dir "$data_dir" --listen "$listen"
