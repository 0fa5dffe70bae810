#!/usr/bin/env bash
# Sets up (Debian packages, Release build of the `momentum` tool) and runs the built-in
# example: d2l's f = 0.1 x1^2 + 2 x2^2 with eta = 0.6, beta = 0.5. Extra arguments are passed
# to `momentum` (default: the demo, writing its plots to ./momentum-demo).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j "$(nproc)" --target momentum_cli
exec "$root/build/momentum" "$@"
