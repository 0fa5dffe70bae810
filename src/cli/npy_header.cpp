#include "npy.hpp"

#include <cstring>
#include <limits>

namespace momentum::cli {

namespace {
namespace npy_header {  // a name of its own: the tool's library compiles as one unit

/// Where a message goes: "--matrix Q.npy".
struct Where {
  const std::string& what;
  [[noreturn]] void fail(const std::string& why) const { throw UsageError(what + ": " + why); }
};

/// The header as it may be shown in a message: printable ASCII, at most 100 characters.
std::string shown(std::string_view header) {
  while (!header.empty() && (header.back() == ' ' || header.back() == '\n'))
    header.remove_suffix(1);
  std::string s;
  for (const char c : header.substr(0, 100)) {
    const auto u = static_cast<unsigned char>(c);
    s += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  return s + (header.size() > 100 ? "..." : "");
}

/// A strict parser of the header's Python dict literal:
/// {'descr': '<f8', 'fortran_order': False, 'shape': (3, 3), }
class DictParser {
 public:
  DictParser(std::string_view text, const Where& in) : s_(text), in_(in) {}

  NpyHeader parse() {
    NpyHeader h;
    bool descr = false, order = false, shape = false;
    blanks();
    expect('{');
    blanks();
    while (!at('}')) {
      const std::string key = string_literal();
      blanks();
      expect(':');
      blanks();
      if (key == "descr") {
        if (descr) fail("the key 'descr' appears twice");
        if (at('[')) fail("structured dtypes (a list of fields) are not supported");
        h.descr = string_literal();
        descr = true;
      } else if (key == "fortran_order") {
        if (order) fail("the key 'fortran_order' appears twice");
        h.fortran_order = boolean();
        order = true;
      } else if (key == "shape") {
        if (shape) fail("the key 'shape' appears twice");
        h.shape = tuple();
        shape = true;
      } else {
        fail("unknown key '" + key + "' (a .npy header has 'descr', 'fortran_order' and 'shape')");
      }
      blanks();
      if (at(',')) {
        ++i_;
        blanks();
      } else if (!at('}')) {
        fail("expected ',' or '}'");
      }
    }
    ++i_;
    blanks();
    if (i_ != s_.size()) fail("unexpected text after the dict");
    if (!descr || !order || !shape)
      fail(std::string("the key '") + (!descr ? "descr" : !order ? "fortran_order" : "shape") +
           "' is missing");
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    in_.fail("the header is not a .npy header: " + why + " at character " + std::to_string(i_ + 1) +
             " of \"" + shown(s_) + "\"");
  }
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void expect(char c) {
    if (!at(c)) fail(std::string("expected '") + c + "'");
    ++i_;
  }
  void blanks() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  std::string string_literal() {
    if (!at('\'') && !at('"')) fail("expected a quoted string");
    const char quote = s_[i_++];
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != quote) {
      const auto u = static_cast<unsigned char>(s_[i_]);
      if (s_[i_] == '\\' || u < 0x20 || u >= 0x7f) fail("unexpected character in a string");
      ++i_;
    }
    if (i_ == s_.size()) fail("unterminated string");
    return std::string(s_.substr(start, i_++ - start));
  }
  bool boolean() {
    if (s_.substr(i_, 4) == "True") return i_ += 4, true;
    if (s_.substr(i_, 5) == "False") return i_ += 5, false;
    fail("expected True or False");
  }
  std::vector<std::int64_t> tuple() {
    expect('(');
    std::vector<std::int64_t> t;
    blanks();
    while (!at(')')) {
      if (t.size() == 32) fail("more than 32 dimensions");
      std::int64_t v = 0;
      std::size_t digits = 0;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
        if (++digits > 18) fail("a dimension of more than 18 digits");
        v = 10 * v + (s_[i_++] - '0');
      }
      if (digits == 0) fail("expected a non-negative integer dimension");
      if (at('L')) ++i_;  // Python 2's long literal, in files numpy 1.x wrote under Python 2
      t.push_back(v);
      blanks();
      if (at(',')) {
        ++i_;
        blanks();
      } else if (!at(')')) {
        fail("expected ',' or ')'");
      }
    }
    ++i_;
    return t;
  }
  std::string_view s_;
  const Where& in_;
  std::size_t i_ = 0;
};

/// Interprets descr ("<f8"); fails for any dtype but floats of 4 or 8 and integers of 1 to 8
/// bytes.
void interpret_descr(NpyHeader& h, const Where& in) {
  const std::string& d = h.descr;
  const std::string accepted = ": Q must be real, stored as float64 or float32 (or integers)";
  auto refuse = [&](const std::string& why) { in.fail("dtype '" + d + "' " + why + accepted); };
  if (d.size() < 2 || std::string_view("<>|=").find(d[0]) == std::string_view::npos)
    refuse("is not supported");
  const char kind = d[1];
  if (kind == 'c') refuse("is complex, which is not supported");
  if (kind == 'O') refuse("holds Python objects, which are not supported");
  if (kind == 'U' || kind == 'S' || kind == 'a') refuse("holds strings, which are not supported");
  int size = 0;
  for (const char c : d.substr(2)) {
    if (c < '0' || c > '9' || size > 100) refuse("is not supported");
    size = 10 * size + (c - '0');
  }
  const bool integer = (kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 ||
                                                        size == 8);
  const bool ok = (kind == 'f' && (size == 4 || size == 8)) || integer;
  if (!ok) refuse("is not supported");
  if (d[0] == '|' && size != 1) refuse("has no byte order ('|') but more than one byte");
  h.kind = kind;
  h.item_size = size;
  h.big_endian = d[0] == '>';  // '=' is the writer's native order: numpy writes '<' or '>' itself
  if (d[0] == '=') {
    const std::uint16_t one = 1;
    unsigned char first = 0;
    std::memcpy(&first, &one, 1);
    h.big_endian = first == 0;
  }
}

}  // namespace npy_header
}  // namespace

std::uint64_t NpyHeader::elements() const {
  std::uint64_t n = 1;
  for (const std::int64_t d : shape) n *= static_cast<std::uint64_t>(d);  // each < 2^31, at most 2
  return n;
}

std::string NpyHeader::dtype() const {
  return std::string(kind == 'f' ? "float" : kind == 'i' ? "int" : "uint") +
         std::to_string(8 * item_size);
}

std::string NpyHeader::shape_text() const {
  std::string s = "(";
  for (std::size_t k = 0; k < shape.size(); ++k)
    s += (k ? ", " : "") + std::to_string(shape[k]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

NpyHeader parse_npy_dict(std::string_view text, const std::string& where) {
  using namespace npy_header;
  const Where in{where};
  NpyHeader h = DictParser(text, in).parse();
  interpret_descr(h, in);
  const std::int64_t max_index = std::numeric_limits<int>::max();
  for (const std::int64_t n : h.shape) {
    if (n == 0) in.fail("the array of shape " + h.shape_text() + " is empty");
    if (n > max_index)
      in.fail("shape " + h.shape_text() + ": a dimension is larger than " +
              std::to_string(max_index));
  }
  if (h.shape.empty() || h.shape.size() > 2)
    in.fail("shape " + h.shape_text() + " has " + std::to_string(h.shape.size()) +
            " dimensions: expected a matrix (n, n) or a vector (n,)");
  return h;
}

}  // namespace momentum::cli
