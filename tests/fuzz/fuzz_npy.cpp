// Fuzz target: the NumPy .npy reader of the command-line tool (src/cli/npy.hpp) on arbitrary
// bytes, read from memory as a file would be, in double and in MPFR, as a matrix and as a
// vector.
// Contract: a matrix of the header's shape with finite values, or a UsageError whose message
// names the argument and the file; any other exception, a crash or a sanitizer report is a
// finding, and so is an allocation the input's size does not justify (libFuzzer's
// -malloc_limit_mb and -rss_limit_mb: a header claiming a 10^6 x 10^6 matrix must be refused
// before allocating; the reader's memory limit is set to 1 MiB here).
#include "fuzz_support.hpp"

#include "npy.hpp"

#include <exception>
#include <string>
#include <typeinfo>

namespace {

using momentum::mpfr_float;
using momentum::cli::MatrixMarket;
using momentum::cli::UsageError;
using momentum::fuzz::finding;

const std::string file = "fuzzed.npy", what = "--matrix", where = what + " " + file + ": ";

template <class Scalar>
void check_matrix(const MatrixMarket<Scalar>& m, std::string_view input) {
  const auto& h = m.header;
  if (!h.npy || h.coordinate || h.symmetric)
    finding("a .npy matrix not flagged dense and general", input);
  if (h.rows < 1 || h.cols < 1) finding("a matrix with no rows or columns", input);
  if (m.dense.rows() != h.rows || m.dense.cols() != h.cols)
    finding("dense size differs from the header", input);
  // Every value came from the input's bytes: at least one byte each.
  if (double(h.rows) * double(h.cols) > double(input.size()))
    finding("more values than the input has bytes", input);
  for (Eigen::Index j = 0; j < m.dense.cols(); ++j)
    for (Eigen::Index i = 0; i < m.dense.rows(); ++i)
      if (!momentum::is_finite(m.dense(i, j))) finding("a value is not finite", input);
}

/// The reader may only succeed or throw a UsageError naming the argument and the file.
template <class F>
void expect_usage_error(F&& f, const char* reader, std::string_view input) {
  momentum::fuzz::expect_success_or<momentum::cli::UsageError>(std::forward<F>(f), where, reader, input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace momentum::cli;
  set_memory_limit(1 << 20);  // as fuzz_matrix_market.cpp
  momentum::set_digits(30 + guard_digits);
  const std::string_view input = momentum::fuzz::as_text(data, size);
  expect_usage_error([&] { check_matrix(parse_npy<double>(input, file, what), input); },
                               "parse_npy<double>", input);
  expect_usage_error(
      [&] { check_matrix(parse_npy<mpfr_float>(input, file, what), input); },
      "parse_npy<mpfr_float>", input);
  expect_usage_error(
      [&] {
        const momentum::Vector<double> v = parse_npy_vector<double>(input, file, what);
        if (v.size() < 1) finding("an empty vector", input);
        for (Eigen::Index i = 0; i < v.size(); ++i)
          if (!momentum::is_finite(v(i))) finding("a vector value is not finite", input);
      },
      "parse_npy_vector<double>", input);
  return 0;
}
