#include "common.hpp"

#include <charconv>
#include <cstdlib>

namespace momentum::cli {

Precision parse_precision(const std::string& text) {
  Precision p;
  if (text.empty()) return p;
  int d = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  const auto [ptr, ec] = std::from_chars(first, last, d);
  if (ec != std::errc() || ptr != last)
    throw UsageError("--digits: expected a whole number of significant digits, got \"" + text +
                     "\"");
  if (d < 1 || d > max_digits)
    throw UsageError("--digits: must lie in 1.." + std::to_string(max_digits) + ", got " +
                     text);
  p.digits = d;
  p.explicit_digits = true;
  p.multiprecision = d > 17;
  return p;
}

namespace {
bool multiprecision_run = false;
}

void apply_precision(const Precision& p, int extra) {
  multiprecision_run = p.multiprecision;
  if (p.multiprecision) set_digits(p.digits + extra);
}

bool ran_multiprecision() { return multiprecision_run; }

std::vector<std::string> split_list(const std::string& text, const std::string& what) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty())
      throw UsageError(what + ": expected a comma-separated list of numbers such as 0.2,4, got \"" +
                       text + "\"");
    items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

std::string shortest(double x) {
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, x);
  if (ec != std::errc()) return to_string(x, 17);
  return std::string(buf, ptr);
}

}  // namespace momentum::cli
