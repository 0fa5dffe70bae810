#!/usr/bin/env bash
# Installs the Python package `momentum` built in BUILD_DIR/python/momentum (the CMake target
# momentum_python: the extension _momentum and the package's modules) for PYTHON: into the
# user's site-packages (`PYTHON -m site --user-site`; no root needed), or, when PYTHON is a
# virtual environment's, into that environment's site-packages. Replaces an earlier install.
#   scripts/install-python.sh [--build-dir DIR] [--python PYTHON] [--build]
#     --build-dir DIR  the CMake build tree (default: build)
#     --python PYTHON  the interpreter (default: /usr/bin/python3, Debian's, else python3); the
#                      build must have been configured for it (-DPYTHON_EXECUTABLE=PYTHON)
#     --build          build the target momentum_python first
# A virtual environment made from /usr/bin/python3 (python3 -m venv --system-site-packages ENV:
# numpy and scipy from Debian) uses the same build: --python ENV/bin/python. Another
# interpreter needs a build configured with -DPYTHON_EXECUTABLE=PYTHON (then --build).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build"
python=/usr/bin/python3
[[ -x $python ]] || python=python3
do_build=0
while (($#)); do
  case "$1" in
    --build-dir) build=$(cd "$2" && pwd); shift 2 ;;
    --python) python=$2; shift 2 ;;
    --build) do_build=1; shift ;;
    *) echo "install-python: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
if ((do_build)); then
  cmake --build "$build" -j "$(nproc)" --target momentum_python
fi
package="$build/python/momentum"
suffix=$("$python" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
if [[ ! -f "$package/_momentum$suffix" ]]; then
  echo "install-python: no $package/_momentum$suffix: build the target momentum_python for" \
       "$python (configure with -DMOMENTUM_BUILD_PYTHON=ON -DPYTHON_EXECUTABLE=$python)" >&2
  exit 1
fi
# A virtual environment has no user site; its own site-packages is the place.
target=$("$python" - <<'PY'
import site, sys, sysconfig
if sys.prefix != sys.base_prefix:
    print(sysconfig.get_paths()["purelib"])
else:
    print(site.getusersitepackages())
PY
)
mkdir -p "$target"
rm -rf "$target/momentum"
mkdir "$target/momentum"
cp "$package"/*.py "$package/_momentum$suffix" "$target/momentum/"
echo "install-python: installed momentum for $python in $target/momentum"
