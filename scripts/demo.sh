#!/usr/bin/env bash
# Sets up (the Debian packages of the tool alone: scripts/install-deps.sh --tool; a Release
# build of the `momentum` tool, without tests, benchmarks, proofs or MPI; the Python package
# `momentum` for /usr/bin/python3, installed in the user's site-packages by
# scripts/install-python.sh) and runs its built-in
# example, `momentum demo`: d2l's f = 0.1 x1^2 + 2 x2^2 with the velocity form eta = 0.6,
# beta = 0.5 (regimes, rate, noise floor, the optimal tunings and their gain, d2l's trajectory
# reproduced, a 50-digit verification over 10^4 steps, the (eta, beta) landscape). The plots go
# to build/momentum-demo/ (the script's own output folder, replaced on each run; run
# `build/momentum demo` yourself for ./momentum-demo, where a later run replaces only the files
# an earlier demo wrote: a folder the demo did not make needs --force).
# It shares build/ with scripts/test.sh, which configures the tests back on (and installs their
# packages).
#   scripts/demo.sh
#   scripts/demo.sh --configure-only DIR [CMAKE_ARG...]   configure DIR as the demo does, no
#       install, build or run (tests/deps/check_tool_deps.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
configure=(-DCMAKE_BUILD_TYPE=Release -DMOMENTUM_BUILD_TOOL=ON -DMOMENTUM_BUILD_TESTS=OFF
           -DMOMENTUM_BUILD_BENCH=OFF -DMOMENTUM_BUILD_PROOFS=OFF -DMOMENTUM_BUILD_MPI=OFF
           -DMOMENTUM_BUILD_PYTHON=ON -DPYTHON_EXECUTABLE=/usr/bin/python3)
if [[ "${1:-}" == --configure-only ]]; then
  dir=$2
  shift 2
  exec cmake -S "$root" -B "$dir" "${configure[@]}" "$@"
fi
bash "$root/scripts/install-deps.sh" --tool
cmake -S "$root" -B "$root/build" "${configure[@]}" >/dev/null
cmake --build "$root/build" -j "$(nproc)" --target momentum_cli momentum_python
# The Python package for Debian's /usr/bin/python3, in the user's site-packages: right after
# this script, /usr/bin/python3 -c "import momentum" works (README, section Python).
bash "$root/scripts/install-python.sh" --build-dir "$root/build" --python /usr/bin/python3
exec "$root/build/momentum" demo --output-dir "$root/build/momentum-demo" --force --quiet
