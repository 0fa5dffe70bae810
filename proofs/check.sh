#!/usr/bin/env bash
# Machine-check the Coq proofs of proofs/coq/.
#   bash proofs/check.sh [BUILD_DIR]
# (a) fails if a .v file contains Admitted, admit, Axiom or any other way of
#     assuming a statement; (b) compiles every .v file with coqc in BUILD_DIR
#     (default: a temporary directory, removed afterwards), so no .vo file lands
#     in the source tree; (c) compiles Assumptions.v, which runs Print Assumptions
#     on every main theorem, and fails if any axiom other than the standard
#     library's axioms of the real numbers is reported.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/coq"
COQC="${COQC:-coqc}"
COQDEP="${COQDEP:-coqdep}"

fail() { echo "proofs/check.sh: FAIL: $*" >&2; exit 1; }

command -v "$COQC" >/dev/null 2>&1 || fail "coqc not found (install Coq 8.16, e.g. apt-get install coq)"

if [ $# -ge 1 ] && [ -n "$1" ]; then
  BUILD="$1"
  mkdir -p "$BUILD"
else
  BUILD="$(mktemp -d "${TMPDIR:-/tmp}/momentum-coq.XXXXXX")"
  trap 'rm -rf "$BUILD"' EXIT
fi
BUILD="$(cd "$BUILD" && pwd)"
start=$(date +%s)

shopt -s nullglob
files=("$SRC"/*.v)
[ ${#files[@]} -gt 0 ] || fail "no .v files in $SRC"

# (a) no incomplete proofs, no new axioms, no switched-off checkers
forbidden='\b(Admitted|admit|give_up|Axiom|Axioms|Conjecture|Parameter|Parameters|Hypothesis|Hypotheses|Variable|Variables)\b|Unset[[:space:]]+(Guard|Positivity|Universe)[[:space:]]+Checking|bypass_check'
if grep -nE "$forbidden" "${files[@]}"; then
  fail "the lines above contain a forbidden keyword (incomplete proof or assumption)"
fi
echo "proofs: no Admitted/admit/Axiom in ${#files[@]} files"

# (b) compile into BUILD (sources are copied so that .vo/.glob/.aux and the
#     nra cache stay out of the source tree)
rm -rf "$BUILD/Momentum"
mkdir -p "$BUILD/Momentum"
cp "${files[@]}" "$BUILD/Momentum/"
cd "$BUILD/Momentum"
if command -v "$COQDEP" >/dev/null 2>&1; then
  read -r -a order <<< "$("$COQDEP" -sort -Q . Momentum ./*.v)"
else
  order=(Matrices.v Quadratic.v Regions.v QuasiConvex.v TunedHeavyBall.v Tunings.v TwoState.v NesterovOptimal.v Parameterizations.v TripleRobust.v Noise.v Assumptions.v)
fi
[ ${#order[@]} -eq ${#files[@]} ] || fail "dependency order lists ${#order[@]} files, expected ${#files[@]}"
for f in "${order[@]}"; do
  f="${f#./}"
  [ "$f" = "Assumptions.v" ] && continue
  t0=$(date +%s)
  "$COQC" -q -Q . Momentum "$f" || fail "coqc $f"
  echo "proofs: compiled $f ($(( $(date +%s) - t0 ))s)"
done

# (c) Print Assumptions
[ -f Assumptions.v ] || fail "Assumptions.v missing"
out="$BUILD/assumptions.txt"
"$COQC" -q -Q . Momentum Assumptions.v > "$out" || fail "coqc Assumptions.v"
expected=$(grep -c '^Print Assumptions ' Assumptions.v)
reports=$(grep -cE '^(Axioms:|Closed under the global context)$' "$out" || true)
[ "$reports" -eq "$expected" ] || fail "expected $expected Print Assumptions reports, got $reports (see $out)"
allowed='^(ClassicalDedekindReals\.sig_forall_dec|ClassicalDedekindReals\.sig_not_dec|FunctionalExtensionality\.functional_extensionality_dep|Rdefinitions\.[A-Za-z0-9_]+|Raxioms\.[A-Za-z0-9_]+)$'
bad=0
while IFS= read -r line; do
  case "$line" in
    ''|' '*|$'\t'*|'Axioms:'|'Closed under the global context') continue ;;
  esac
  name="${line%% *}"
  if ! [[ "$name" =~ $allowed ]]; then
    echo "proofs: non-standard assumption: $line" >&2
    bad=1
  fi
done < "$out"
[ "$bad" -eq 0 ] || fail "Print Assumptions reports an axiom outside the standard real-number axioms (see $out)"
axioms=$(grep -vE '^(Axioms:|Closed under the global context)$' "$out" | grep -E '^[^[:space:]]' | sed 's/ .*//' | sort -u | tr '\n' ' ')
echo "proofs: $expected theorems checked; axioms used: ${axioms:-none}"
echo "proofs: OK ($(( $(date +%s) - start ))s)"
