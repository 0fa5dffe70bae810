#include "matrix_market.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace momentum::cli {

namespace {

/// Longest line accepted. The format's own limit is 1024 characters; a longer "line" is a
/// binary file or a hostile header, and reading it whole would cost unbounded memory.
constexpr std::size_t max_line = 1 << 16;

/// Reads a text file, or text in memory, line by line through a fixed buffer, counting lines
/// and bytes.
class LineReader {
 public:
  LineReader(const std::string& path, const std::string& what) : what_(what + " " + path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0)
      throw UsageError(what_ + ": cannot read the file: " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw UsageError(what_ + ": is a directory, not a file");
    size_ = static_cast<std::uint64_t>(st.st_size);
    size_known_ = S_ISREG(st.st_mode);  // a pipe's or a device's size says nothing
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) throw UsageError(what_ + ": cannot read the file: " + std::strerror(errno));
    buffer_.resize(1 << 20);
  }
  /// Reads `text`, which must outlive the reader; `name` stands for the file in messages.
  LineReader(std::string_view text, const std::string& name, const std::string& what)
      : what_(what + " " + name), text_(text), size_(text.size()), size_known_(true) {}
  ~LineReader() {
    if (file_) std::fclose(file_);
  }
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// The next line without its end-of-line; false at the end of the file.
  bool next(std::string_view& out) {
    line_.clear();
    bool any = false;
    while (true) {
      if (pos_ == end_ && !refill()) {
        if (!any) return false;
        break;
      }
      any = true;
      const char* begin = chunk_ + pos_;
      const void* nl = std::memchr(begin, '\n', end_ - pos_);
      const std::size_t take = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - begin)
                                  : end_ - pos_;
      if (line_.size() + take > max_line) {
        ++number_;
        fail("longer than " + std::to_string(max_line) +
             " characters: not a Matrix Market text file");
      }
      line_.append(begin, take);
      pos_ += take;
      consumed_ += take;
      if (nl) {
        ++pos_;
        ++consumed_;
        break;
      }
    }
    ++number_;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    for (const char c : line_) {
      const auto u = static_cast<unsigned char>(c);
      if (u == 0 || u == 0x7f || (u < 0x20 && u != '\t' && u != '\f' && u != '\v'))
        fail("contains binary data (byte 0x" + hex(u) + "): not a Matrix Market text file");
    }
    out = line_;
    return true;
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw UsageError(what_ + ": line " + std::to_string(number_) + ": " + why);
  }
  std::uint64_t line() const { return number_; }
  std::uint64_t size() const { return size_; }
  /// Whether size() is the input's length (a regular file or text in memory).
  bool size_known() const { return size_known_; }
  double fraction() const { return size_ ? double(consumed_) / double(size_) : 1.0; }
  const std::string& what() const { return what_; }

 private:
  /// The next chunk of input into chunk_[0, end_); false at the end.
  bool refill() {
    pos_ = 0;
    if (!file_) {
      // In memory: the whole text is one chunk.
      chunk_ = text_.data();
      end_ = text_.size();
      text_ = {};
      return end_ > 0;
    }
    end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
    chunk_ = buffer_.data();
    if (end_ == 0 && std::ferror(file_)) fail("cannot read the file (I/O error)");
    return end_ > 0;
  }
  static std::string hex(unsigned v) {
    const char* digits = "0123456789abcdef";
    return {digits[v >> 4], digits[v & 15]};
  }
  std::string what_;
  std::FILE* file_ = nullptr;   ///< null when reading text_
  std::string_view text_;       ///< the text still to read, when in memory
  std::vector<char> buffer_;
  const char* chunk_ = nullptr;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t consumed_ = 0, size_ = 0, number_ = 0;
  bool size_known_ = false;
  std::string line_;
};

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

/// Splits on blanks into at most `max` tokens; returns the count found (max + 1 if more).
std::size_t tokens(std::string_view s, std::string_view* out, std::size_t max) {
  std::size_t n = 0, i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i == s.size()) break;
    std::size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (n == max) return max + 1;
    out[n++] = s.substr(i, j - i);
    i = j;
  }
  return n;
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

/// A positive integer token no larger than `limit`.
std::int64_t index_token(const LineReader& in, std::string_view t, const char* name,
                         std::int64_t limit) {
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size())
    in.fail(std::string("expected an integer ") + name + ", got \"" + std::string(t) + "\"");
  if (v < 1 || v > limit)
    in.fail(std::string(name) + " " + std::string(t) + " is outside 1.." + std::to_string(limit));
  return v;
}

template <class Scalar>
Scalar value_token(const LineReader& in, std::string_view t, bool integer) {
  const std::string text(t);
  if (integer) {
    const bool ok = !text.empty() &&
                    std::all_of(text.begin() + (text[0] == '-' || text[0] == '+'), text.end(),
                                [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
                    text.size() > std::size_t(text[0] == '-' || text[0] == '+');
    if (!ok) in.fail("expected an integer value (the field is `integer`), got \"" + text + "\"");
  }
  try {
    return parse<Scalar>(text, "value");
  } catch (const std::invalid_argument& e) {
    in.fail(e.what());
  }
}

MatrixMarketHeader read_header(LineReader& in) {
  std::string_view line;
  if (!in.next(line)) in.fail("the file is empty");
  std::string_view t[6];
  const std::size_t n = tokens(line, t, 5);
  if (n == 0 || lower(t[0]) != "%%matrixmarket")
    in.fail("expected the banner \"%%MatrixMarket matrix coordinate|array real|integer "
            "general|symmetric\"");
  if (n != 5) in.fail("the banner must have 5 words, got " + std::to_string(std::min<std::size_t>(n, 6)));
  MatrixMarketHeader h;
  if (lower(t[1]) != "matrix")
    in.fail("object \"" + std::string(t[1]) + "\" is not supported (only `matrix`)");
  const std::string format = lower(t[2]), field = lower(t[3]), symmetry = lower(t[4]);
  if (format == "coordinate") h.coordinate = true;
  else if (format != "array")
    in.fail("format \"" + std::string(t[2]) + "\" is not supported (coordinate or array)");
  if (field != "real" && field != "integer" && field != "double")
    in.fail("field \"" + std::string(t[3]) +
            "\" is not supported: Q must be real (field real or integer)");
  h.field = field == "integer" ? "integer" : "real";
  if (symmetry == "symmetric") h.symmetric = true;
  else if (symmetry != "general")
    in.fail("symmetry \"" + std::string(t[4]) +
            "\" is not supported: Q must be real symmetric (general or symmetric)");
  // Comments, then the size line.
  while (true) {
    if (!in.next(line)) in.fail("the file ends before its size line (truncated?)");
    if (!line.empty() && line[0] == '%') continue;
    if (blank(line)) continue;
    break;
  }
  const std::int64_t max_index = std::numeric_limits<int>::max();
  const std::size_t k = tokens(line, t, 3);
  if (h.coordinate) {
    if (k != 3) in.fail("expected the size line \"rows columns entries\"");
    h.rows = static_cast<Eigen::Index>(index_token(in, t[0], "row count", max_index));
    h.cols = static_cast<Eigen::Index>(index_token(in, t[1], "column count", max_index));
    std::int64_t e = 0;
    const auto [ptr, ec] = std::from_chars(t[2].data(), t[2].data() + t[2].size(), e);
    if (ec != std::errc() || ptr != t[2].data() + t[2].size() || e < 0)
      in.fail("expected a non-negative entry count, got \"" + std::string(t[2]) + "\"");
    h.entries = e;
    const std::int64_t cells = std::int64_t(h.rows) * std::int64_t(h.cols);
    const std::int64_t limit = h.symmetric ? (cells + h.rows) / 2 : cells;
    if (e > limit)
      in.fail("declares " + std::to_string(e) + " entries, more than the " +
              std::to_string(limit) + " positions of a " + std::to_string(h.rows) + "x" +
              std::to_string(h.cols) + (h.symmetric ? " symmetric" : "") + " matrix");
  } else {
    if (k != 2) in.fail("expected the size line \"rows columns\" of an array file");
    h.rows = static_cast<Eigen::Index>(index_token(in, t[0], "row count", max_index));
    h.cols = static_cast<Eigen::Index>(index_token(in, t[1], "column count", max_index));
    const std::int64_t r = h.rows, c = h.cols;
    h.entries = h.symmetric ? r * (r + 1) / 2 : r * c;
  }
  if (h.symmetric && h.rows != h.cols)
    in.fail("a symmetric matrix must be square, got " + std::to_string(h.rows) + "x" +
            std::to_string(h.cols));
  return h;
}

}  // namespace

std::uint64_t physical_memory() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
}

template <class Scalar>
std::uint64_t bytes_per_scalar() {
  if constexpr (std::is_same_v<Scalar, double>) {
    return sizeof(double);
  } else {
    // mpfr_t plus its limbs: digits * log2(10) bits, in 64-bit limbs.
    const double bits = mpfr_float::default_precision() * 3.3219280948873623 + 64;
    return sizeof(mpfr_float) + 8 * static_cast<std::uint64_t>(bits / 64 + 1);
  }
}

std::string human_bytes(double b) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (b >= 1024 && u < 6) b /= 1024, ++u;
  char buf[64];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  return buf;
}

namespace {
std::atomic<std::uint64_t> memory_limit_set{0};
}  // namespace

void set_memory_limit(std::uint64_t bytes) { memory_limit_set = bytes; }

void require_memory(double bytes, const std::string& what, const std::string& request) {
  const std::uint64_t set = memory_limit_set;
  const double mem = static_cast<double>(physical_memory());
  const double limit = set ? double(set) : mem > 0 ? mem / 2 : 8.0 * (1ull << 30);
  if (bytes > limit)
    throw UsageError(what + ": " + request + " would need about " + human_bytes(bytes) +
                     " of memory, more than the " + human_bytes(limit) + " allowed (" +
                     (set ? "the limit set" : "half of this machine's memory") + ")");
}

MatrixMarketHeader read_matrix_market_header(const std::string& path, const std::string& what) {
  LineReader in(path, what);
  return read_header(in);
}

template <class Scalar>
std::int64_t MatrixMarket<Scalar>::stored() const {
  return header.coordinate ? std::int64_t(sparse.nonZeros())
                           : std::int64_t(header.rows) * std::int64_t(header.cols);
}

template <class Scalar>
double MatrixMarket<Scalar>::density() const {
  return double(stored()) / (double(header.rows) * double(header.cols));
}

namespace {

template <class Scalar>
MatrixMarket<Scalar> read_matrix(LineReader& in, const std::string& name, Progress* progress) {
  MatrixMarket<Scalar> m;
  m.header = read_header(in);
  const MatrixMarketHeader& h = m.header;
  const bool integer = h.field == "integer";
  const double bps = double(bytes_per_scalar<Scalar>());
  if (progress) progress->stage("reading " + name);
  std::string_view line, t[4];
  std::int64_t read = 0;
  auto next_data_line = [&]() -> bool {
    while (in.next(line)) {
      if (!line.empty() && line[0] == '%') continue;
      if (blank(line)) continue;
      return true;
    }
    return false;
  };
  auto report = [&] {
    if (progress && (read & 0xffff) == 0) progress->update(in.fraction());
  };
  if (h.coordinate) {
    // Triplets (mirrored when symmetric) plus the compressed matrix, and the index arrays of
    // the compressed matrix and of the transposed copy setFromTriplets assembles first: about
    // three integers per row and per column, which the header alone asks for (a 10^9 x 10^9
    // matrix with no entries needs 24 GB; found by tests/fuzz/fuzz_matrix_market.cpp).
    const double per_entry = (h.symmetric ? 2 : 1) * (2 * (bps + 8) + 4);
    using StorageIndex = typename Eigen::SparseMatrix<Scalar>::StorageIndex;
    const double indices = 3.0 * sizeof(StorageIndex) * (double(h.rows) + double(h.cols) + 2);
    require_memory(per_entry * double(h.entries) + indices, in.what(),
                   "a " + std::to_string(h.rows) + "x" + std::to_string(h.cols) + " matrix with " +
                       std::to_string(h.entries) + " entries");
    // Never trust the header for the reservation: each entry takes at least 6 bytes.
    const std::int64_t plausible = std::min<std::int64_t>(h.entries, std::int64_t(in.size() / 6 + 1));
    std::vector<Eigen::Triplet<Scalar>> triplets;
    triplets.reserve(static_cast<std::size_t>(plausible) * (h.symmetric ? 2 : 1));
    while (read < h.entries) {
      if (!next_data_line())
        in.fail("the file ends after " + std::to_string(read) + " of the " +
                std::to_string(h.entries) + " entries its size line declares (truncated?)");
      const std::size_t k = tokens(line, t, 3);
      if (k != 3) in.fail("expected an entry \"row column value\"");
      const auto i = index_token(in, t[0], "row index", h.rows) - 1;
      const auto j = index_token(in, t[1], "column index", h.cols) - 1;
      if (h.symmetric && j > i)
        in.fail("entry (" + std::string(t[0]) + "," + std::string(t[1]) +
                ") lies above the diagonal; a symmetric file stores only the lower triangle");
      Scalar v = value_token<Scalar>(in, t[2], integer);
      triplets.emplace_back(static_cast<int>(i), static_cast<int>(j), v);
      if (h.symmetric && i != j) triplets.emplace_back(static_cast<int>(j), static_cast<int>(i), v);
      ++read;
      report();
    }
    m.sparse.resize(h.rows, h.cols);
    if (progress) progress->stage("assembling the sparse matrix");
    m.sparse.setFromTriplets(triplets.begin(), triplets.end());
    // Entries given more than once are summed, and a sum can overflow where each value did
    // not (found by the contract of tests/fuzz/fuzz_matrix_market.cpp).
    for (Eigen::Index k = 0; k < m.sparse.outerSize(); ++k)
      for (typename Eigen::SparseMatrix<Scalar>::InnerIterator it(m.sparse, k); it; ++it)
        if (!is_finite(it.value()))
          throw UsageError(in.what() + ": the entries given for (" + std::to_string(it.row() + 1) +
                           "," + std::to_string(it.col() + 1) +
                           ") sum to a number out of range");
  } else {
    require_memory(bps * double(h.rows) * double(h.cols), in.what(),
                   "a dense " + std::to_string(h.rows) + "x" + std::to_string(h.cols) + " matrix");
    // Never trust the header for the allocation either (the memory check above admits 7 GB on
    // a 24 GiB machine): each value takes at least two bytes (a digit and a separator), so a
    // file too short for the values it declares is refused before the matrix is allocated (a
    // 110-byte file asked for 7 GB; found by tests/fuzz/fuzz_matrix_market.cpp). Only a pipe,
    // whose size is unknown, is left to the memory check.
    if (in.size_known() && 2 * double(h.entries) - 1 > double(in.size()))
      in.fail("declares " + std::to_string(h.entries) + " values of a " + std::to_string(h.rows) +
              "x" + std::to_string(h.cols) + (h.symmetric ? " symmetric" : "") +
              " array, more than the file's " + std::to_string(in.size()) +
              " bytes can hold (truncated?)");
    m.dense.resize(h.rows, h.cols);
    Eigen::Index i = 0, j = 0;
    while (read < h.entries) {
      if (!next_data_line())
        in.fail("the file ends after " + std::to_string(read) + " of the " +
                std::to_string(h.entries) + " values of a " + std::to_string(h.rows) + "x" +
                std::to_string(h.cols) + " array (truncated?)");
      const std::size_t k = tokens(line, t, 3);
      for (std::size_t a = 0; a < k && a < 3; ++a) {
        if (read == h.entries) in.fail("more values than the array's size line declares");
        Scalar v = value_token<Scalar>(in, t[a], integer);
        m.dense(i, j) = v;
        if (h.symmetric) m.dense(j, i) = v;
        ++read;
        // Column-major; a symmetric array stores the lower triangle, column by column.
        if (++i == h.rows) {
          ++j;
          i = h.symmetric ? j : 0;
        }
      }
      if (k > 3) in.fail("expected one value per line");
      report();
    }
  }
  if (next_data_line())
    in.fail("more entries than the " + std::to_string(h.entries) + " the size line declares");
  return m;
}

template <class Scalar>
Vector<Scalar> to_vector(MatrixMarket<Scalar> m, const std::string& what) {
  if (m.header.rows != 1 && m.header.cols != 1)
    throw UsageError(what + ": expected a vector (n x 1), got a " +
                     std::to_string(m.header.rows) + "x" + std::to_string(m.header.cols) +
                     " matrix");
  const Eigen::Index n = m.header.rows * m.header.cols;
  if (!m.is_sparse()) return Eigen::Map<const Vector<Scalar>>(m.dense.data(), n);
  // A sparse vector's length is the header's word, not the file's: check before allocating.
  require_memory(double(bytes_per_scalar<Scalar>()) * double(n), what,
                 "a vector of " + std::to_string(n) + " entries");
  Vector<Scalar> v = Vector<Scalar>::Zero(n);
  for (Eigen::Index k = 0; k < m.sparse.outerSize(); ++k)
    for (typename Eigen::SparseMatrix<Scalar>::InnerIterator it(m.sparse, k); it; ++it)
      v(it.row() + it.col()) = it.value();  // one of them is 0
  return v;
}

}  // namespace

template <class Scalar>
MatrixMarket<Scalar> read_matrix_market(const std::string& path, const std::string& what,
                                        Progress* progress) {
  LineReader in(path, what);
  return read_matrix<Scalar>(in, path, progress);
}

template <class Scalar>
MatrixMarket<Scalar> parse_matrix_market(std::string_view text, const std::string& name,
                                         const std::string& what) {
  LineReader in(text, name, what);
  return read_matrix<Scalar>(in, name, nullptr);
}

template <class Scalar>
Vector<Scalar> read_matrix_market_vector(const std::string& path, const std::string& what) {
  return to_vector(read_matrix_market<Scalar>(path, what), what + " " + path);
}

template <class Scalar>
Vector<Scalar> parse_matrix_market_vector(std::string_view text, const std::string& name,
                                          const std::string& what) {
  return to_vector(parse_matrix_market<Scalar>(text, name, what), what + " " + name);
}

template struct MatrixMarket<double>;
template struct MatrixMarket<mpfr_float>;
template std::uint64_t bytes_per_scalar<double>();
template std::uint64_t bytes_per_scalar<mpfr_float>();
template MatrixMarket<double> read_matrix_market<double>(const std::string&, const std::string&,
                                                         Progress*);
template MatrixMarket<mpfr_float> read_matrix_market<mpfr_float>(const std::string&,
                                                                 const std::string&, Progress*);
template Vector<double> read_matrix_market_vector<double>(const std::string&, const std::string&);
template Vector<mpfr_float> read_matrix_market_vector<mpfr_float>(const std::string&,
                                                                  const std::string&);
template MatrixMarket<double> parse_matrix_market<double>(std::string_view, const std::string&,
                                                          const std::string&);
template MatrixMarket<mpfr_float> parse_matrix_market<mpfr_float>(std::string_view,
                                                                  const std::string&,
                                                                  const std::string&);
template Vector<double> parse_matrix_market_vector<double>(std::string_view, const std::string&,
                                                           const std::string&);
template Vector<mpfr_float> parse_matrix_market_vector<mpfr_float>(std::string_view,
                                                                   const std::string&,
                                                                   const std::string&);

}  // namespace momentum::cli
