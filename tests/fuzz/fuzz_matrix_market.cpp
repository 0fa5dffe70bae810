// Fuzz target: the Matrix Market reader of the command-line tool (src/cli/matrix_market.hpp) on
// arbitrary bytes, read from memory as a file would be, in double and in MPFR, as a matrix and
// as a vector.
// Contract: a matrix consistent with its header, or a UsageError whose message names the
// argument and the file; any other exception, a crash or a sanitizer report is a finding, and
// so is an allocation the input's size does not justify (libFuzzer's -malloc_limit_mb and
// -rss_limit_mb: a header claiming a 10^9 x 10^9 matrix must be refused before allocating;
// the reader's memory limit is set to 1 MiB here).
#include "fuzz_support.hpp"

#include "matrix_market.hpp"

#include <cmath>
#include <exception>
#include <string>
#include <typeinfo>

namespace {

using momentum::mpfr_float;
using momentum::cli::MatrixMarket;
using momentum::cli::UsageError;
using momentum::fuzz::finding;

const std::string file = "fuzzed.mtx", what = "--matrix", where = what + " " + file + ": ";

template <class Scalar>
void check_value(const Scalar& v, bool integer, std::string_view input) {
  using std::floor;
  if (!momentum::is_finite(v)) finding("a stored value is not finite", input);
  if (integer && floor(v) != v) finding("a value of an integer file is not an integer", input);
}

template <class Scalar>
void check_matrix(const MatrixMarket<Scalar>& m, std::string_view input) {
  const auto& h = m.header;
  if (h.rows < 1 || h.cols < 1) finding("a matrix with no rows or columns", input);
  if (h.symmetric && h.rows != h.cols) finding("a symmetric matrix that is not square", input);
  const bool integer = h.field == "integer";
  if (m.is_sparse()) {
    const auto& s = m.sparse;
    if (s.rows() != h.rows || s.cols() != h.cols)
      finding("sparse size differs from the header", input);
    if (s.nonZeros() > h.entries * (h.symmetric ? 2 : 1))
      finding("more nonzeros than entries", input);
    for (Eigen::Index k = 0; k < s.outerSize(); ++k)
      for (typename Eigen::SparseMatrix<Scalar>::InnerIterator it(s, k); it; ++it)
        check_value(it.value(), integer, input);
    if (h.symmetric) {
      const Eigen::SparseMatrix<Scalar> t = s.transpose(), diff = s - t;
      for (Eigen::Index k = 0; k < diff.outerSize(); ++k)
        for (typename Eigen::SparseMatrix<Scalar>::InnerIterator it(diff, k); it; ++it)
          if (it.value() != 0) finding("a symmetric coordinate matrix is not symmetric", input);
    }
  } else {
    const auto& d = m.dense;
    if (d.rows() != h.rows || d.cols() != h.cols)
      finding("dense size differs from the header", input);
    for (Eigen::Index j = 0; j < d.cols(); ++j)
      for (Eigen::Index i = 0; i < d.rows(); ++i) check_value(d(i, j), integer, input);
    if (h.symmetric && d != d.transpose()) finding("a symmetric array is not symmetric", input);
  }
}

/// The reader may only succeed or throw a UsageError naming the argument and the file.
template <class F>
void expect_usage_error(F&& f, const char* reader, std::string_view input) {
  momentum::fuzz::expect_success_or<momentum::cli::UsageError>(std::forward<F>(f), where, reader, input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace momentum::cli;
  // What the reader may allocate: enough for any input of -max_len (4096) bytes, little enough
  // that a header asking for more is refused at once (touching large index arrays on every
  // run would slow the fuzzer down several times).
  set_memory_limit(1 << 20);
  momentum::set_digits(30 + guard_digits);
  const std::string_view input = momentum::fuzz::as_text(data, size);
  expect_usage_error(
      [&] { check_matrix(parse_matrix_market<double>(input, file, what), input); },
      "parse_matrix_market<double>", input);
  expect_usage_error(
      [&] { check_matrix(parse_matrix_market<mpfr_float>(input, file, what), input); },
      "parse_matrix_market<mpfr_float>", input);
  expect_usage_error(
      [&] {
        const momentum::Vector<double> v = parse_matrix_market_vector<double>(input, file, what);
        for (Eigen::Index i = 0; i < v.size(); ++i) check_value(v(i), false, input);
      },
      "parse_matrix_market_vector<double>", input);
  return 0;
}
