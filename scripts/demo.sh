#!/usr/bin/env bash
# Sets up (Debian packages, Release build) and runs the built-in example: d2l's
# f = 0.1 x1^2 + 2 x2^2 with the velocity form eta = 0.6, beta = 0.5 (regimes, rates, the
# optimal tuning and its gain, a 50-digit verification over 10^4 steps).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" -j "$(nproc)" --target momentum_example
exec "$root/build/momentum_example"
