#!/usr/bin/env bash
# Checks the claim of scripts/install-deps.sh --tool: that its packages are all that building
# the `momentum` tool as scripts/demo.sh does needs. Configures a scratch build with the demo's
# own configure line (scripts/demo.sh --configure-only) under `cmake --trace-expand`, collects
# every file outside the source tree that the configure read (the package configs and find
# modules that find_package reached) and every file it found (the compiler, the libraries of
# find_library), asks dpkg which package owns each, and fails when one is neither a --tool
# package nor among their dependencies (apt-cache depends --recurse). Needs a Debian system
# with the tool's packages installed. Run by ctest as deps_tool (label install).
#   tests/deps/check_tool_deps.sh [SOURCE_DIR]
set -euo pipefail
root=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The --tool list, as install-deps.sh defines it.
mapfile -t tool < <(sed -n '/^tool_packages=(/,/^)/p' "$root/scripts/install-deps.sh" |
                      sed '1d;$d' | tr ' ' '\n' | sed '/^$/d')
((${#tool[@]} > 5)) || { echo "check_tool_deps: no --tool list in install-deps.sh" >&2; exit 1; }

if ! bash "$root/scripts/demo.sh" --configure-only "$work/build" --trace-expand \
       --trace-redirect="$work/trace.txt" >"$work/configure.log" 2>&1; then
  cat "$work/configure.log" >&2
  echo "check_tool_deps: the demo's configure line fails" >&2
  exit 1
fi

# Files the configure read (trace lines start with "<file>(<line>):"), outside the sources and
# the scratch build; files it found (FILEPATH cache entries: compiler, libraries).
{
  sed -n 's|^\(/[^(]*\)([0-9]*):.*|\1|p' "$work/trace.txt" | sort -u
  sed -n 's|^[A-Za-z0-9_]*:FILEPATH=\(/.*\)$|\1|p' "$work/build/CMakeCache.txt"
} | grep -v -e "^$root/" -e "^$work/" | sort -u | while read -r f; do
  [[ -e "$f" ]] && echo "$f"
done >"$work/files.txt"

# The --tool packages and everything they depend on (the architecture suffixes dropped).
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${tool[@]}" 2>/dev/null | grep -v '^ ' | sed 's/:.*//' |
  sort -u >"$work/closure.txt"

# Owners: dpkg -S of each path as found (a -dev package's libfoo.so link), else of the file it
# resolves to (the compiler's /usr/bin/c++ is an alternatives link no package owns).
mapfile -t files <"$work/files.txt"
dpkg -S "${files[@]}" 2>/dev/null >"$work/owners.txt" || true
status=0
owners=()
for f in "${files[@]}"; do
  line=$(awk -v f=": $f" 'length($0) > length(f) && substr($0, length($0) - length(f) + 1) == f {
              print; exit }' "$work/owners.txt")
  if [[ -z "$line" ]]; then
    line=$(dpkg -S "$(realpath "$f")" 2>/dev/null | head -1) || true
  fi
  if [[ -z "$line" ]]; then
    echo "check_tool_deps: $f belongs to no package (installed by hand?)" >&2
    status=1
    continue
  fi
  # "pkg1:amd64, pkg2: /path": acceptable when one owner is in the closure.
  ok=0
  for p in $(echo "${line%%: /*}" | tr ',' ' '); do
    p=${p%%:*}
    grep -qx "$p" "$work/closure.txt" && ok=1 && owners+=("$p")
  done
  if ((!ok)); then
    echo "check_tool_deps: the demo's configure reads $f, of ${line%%: /*}, which" \
         "install-deps.sh --tool does not install" >&2
    status=1
  fi
done
echo "check_tool_deps: $(wc -l <"$work/files.txt") files read or found by the demo's configure," \
     "owned by: $(printf '%s\n' "${owners[@]}" | sort -u | tr '\n' ' ')"
echo "check_tool_deps: --tool installs ${tool[*]} ($(wc -l <"$work/closure.txt") packages with their dependencies)"
exit $status
