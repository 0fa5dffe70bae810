#!/usr/bin/env bash
# Sets up (Debian packages, Release build of the `momentum` tool) and runs its built-in example,
# `momentum demo`: d2l's f = 0.1 x1^2 + 2 x2^2 with the velocity form eta = 0.6, beta = 0.5
# (regimes, rate, noise floor, the optimal tunings and their gain, d2l's trajectory reproduced,
# a 50-digit verification over 10^4 steps, the (eta, beta) landscape). The plots go to
# build/momentum-demo/ (the script's own output folder, replaced on each run; run
# `build/momentum demo` yourself for ./momentum-demo, which is never overwritten).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DMOMENTUM_BUILD_TOOL=ON >/dev/null
cmake --build "$root/build" -j "$(nproc)" --target momentum_cli
exec "$root/build/momentum" demo --output-dir "$root/build/momentum-demo" --force --quiet
