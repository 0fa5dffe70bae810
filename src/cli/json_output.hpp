#pragma once
/// \file json_output.hpp
/// JSON output (nlohmann-json, keys in insertion order). Every real number is written as a
/// decimal string with the digits the run asked for (JSON numbers are doubles in most readers
/// and would silently drop digits); counts and flags are JSON integers and booleans.
/// The keys are documented in README.md, "The command-line tool".

#include "accuracy.hpp"
#include "common.hpp"

#include <momentum/spectrum.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <ostream>
#include <type_traits>
#include <utility>

namespace momentum::cli {

using Json = nlohmann::ordered_json;

/// An empty object with room for n keys. An ordered_json object keeps its keys in a vector of
/// pairs whose keys are const: each time the vector grows it copies every value, deeply (the
/// top of a `rate` report copied its per_eigenvalue, x_error, ... on its 9th and 17th key).
inline Json json_object(std::size_t n) {
  Json j = Json::object();
  j.get_ref<Json::object_t&>().reserve(n);
  return j;
}

/// The roots of one eigenvalue's iteration matrix: [{"re": "...", "im": "..."}, ...], with at
/// most `digits` digits; with the wide twin's spectrum (double runs, accuracy.hpp), each part
/// with the digits its distance to the twin's leaves it.
template <class Scalar>
Json roots_json(const Spectrum<Scalar>& sp, const Precision& p, int digits,
                const Spectrum<long double>* wide = nullptr) {
  Json roots = Json::array();
  for (int k = 0; k < sp.count; ++k) {
    const Root<Scalar>& z = sp.roots[static_cast<std::size_t>(k)];
    int d_re = digits, d_im = digits;
    if constexpr (std::is_same_v<Scalar, double>) {
      if (wide != nullptr && wide->count == sp.count) {
        const Root<long double>& w = wide->roots[static_cast<std::size_t>(k)];
        const long double own = radius_error(*wide);
        d_re = std::min(digits, reliable_digits(z.re, twin_error(z.re, w.re, own), digits));
        d_im = std::min(digits, reliable_digits(z.im, twin_error(z.im, w.im, own), digits));
      }
    }
    roots.push_back({{"re", decimal(z.re, p, d_re)}, {"im", decimal(z.im, p, d_im)}});
  }
  return roots;
}

/// One eigenvalue: {"lambda", "step_lambda", "spectral_radius", "regime", "roots",
/// "critical_distance", "jordan", "reliable_digits"}. `lambda_digits`: the digits of lambda
/// known (fewer for an eigenvalue computed from a matrix); `wide`: the twin's spectrum and
/// `wide_step_lambda` the twin's step * lambda (double runs, accuracy.hpp).
template <class Scalar>
Json eigenvalue_json(const Scalar& lambda, const Scalar& step, const Spectrum<Scalar>& sp,
                     int reliable, const Precision& p, int lambda_digits = 100000,
                     const Spectrum<long double>* wide = nullptr, long double wide_step_lambda = 0) {
  Json j = json_object(8);
  const Scalar step_lambda = step * lambda;
  int step_lambda_digits = lambda_digits;
  if constexpr (std::is_same_v<Scalar, double>) {
    if (wide != nullptr) {
      const long double own = 4 * std::numeric_limits<long double>::epsilon() * std::fabs(wide_step_lambda);
      step_lambda_digits = std::min(
          lambda_digits, reliable_digits(step_lambda, twin_error(step_lambda, wide_step_lambda, own), p.digits));
    }
  }
  j["lambda"] = decimal(lambda, p, lambda_digits);
  j["step_lambda"] = decimal(step_lambda, p, step_lambda_digits);
  j["spectral_radius"] = decimal(sp.rho, p, reliable);
  j["regime"] = to_string(sp.regime);
  j["roots"] = roots_json(sp, p, reliable, wide);
  j["critical_distance"] = decimal(sp.critical_distance, p, 6);
  j["jordan"] = sp.jordan;
  j["reliable_digits"] = reliable;
  return j;
}

/// The JSON text of j (indent as in Json::dump). Strings the user gave (file names, mistyped
/// options) need not be UTF-8: their invalid bytes become U+FFFD instead of throwing.
inline std::string json_text(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

/// A taker of the documents print_json would write on std::cout: the Python module
/// (python/src/module.cpp) hands them to Python as objects, not as text to parse again. It
/// returns true when it took the document (moving from it); false: the document is printed.
using JsonSink = bool (*)(Json& document, void* context);
/// Sets the sink (null: none) for the commands run from now on; returns the previous one.
std::pair<JsonSink, void*> set_json_sink(JsonSink sink, void* context);
/// Whether the sink took j, a document for `out` (only std::cout's go to the sink).
bool json_sink_took(std::ostream& out, Json& j);
/// Whether a sink would be offered a document for `out`.
bool json_sink_wants(const std::ostream& out);

/// Writes one JSON object per line-free document, indented, newline-terminated (or hands it
/// to the sink).
inline void print_json(std::ostream& out, Json&& j) {
  if (!json_sink_took(out, j)) out << json_text(j, 2) << '\n';
}
inline void print_json(std::ostream& out, const Json& j) {
  if (json_sink_wants(out)) {
    Json copy = j;
    if (json_sink_took(out, copy)) return;
  }
  out << json_text(j, 2) << '\n';
}

/// A root as text: "0.5", or "0.5 ± 0.3i" for a complex pair.
std::string root_text(const Json& roots);

}  // namespace momentum::cli
