#!/usr/bin/env bash
# Installs the Debian packages momentum needs to build, test, benchmark and check its proofs
# (librsvg2-bin: rsvg-convert, for the tool's PNG plots).
# Idempotent and non-interactive: does nothing when everything is already installed.
set -euo pipefail
packages=(
  g++ cmake make
  libeigen3-dev libboost-dev libmpfr-dev libgmp-dev
  doctest-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev libspectra-dev
  coq
  librsvg2-bin
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
