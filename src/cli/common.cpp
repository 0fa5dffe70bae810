#include "common.hpp"

#include <cerrno>
#include <cmath>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>

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

namespace {

/// The text of "@FILE", read whole. \throws UsageError naming `what` and the file.
std::string read_list_file(const std::string& path, const std::string& what) {
  const std::string name = what + " @" + path;
  if (path.empty()) throw UsageError(what + " @: the file name after @ is empty");
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw UsageError(name + ": is a directory, not a file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw UsageError(name + ": cannot read the file: " + std::strerror(errno));
  std::string text;
  char buf[65536];
  long line = 1;
  std::size_t got = 0;
  // Checked as it is read, so that a device such as /dev/zero fails at its first byte.
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) {
    for (std::size_t i = 0; i < got; ++i) {
      const auto c = static_cast<unsigned char>(buf[i]);
      if (c == '\n') ++line;
      const bool space = c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
      if ((c < 0x20 && !space) || c >= 0x7f) {
        std::fclose(f);
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", c);
        throw UsageError(name + ": line " + std::to_string(line) + ": contains binary data (byte " +
                         hex + "): not a list of numbers");
      }
    }
    text.append(buf, got);
  }
  const bool failed = std::ferror(f) != 0;
  const int error = errno;
  std::fclose(f);
  if (failed) throw UsageError(name + ": cannot read the file: " + std::strerror(error));
  return text;
}

bool list_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

ListItems read_list(const std::string& text, const std::string& what) {
  const bool file = !text.empty() && text[0] == '@';
  const std::string body = file ? read_list_file(text.substr(1), what) : text;
  const std::string name = file ? what + " " + text : what;
  auto malformed = [&](long line, const std::string& why) {
    if (file) return UsageError(name + ": line " + std::to_string(line) + ": " + why);
    return UsageError(what + ": expected numbers separated by commas, spaces or newlines, such as "
                             "0.2,4 or \"1, 2, 10\" (" + why + "), got \"" + text + "\"");
  };
  ListItems list;
  long line = 1;
  bool after_comma = false;
  std::size_t i = 0;
  while (true) {
    while (i < body.size() && list_space(body[i])) line += body[i++] == '\n';
    if (i == body.size()) {
      if (after_comma) throw malformed(line, "a comma ends the list");
      break;
    }
    if (body[i] == ',') {
      if (list.items.empty()) throw malformed(line, "a comma starts the list");
      if (after_comma) throw malformed(line, "an empty item between two commas");
      after_comma = true;
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < body.size() && body[i] != ',' && !list_space(body[i])) ++i;
    list.items.push_back(body.substr(start, i - start));
    const std::string item = "item " + std::to_string(list.items.size());
    list.where.push_back(file ? name + " (line " + std::to_string(line) + ", " + item + ")"
                              : what + " (" + item + ")");
    after_comma = false;
  }
  if (list.items.empty()) {
    if (file) throw UsageError(name + ": the file holds no numbers" +
                               (body.empty() ? std::string(" (it is empty)") : std::string()));
    throw malformed(line, "no numbers");
  }
  return list;
}

std::vector<std::string> split_list(const std::string& text, const std::string& what) {
  return read_list(text, what).items;
}

std::string shortest(double x) {
  char buf[64];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, x);
  if (ec != std::errc()) return to_string(x, 17);
  return std::string(buf, ptr);
}

std::string with_digits(double x, int digits) {
  // to_chars in general format with a precision is printf's %.*g in the C locale, which is what
  // a string stream with that precision writes; non-finite values take the stream.
  if (!std::isfinite(x) || digits < 1 || digits > 40) return to_string(x, digits);
  char buf[128];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, digits);
  if (ec != std::errc()) return to_string(x, digits);
  return std::string(buf, ptr);
}

}  // namespace momentum::cli
