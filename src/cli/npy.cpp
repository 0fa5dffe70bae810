#include "npy.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <sys/stat.h>
#include <type_traits>

namespace momentum::cli {

namespace {
namespace npy_reader {  // a name of its own: the tool's library compiles as one unit

/// Longest header accepted. numpy writes a few hundred bytes and itself refuses headers over
/// 10000 bytes unless told otherwise; a longer one is not a matrix numpy saved.
constexpr std::uint32_t max_header = 1 << 16;

/// The bytes of a file, or of memory, read in order.
class ByteReader {
 public:
  ByteReader(const std::string& path, const std::string& what) : what_(what + " " + path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0)
      throw UsageError(what_ + ": cannot read the file: " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw UsageError(what_ + ": is a directory, not a file");
    size_ = static_cast<std::uint64_t>(st.st_size);
    size_known_ = S_ISREG(st.st_mode);
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) throw UsageError(what_ + ": cannot read the file: " + std::strerror(errno));
  }
  ByteReader(std::string_view bytes, const std::string& name, const std::string& what)
      : what_(what + " " + name), text_(bytes), size_(bytes.size()), size_known_(true) {}
  ~ByteReader() {
    if (file_) std::fclose(file_);
  }
  ByteReader(const ByteReader&) = delete;
  ByteReader& operator=(const ByteReader&) = delete;

  /// Reads up to n bytes into out; returns how many (fewer only at the end).
  std::size_t read(char* out, std::size_t n) {
    std::size_t got = 0;
    if (!file_) {
      got = std::min(n, text_.size());
      std::memcpy(out, text_.data(), got);
      text_.remove_prefix(got);
    } else {
      got = std::fread(out, 1, n, file_);
      if (got < n && std::ferror(file_)) fail("cannot read the file (I/O error)");
    }
    consumed_ += got;
    return got;
  }
  [[noreturn]] void fail(const std::string& why) const { throw UsageError(what_ + ": " + why); }
  std::uint64_t size() const { return size_; }
  bool size_known() const { return size_known_; }
  std::uint64_t consumed() const { return consumed_; }
  const std::string& what() const { return what_; }

 private:
  std::string what_;
  std::FILE* file_ = nullptr;
  std::string_view text_;
  std::uint64_t size_ = 0, consumed_ = 0;
  bool size_known_ = false;
};

NpyHeader read_header(ByteReader& in) {
  char prefix[12];
  const std::size_t got = in.read(prefix, 8);
  if (got < 6 || std::memcmp(prefix, "\x93NUMPY", 6) != 0)
    in.fail(got == 0 ? "the file is empty"
                     : "not a NumPy .npy file: it does not start with the magic bytes \\x93NUMPY");
  if (got < 8) in.fail("the file ends inside its .npy preamble (truncated?)");
  NpyHeader h;
  h.major = static_cast<unsigned char>(prefix[6]);
  h.minor = static_cast<unsigned char>(prefix[7]);
  if (h.major < 1 || h.major > 3 || h.minor != 0)
    in.fail(".npy format version " + std::to_string(h.major) + "." + std::to_string(h.minor) +
            " is not supported (1.0, 2.0 or 3.0)");
  const std::size_t len_bytes = h.major == 1 ? 2 : 4;
  if (in.read(prefix + 8, len_bytes) != len_bytes)
    in.fail("the file ends inside its .npy preamble (truncated?)");
  std::uint32_t len = 0;
  for (std::size_t k = len_bytes; k-- > 0;)  // little-endian
    len = len << 8 | static_cast<unsigned char>(prefix[8 + k]);
  if (len > max_header)
    in.fail("the .npy header declares " + std::to_string(len) + " bytes, more than the " +
            std::to_string(max_header) + " accepted");
  std::string text(len, '\0');
  if (in.read(text.data(), len) != len)
    in.fail("the file ends inside its .npy header of " + std::to_string(len) +
            " bytes (truncated?)");
  NpyHeader parsed = parse_npy_dict(text, in.what());
  parsed.major = h.major;
  parsed.minor = h.minor;
  parsed.data_offset = 8 + len_bytes + len;
  return parsed;
}

/// The value of one item's bytes (in the file's byte order) as a double: exact for floats and
/// for integers up to 2^53; `wide` is set for a larger integer, which only MPFR holds exactly.
struct Item {
  double value = 0;
  std::int64_t integer = 0;
  std::uint64_t unsigned_integer = 0;
  bool wide = false;
};

Item decode(const unsigned char* p, const NpyHeader& h) {
  std::uint64_t bits = 0;
  const int n = h.item_size;
  for (int k = 0; k < n; ++k) {
    const std::uint64_t byte = p[h.big_endian ? k : n - 1 - k];
    bits = bits << 8 | byte;
  }
  Item it;
  if (h.kind == 'f') {
    if (n == 8) {
      std::memcpy(&it.value, &bits, 8);
    } else {
      const auto b32 = static_cast<std::uint32_t>(bits);
      float f = 0;
      std::memcpy(&f, &b32, 4);
      it.value = f;  // exact
    }
    return it;
  }
  const std::uint64_t limit = std::uint64_t(1) << 53;
  if (h.kind == 'u') {
    it.unsigned_integer = bits;
    it.wide = bits > limit;
    it.value = static_cast<double>(bits);
    return it;
  }
  const int shift = 64 - 8 * n;
  const std::uint64_t sign = std::uint64_t(1) << (8 * n - 1);
  // Sign extension without shifting a negative number.
  const std::uint64_t extended =
      (bits & sign) && shift ? bits | (~std::uint64_t(0) << (8 * n)) : bits;
  std::memcpy(&it.integer, &extended, 8);
  const std::uint64_t magnitude =
      it.integer < 0 ? ~extended + 1 : extended;  // |v| (2^63 for the smallest int64)
  it.wide = magnitude > limit;
  it.value = static_cast<double>(it.integer);
  return it;
}

template <class Scalar>
Scalar to_scalar(const Item& it, const NpyHeader& h, const ByteReader& in, std::int64_t i,
                 std::int64_t j) {
  // The message only on failure: this runs once per value.
  auto where = [&] {
    return "entry (" + std::to_string(i + 1) + "," + std::to_string(j + 1) + ")";
  };
  if (h.kind == 'f') {
    if (!std::isfinite(it.value))
      in.fail(where() + " is " + (std::isnan(it.value) ? "nan" : "infinite") +
              ": every value must be finite");
    return Scalar(it.value);
  }
  if (!it.wide) return Scalar(it.value);
  if constexpr (std::is_same_v<Scalar, double>) {
    in.fail(where() + " = " +
            (h.kind == 'u' ? std::to_string(it.unsigned_integer) : std::to_string(it.integer)) +
            " is an integer beyond 2^53, which double cannot hold exactly; --digits 20 or more "
            "computes in MPFR, which does");
  } else {
    // MPFR at the tool's precision (at least 30 digits, about 100 bits) holds 64-bit integers.
    using ull = unsigned long long;
    using ll = long long;
    return h.kind == 'u' ? Scalar(static_cast<ull>(it.unsigned_integer))
                         : Scalar(static_cast<ll>(it.integer));
  }
}

std::string whole(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", x);
  return buf;
}

/// Reads the array; a matrix (`matrix`: for --matrix) must have two dimensions.
template <class Scalar>
MatrixMarket<Scalar> read_values(ByteReader& in, const std::string& name, Progress* progress,
                                 bool matrix) {
  const NpyHeader h = read_header(in);
  if (matrix && h.shape.size() != 2)
    in.fail("shape " + h.shape_text() + " is a vector: Q must be a 2-D array of shape (n, n)");
  MatrixMarket<Scalar> m;
  const bool vector = h.shape.size() == 1;
  const Eigen::Index rows = static_cast<Eigen::Index>(h.shape[0]);
  const Eigen::Index cols = vector ? 1 : static_cast<Eigen::Index>(h.shape[1]);
  m.header.npy = true;
  m.header.field = h.dtype();
  m.header.rows = rows;
  m.header.cols = cols;
  m.header.entries = std::int64_t(rows) * std::int64_t(cols);
  const std::uint64_t elements = h.elements();
  const double data_bytes = double(elements) * h.item_size;
  // Never trust the header: a file too short (or too long) for its shape is refused before the
  // matrix is allocated; a pipe, whose size is unknown, is left to the memory check.
  if (in.size_known()) {
    const double have = double(in.size()) - double(h.data_offset);
    if (have != data_bytes)
      in.fail("shape " + h.shape_text() + " of " + h.dtype() + " needs " + whole(data_bytes) +
              " bytes of data, but the file holds " + whole(have) +
              (have < data_bytes ? " (truncated?)" : " (the shape is wrong?)"));
  }
  require_memory(double(bytes_per_scalar<Scalar>()) * double(elements), in.what(),
                 "a dense " + std::to_string(rows) + "x" + std::to_string(cols) + " matrix");
  if (progress) progress->stage("reading " + name);
  m.dense.resize(rows, cols);
  std::vector<char> buffer(std::size_t(1) << 20);  // a multiple of every item size
  std::uint64_t k = 0;
  while (k < elements) {
    const std::uint64_t want =
        std::min<std::uint64_t>(buffer.size(), (elements - k) * std::uint64_t(h.item_size));
    const std::size_t got = in.read(buffer.data(), static_cast<std::size_t>(want));
    if (got != want)
      in.fail("the file ends after " + std::to_string(k + got / h.item_size) + " of the " +
              std::to_string(elements) + " values of shape " + h.shape_text() + " (truncated?)");
    const auto* p = reinterpret_cast<const unsigned char*>(buffer.data());
    // C order: the last index varies fastest; Fortran order: the first.
    const std::uint64_t fast = h.fortran_order ? std::uint64_t(rows) : std::uint64_t(cols);
    for (std::size_t b = 0; b < got; b += std::size_t(h.item_size), ++k) {
      const auto a = std::int64_t(k / fast), c = std::int64_t(k % fast);
      const std::int64_t i = h.fortran_order ? c : a, j = h.fortran_order ? a : c;
      m.dense(i, j) = to_scalar<Scalar>(decode(p + b, h), h, in, i, j);
    }
    if (progress) progress->update(double(k) / double(elements));
  }
  char extra = 0;
  if (in.read(&extra, 1) != 0)
    in.fail("more bytes than the " + std::to_string(elements) + " values of shape " +
            h.shape_text() + " (the shape is wrong?)");
  return m;
}

template <class Scalar>
Vector<Scalar> to_vector(MatrixMarket<Scalar> m, const ByteReader& in) {
  if (m.header.rows != 1 && m.header.cols != 1)
    in.fail("expected a vector, shape (n,), (n, 1) or (1, n), got a " +
            std::to_string(m.header.rows) + "x" + std::to_string(m.header.cols) + " matrix");
  return Eigen::Map<const Vector<Scalar>>(m.dense.data(), m.header.rows * m.header.cols);
}

}  // namespace npy_reader
}  // namespace

bool has_npy_magic(const std::string& path) {
  // Only a regular file is peeked at: the bytes read from a pipe (--matrix <(zcat Q.mtx.gz))
  // would be lost to the reader that follows.
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char magic[6] = {};
  const std::size_t got = std::fread(magic, 1, 6, f);
  std::fclose(f);
  return got == 6 && std::memcmp(magic, "\x93NUMPY", 6) == 0;
}

NpyHeader read_npy_header(const std::string& path, const std::string& what) {
  npy_reader::ByteReader in(path, what);
  return npy_reader::read_header(in);
}

template <class Scalar>
MatrixMarket<Scalar> read_npy(const std::string& path, const std::string& what,
                              Progress* progress) {
  npy_reader::ByteReader in(path, what);
  return npy_reader::read_values<Scalar>(in, path, progress, true);
}

template <class Scalar>
MatrixMarket<Scalar> parse_npy(std::string_view bytes, const std::string& name,
                               const std::string& what) {
  npy_reader::ByteReader in(bytes, name, what);
  return npy_reader::read_values<Scalar>(in, name, nullptr, true);
}

template <class Scalar>
Vector<Scalar> read_npy_vector(const std::string& path, const std::string& what) {
  npy_reader::ByteReader in(path, what);
  return npy_reader::to_vector(npy_reader::read_values<Scalar>(in, path, nullptr, false), in);
}

template <class Scalar>
Vector<Scalar> parse_npy_vector(std::string_view bytes, const std::string& name,
                                const std::string& what) {
  npy_reader::ByteReader in(bytes, name, what);
  return npy_reader::to_vector(npy_reader::read_values<Scalar>(in, name, nullptr, false), in);
}

template MatrixMarket<double> read_npy<double>(const std::string&, const std::string&, Progress*);
template MatrixMarket<mpfr_float> read_npy<mpfr_float>(const std::string&, const std::string&,
                                                       Progress*);
template Vector<double> read_npy_vector<double>(const std::string&, const std::string&);
template Vector<mpfr_float> read_npy_vector<mpfr_float>(const std::string&, const std::string&);
template MatrixMarket<double> parse_npy<double>(std::string_view, const std::string&,
                                                const std::string&);
template MatrixMarket<mpfr_float> parse_npy<mpfr_float>(std::string_view, const std::string&,
                                                        const std::string&);
template Vector<double> parse_npy_vector<double>(std::string_view, const std::string&,
                                                 const std::string&);
template Vector<mpfr_float> parse_npy_vector<mpfr_float>(std::string_view, const std::string&,
                                                         const std::string&);

}  // namespace momentum::cli
