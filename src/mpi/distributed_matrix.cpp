#include "distributed_matrix.hpp"

#include "common.hpp"
#include "matrix_market.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>
#include <sys/stat.h>
#include <vector>

namespace momentum::mpi {

using cli::UsageError;

std::int64_t petsc_index_limit() { return std::numeric_limits<PetscInt>::max(); }

namespace {

/// PETSc's binary files start with MAT_FILE_CLASSID (1211216) as a big-endian 32-bit integer.
constexpr unsigned char petsc_binary_magic[4] = {0x00, 0x12, 0x7b, 0x50};

std::string index_limit_text() {
  return "PETSc's index limit: this PETSc uses " + std::to_string(8 * sizeof(PetscInt)) +
         "-bit indices, so n and the nonzeros of Q must not exceed " +
         std::to_string(petsc_index_limit()) +
         " (for larger Q, build against a 64-bit-index PETSc and SLEPc, Debian: "
         "libpetsc64-real-dev, libslepc64-real-dev)";
}

struct FileFacts {
  std::uint64_t size = 0;
  bool binary = false;
};

FileFacts file_facts(const std::string& path, const std::string& what) {
  const std::string name = what + " " + path;
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    throw UsageError(name + ": cannot read the file: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw UsageError(name + ": is a directory, not a file");
  if (!S_ISREG(st.st_mode))
    throw UsageError(name + ": must be a regular file (every rank reads its own part of it)");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw UsageError(name + ": cannot read the file: " + std::strerror(errno));
  unsigned char head[4] = {0, 0, 0, 0};
  const std::size_t got = std::fread(head, 1, 4, f.get());
  FileFacts facts;
  facts.size = static_cast<std::uint64_t>(st.st_size);
  facts.binary = got == 4 && std::memcmp(head, petsc_binary_magic, 4) == 0;
  return facts;
}

// ---------------------------------------------------------------------------------------------
// Matrix Market, read in byte ranges.

/// One entry of Q on its way to the rank that owns its row.
struct Entry {
  std::int32_t row, col;
  double value;
};
static_assert(sizeof(Entry) == 16, "Entry is sent as 16 bytes");

/// The byte offset where the entries begin (after the banner, comments and size line), and the
/// number of lines before it. The header itself was validated by read_matrix_market_header.
std::pair<std::uint64_t, std::int64_t> data_offset(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw std::runtime_error(path + ": cannot be opened any more");
  std::uint64_t offset = 0;
  std::int64_t lines = 0;
  std::string line;
  bool banner = true;
  for (int c = 0; (c = std::fgetc(f.get())) != EOF;) {
    ++offset;
    if (c != '\n') {
      line.push_back(static_cast<char>(c));
      continue;
    }
    ++lines;
    const bool blank = std::all_of(line.begin(), line.end(), [](char ch) {
      return std::isspace(static_cast<unsigned char>(ch));
    });
    if (banner || blank || line[0] == '%') {
      banner = false;
      line.clear();
      continue;
    }
    return {offset, lines};  // the size line
  }
  return {offset, lines};
}

/// PETSc's default row layout (PetscSplitOwnership): the first n mod K ranks get one more row.
std::vector<std::int64_t> row_starts(std::int64_t n, int ranks) {
  std::vector<std::int64_t> s(static_cast<std::size_t>(ranks) + 1, 0);
  for (int r = 0; r < ranks; ++r)
    s[static_cast<std::size_t>(r) + 1] =
        s[static_cast<std::size_t>(r)] + n / ranks + (r < n % ranks ? 1 : 0);
  return s;
}

/// What one rank found in its byte range.
struct Chunk {
  std::vector<Entry> entries;  ///< mirrored when the file is symmetric
  std::int64_t read = 0;       ///< entry lines read
  std::int64_t lines = 0;      ///< lines that start in the range
  std::int64_t error_line = -1;///< local line number of the first error (-1: none)
  std::string error;
};

bool parse_index(std::string_view t, std::int64_t limit, std::int64_t& out) {
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || v < 1 || v > limit) return false;
  out = v;
  return true;
}

/// Parses the lines that start in [begin, end) of the data section.
void parse_range(const std::string& path, std::uint64_t begin, std::uint64_t end,
                 const cli::MatrixMarketHeader& h, Chunk& c) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw std::runtime_error(path + ": cannot be opened any more");
  // A line belongs to the range its first byte lies in: skip the tail of the previous one.
  // (begin >= 1: the header precedes the entries.) pos is the offset of the next unread byte.
  std::uint64_t pos = begin - 1;
  if (std::fseek(f.get(), static_cast<long>(pos), SEEK_SET) != 0)
    throw std::runtime_error(path + ": cannot seek");
  for (;;) {
    const int ch = std::fgetc(f.get());
    if (ch == EOF) return;
    ++pos;
    if (ch == '\n') break;
  }
  const bool integer = h.field == "integer";
  auto fail = [&c](const std::string& why) {
    c.error_line = c.lines;
    c.error = why;
  };
  std::vector<char> buffer(1 << 20);
  std::string carry;
  auto line_done = [&](std::string_view line) -> bool {
    ++c.lines;
    for (unsigned char u : line)
      if (u == 0 || u == 0x7f || (u < 0x20 && u != '\t' && u != '\f' && u != '\v' && u != '\r')) {
        fail("contains binary data: not a Matrix Market text file");
        return false;
      }
    std::string_view t[4];
    std::size_t k = 0, i = 0;
    while (i < line.size() && k < 4) {
      while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      if (i == line.size()) break;
      std::size_t j = i;
      while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j]))) ++j;
      t[k++] = line.substr(i, j - i);
      i = j;
    }
    if (k == 0 || t[0][0] == '%') return true;  // blank line or comment
    if (k != 3) {
      fail("expected an entry \"row column value\"");
      return false;
    }
    std::int64_t r = 0, col = 0;
    if (!parse_index(t[0], h.rows, r)) {
      fail("row index " + std::string(t[0]) + " is not an integer in 1.." + std::to_string(h.rows));
      return false;
    }
    if (!parse_index(t[1], h.cols, col)) {
      fail("column index " + std::string(t[1]) + " is not an integer in 1.." +
           std::to_string(h.cols));
      return false;
    }
    if (h.symmetric && col > r) {
      fail("entry (" + std::string(t[0]) + "," + std::string(t[1]) +
           ") lies above the diagonal; a symmetric file stores only the lower triangle");
      return false;
    }
    const std::string_view v = t[2];
    if (integer) {
      const std::size_t sign = (v[0] == '-' || v[0] == '+') ? 1 : 0;
      if (v.size() == sign || !std::all_of(v.begin() + static_cast<std::ptrdiff_t>(sign), v.end(),
                                           [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); })) {
        fail("expected an integer value (the field is `integer`), got \"" + std::string(v) + "\"");
        return false;
      }
    }
    // from_chars rounds correctly to the nearest double; it takes no leading '+'.
    const std::string_view digits = v[0] == '+' ? v.substr(1) : v;
    double value = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || !std::isfinite(value)) {
      fail("value \"" + std::string(v) + "\" is not a finite number in double's range");
      return false;
    }
    ++c.read;
    const auto ri = static_cast<std::int32_t>(r - 1), ci = static_cast<std::int32_t>(col - 1);
    c.entries.push_back({ri, ci, value});
    if (h.symmetric && ri != ci) c.entries.push_back({ci, ri, value});
    return true;
  };
  while (pos < end) {
    const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), f.get());
    if (got == 0) break;
    std::size_t start = 0;
    for (std::size_t i = 0; i < got; ++i) {
      if (buffer[i] != '\n') continue;
      std::string_view line(buffer.data() + start, i - start);
      if (!carry.empty()) {
        carry.append(line);
        line = carry;
      }
      const std::uint64_t line_start = pos;
      pos += (carry.empty() ? i - start : carry.size()) + 1;
      if (line_start >= end) return;
      if (!line_done(line)) return;
      carry.clear();
      start = i + 1;
    }
    if (start < got) {
      if (carry.size() + (got - start) > (1u << 16)) {
        ++c.lines;
        fail("a line longer than 65536 characters: not a Matrix Market text file");
        return;
      }
      carry.append(buffer.data() + start, got - start);
    }
  }
  if (!carry.empty() && pos < end) line_done(carry);  // a last line without its newline
}

/// Sends every entry to the owner of its row; returns the entries of this rank's rows.
std::vector<Entry> route(MPI_Comm comm, std::vector<Entry> entries,
                         const std::vector<std::int64_t>& starts) {
  const int size = comm_size(comm);
  std::vector<std::int64_t> count(static_cast<std::size_t>(size), 0);
  auto owner = [&starts](std::int32_t row) {
    return static_cast<int>(std::upper_bound(starts.begin(), starts.end(), std::int64_t(row)) -
                            starts.begin()) - 1;
  };
  for (const Entry& e : entries) ++count[static_cast<std::size_t>(owner(e.row))];
  std::vector<int> send_count(static_cast<std::size_t>(size)), send_offset(static_cast<std::size_t>(size) + 1, 0);
  for (int r = 0; r < size; ++r) {
    const auto k = static_cast<std::size_t>(r);
    send_count[k] = static_cast<int>(count[k]);  // < 2^31: the total was checked
    send_offset[k + 1] = send_offset[k] + send_count[k];
  }
  std::vector<Entry> send(entries.size());
  {
    std::vector<int> at(send_offset.begin(), send_offset.end() - 1);
    for (const Entry& e : entries) send[static_cast<std::size_t>(at[static_cast<std::size_t>(owner(e.row))]++)] = e;
  }
  std::vector<Entry>().swap(entries);
  std::vector<int> recv_count(static_cast<std::size_t>(size)), recv_offset(static_cast<std::size_t>(size) + 1, 0);
  MPI_Alltoall(send_count.data(), 1, MPI_INT, recv_count.data(), 1, MPI_INT, comm);
  std::int64_t total = 0;
  for (int r = 0; r < size; ++r) total += recv_count[static_cast<std::size_t>(r)];
  if (total > std::numeric_limits<int>::max())
    throw std::runtime_error("more than 2^31 entries for one rank: use more ranks");
  for (int r = 0; r < size; ++r)
    recv_offset[static_cast<std::size_t>(r) + 1] = recv_offset[static_cast<std::size_t>(r)] + recv_count[static_cast<std::size_t>(r)];
  std::vector<Entry> recv(static_cast<std::size_t>(total));
  MPI_Datatype type;
  MPI_Type_contiguous(static_cast<int>(sizeof(Entry)), MPI_BYTE, &type);
  MPI_Type_commit(&type);
  MPI_Alltoallv(send.data(), send_count.data(), send_offset.data(), type, recv.data(),
                recv_count.data(), recv_offset.data(), type, comm);
  MPI_Type_free(&type);
  return recv;
}

DistributedMatrix read_matrix_market_distributed(MPI_Comm comm, const std::string& path,
                                                 const std::string& what, std::uint64_t size,
                                                 cli::Progress* progress) {
  const std::string name = what + " " + path;
  const int rank = comm_rank(comm), ranks = comm_size(comm);
  cli::MatrixMarketHeader h;
  std::uint64_t offset = 0;
  std::int64_t header_lines = 0;
  collectively(comm, [&] {
    h = cli::read_matrix_market_header(path, what);
    if (!h.coordinate)
      throw UsageError(name + ": momentum-mpi reads coordinate (sparse) files; an array file "
                              "stores all n^2 entries, use `momentum rate --matrix` instead");
    if (h.rows != h.cols)
      throw UsageError(name + ": Q must be square, got " + std::to_string(h.rows) + "x" +
                       std::to_string(h.cols));
    if (h.rows > petsc_index_limit() - 1)
      throw UsageError(name + ": n = " + std::to_string(h.rows) + " exceeds " + index_limit_text());
    const std::int64_t stored = h.symmetric ? 2 * h.entries : h.entries;
    if (h.entries > petsc_index_limit() || (h.symmetric && stored - h.rows > petsc_index_limit()))
      throw UsageError(name + ": the size line declares " + std::to_string(h.entries) +
                       " entries, at least " + std::to_string(h.symmetric ? stored - h.rows : stored) +
                       " nonzeros in Q, which exceeds " + index_limit_text());
    std::tie(offset, header_lines) = data_offset(path);
  });

  // 1. Each rank parses its byte range of the entries.
  if (progress) progress->stage("reading " + path + " (" + std::to_string(ranks) + " ranks, each its own part)");
  Chunk chunk;
  const std::uint64_t data = size > offset ? size - offset : 0;
  const std::uint64_t begin = offset + data * std::uint64_t(rank) / std::uint64_t(ranks);
  const std::uint64_t end = offset + data * (std::uint64_t(rank) + 1) / std::uint64_t(ranks);
  LocalFailure parse_failure = catch_local([&] {
    if (begin < end) parse_range(path, begin, end, h, chunk);
  });
  // Line numbers: the lines of the lower ranks (all of them parsed their whole range when the
  // failing rank is the lowest one) plus the header's.
  std::int64_t base = 0;
  MPI_Exscan(&chunk.lines, &base, 1, MPI_INT64_T, MPI_SUM, comm);
  if (rank == 0) base = 0;
  if (parse_failure.kind == FailureKind::none && chunk.error_line >= 0)
    parse_failure = {FailureKind::usage, name + ": line " +
                                             std::to_string(header_lines + base + chunk.error_line) +
                                             ": " + chunk.error};
  raise_collective(comm, parse_failure);
  std::int64_t read = 0, triplets = 0;
  const std::int64_t mine = static_cast<std::int64_t>(chunk.entries.size());
  MPI_Allreduce(&chunk.read, &read, 1, MPI_INT64_T, MPI_SUM, comm);
  MPI_Allreduce(&mine, &triplets, 1, MPI_INT64_T, MPI_SUM, comm);
  collectively(comm, [&] {
    if (read < h.entries)
      throw UsageError(name + ": the file ends after " + std::to_string(read) + " of the " +
                       std::to_string(h.entries) + " entries its size line declares (truncated?)");
    if (read > h.entries)
      throw UsageError(name + ": the file holds " + std::to_string(read) +
                       " entries, more than the " + std::to_string(h.entries) +
                       " its size line declares");
    if (triplets > petsc_index_limit())
      throw UsageError(name + ": Q has " + std::to_string(triplets) +
                       " stored entries (both triangles), which exceeds " + index_limit_text());
  });

  // 2. Every entry to the owner of its row, then a local CSR block with duplicates summed and
  // every diagonal entry present (the shifts of the certificates put values there).
  if (progress) progress->stage("distributing the rows of Q");
  const std::vector<std::int64_t> starts = row_starts(h.rows, ranks);
  std::vector<Entry> local = route(comm, std::move(chunk.entries), starts);
  const std::int64_t first = starts[static_cast<std::size_t>(rank)];
  const std::int64_t rows = starts[static_cast<std::size_t>(rank) + 1] - first;
  std::vector<char> has_diagonal(static_cast<std::size_t>(rows), 0);
  for (const Entry& e : local)
    if (e.row == e.col) has_diagonal[static_cast<std::size_t>(e.row - first)] = 1;
  std::int64_t inserted = 0;
  for (std::int64_t i = 0; i < rows; ++i)
    if (!has_diagonal[static_cast<std::size_t>(i)]) {
      local.push_back({static_cast<std::int32_t>(first + i), static_cast<std::int32_t>(first + i), 0.0});
      ++inserted;
    }
  std::vector<char>().swap(has_diagonal);
  std::sort(local.begin(), local.end(), [](const Entry& a, const Entry& b) {
    return a.row != b.row ? a.row < b.row : a.col < b.col;
  });
  std::vector<PetscInt> ia(static_cast<std::size_t>(rows) + 1, 0), ja;
  std::vector<PetscScalar> va;
  ja.reserve(local.size());
  va.reserve(local.size());
  std::string overflow;
  for (std::size_t k = 0; k < local.size();) {
    const Entry e = local[k];
    double sum = 0;
    for (; k < local.size() && local[k].row == e.row && local[k].col == e.col; ++k) sum += local[k].value;
    if (!std::isfinite(sum) && overflow.empty())
      overflow = name + ": the entries given for (" + std::to_string(e.row + 1) + "," +
                 std::to_string(e.col + 1) + ") sum to a number out of range";
    ja.push_back(static_cast<PetscInt>(e.col));
    va.push_back(sum);
    ++ia[static_cast<std::size_t>(e.row - first) + 1];
  }
  std::vector<Entry>().swap(local);
  raise_collective(comm, overflow.empty() ? LocalFailure{} : LocalFailure{FailureKind::usage, overflow});
  for (std::size_t i = 0; i < static_cast<std::size_t>(rows); ++i) ia[i + 1] += ia[i];

  if (progress) progress->stage("assembling the distributed matrix");
  DistributedMatrix m;
  m.n = h.rows;
  // Nonzeros as the file gives them (the diagonal zeros inserted above not counted).
  const std::int64_t stored = static_cast<std::int64_t>(ja.size()) - inserted;
  MPI_Allreduce(&stored, &m.nonzeros, 1, MPI_INT64_T, MPI_SUM, comm);
  m.format = std::string("Matrix Market coordinate ") + (h.symmetric ? "symmetric" : "general");
  const PetscInt local_rows = static_cast<PetscInt>(rows), N = static_cast<PetscInt>(h.rows);
  MOMENTUM_PETSC(MatCreateMPIAIJWithArrays(comm, local_rows, local_rows, N, N, ia.data(), ja.data(),
                                           va.data(), m.Q.out()));
  return m;
}

// ---------------------------------------------------------------------------------------------
// PETSc binary.

DistributedMatrix read_petsc_binary(MPI_Comm comm, const std::string& path,
                                    const std::string& what, std::uint64_t size,
                                    cli::Progress* progress) {
  const std::string name = what + " " + path;
  collectively(comm, [&] {
    // The header: class id, rows, columns, nonzeros, each a big-endian 32-bit integer.
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    unsigned char b[16] = {};
    if (!f || std::fread(b, 1, 16, f.get()) != 16)
      throw UsageError(name + ": a PETSc binary file shorter than its 16-byte header");
    auto word = [&b](int k) {
      const unsigned char* p = b + 4 * k;
      return static_cast<std::int32_t>((std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) |
                                       (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]));
    };
    const std::int64_t rows = word(1), cols = word(2), nz = word(3);
    if (rows <= 0 || cols <= 0)
      throw UsageError(name + ": the PETSc binary header declares a " + std::to_string(rows) + "x" +
                       std::to_string(cols) + " matrix (written by a 64-bit-index PETSc? " +
                       index_limit_text() + ")");
    if (rows != cols)
      throw UsageError(name + ": Q must be square, got " + std::to_string(rows) + "x" +
                       std::to_string(cols));
    if (nz < 0)
      throw UsageError(name + ": the PETSc binary header declares " + std::to_string(nz) +
                       " nonzeros (more than " + index_limit_text() + ")");
    // Header, row lengths, column indices (4 bytes each) and values (8 bytes each).
    const double need = 16.0 + 4.0 * double(rows) + 12.0 * double(nz);
    if (double(size) < need)
      throw UsageError(name + ": a PETSc binary " + std::to_string(rows) + "x" +
                       std::to_string(cols) + " matrix with " + std::to_string(nz) +
                       " nonzeros needs " + cli::human_bytes(need) + ", the file has " +
                       cli::human_bytes(double(size)) + " (truncated?)");
  });
  if (progress) progress->stage("loading " + path + " (PETSc binary, MatLoad)");
  DistributedMatrix m;
  m.format = "PETSc binary";
  Handle<PetscViewer, PetscViewerDestroy> viewer;
  LocalFailure failure = catch_local([&] {
    MOMENTUM_PETSC(PetscViewerBinaryOpen(comm, path.c_str(), FILE_MODE_READ, viewer.out()));
    MOMENTUM_PETSC(MatCreate(comm, m.Q.out()));
    MOMENTUM_PETSC(MatSetType(m.Q.get(), MATAIJ));
    MOMENTUM_PETSC(MatLoad(m.Q.get(), viewer.get()));
  });
  if (failure.kind != FailureKind::none)
    failure = {FailureKind::usage, name + ": PETSc cannot load it as a binary matrix: " + failure.message};
  raise_collective(comm, failure);
  PetscInt M = 0, N = 0;
  MOMENTUM_PETSC(MatGetSize(m.Q.get(), &M, &N));
  m.n = M;
  return m;
}

// ---------------------------------------------------------------------------------------------
// Checks and statistics.

double gamma_m(double k) {
  const double e = k * std::numeric_limits<double>::epsilon();
  return e / (1 - e);
}
double up(double x) { return x + 2 * std::numeric_limits<double>::epsilon() * std::abs(x) + std::numeric_limits<double>::min(); }
double down(double x) { return x - 2 * std::numeric_limits<double>::epsilon() * std::abs(x) - std::numeric_limits<double>::min(); }

struct RowScan {
  double max_abs = 0, row_sum = 0, lo = 0, hi = 0;
  double min_diagonal = std::numeric_limits<double>::infinity();
  PetscInt min_diagonal_row = 0;
  PetscInt terms = 1;
  std::int64_t nonzeros = 0;
  bool finite = true;
  PetscInt bad_row = -1, bad_col = -1;
};

/// One pass over the local rows: sizes, finiteness, Gershgorin discs.
RowScan scan_rows(Mat Q) {
  PetscInt begin = 0, end = 0;
  MOMENTUM_PETSC(MatGetOwnershipRange(Q, &begin, &end));
  RowScan s;
  s.lo = std::numeric_limits<double>::infinity();
  s.hi = -s.lo;
  std::vector<double> sums;
  for (PetscInt i = begin; i < end; ++i) {
    PetscInt count = 0;
    const PetscInt* cols = nullptr;
    const PetscScalar* vals = nullptr;
    MOMENTUM_PETSC(MatGetRow(Q, i, &count, &cols, &vals));
    double d = 0, sum = 0;
    for (PetscInt k = 0; k < count; ++k) {
      const double v = PetscRealPart(vals[k]);
      if (!std::isfinite(v) && s.finite) {
        s.finite = false;
        s.bad_row = i;
        s.bad_col = cols[k];
      }
      if (cols[k] == i) d = v;
      sum += std::abs(v);
      s.max_abs = std::max(s.max_abs, std::abs(v));
    }
    if (d < s.min_diagonal) {
      s.min_diagonal = d;
      s.min_diagonal_row = i;
    }
    s.terms = std::max(s.terms, count);
    s.nonzeros += count;
    MOMENTUM_PETSC(MatRestoreRow(Q, i, &count, &cols, &vals));
    s.row_sum = std::max(s.row_sum, sum);
    // The row sum carries a relative error gamma_count; subtracting |d| rounds once more.
    const double off = up(sum - std::abs(d) + gamma_m(double(count) + 2) * sum);
    s.hi = std::max(s.hi, up(d + off));
    s.lo = std::min(s.lo, down(d - off));
  }
  return s;
}

/// Refuses a Q that is not symmetric to within 16 n eps max|q_ij| (the single-machine path's
/// tolerance) and replaces one that is, but not exactly, by (Q + Q^T)/2.
void symmetrize(MPI_Comm comm, DistributedMatrix& m, const std::string& name, double max_abs) {
  Handle<Mat, MatDestroy> D;
  MOMENTUM_PETSC(MatTranspose(m.Q.get(), MAT_INITIAL_MATRIX, D.out()));
  MOMENTUM_PETSC(MatAXPY(D.get(), -1.0, m.Q.get(), DIFFERENT_NONZERO_PATTERN));  // Q^T - Q
  PetscInt begin = 0, end = 0;
  MOMENTUM_PETSC(MatGetOwnershipRange(D.get(), &begin, &end));
  struct {
    double value;
    int rank;
  } worst{0.0, comm_rank(comm)}, global{0.0, 0};
  PetscInt wi = 0, wj = 0;
  for (PetscInt i = begin; i < end; ++i) {
    PetscInt count = 0;
    const PetscInt* cols = nullptr;
    const PetscScalar* vals = nullptr;
    MOMENTUM_PETSC(MatGetRow(D.get(), i, &count, &cols, &vals));
    for (PetscInt k = 0; k < count; ++k)
      if (std::abs(PetscRealPart(vals[k])) > worst.value) {
        worst.value = std::abs(PetscRealPart(vals[k]));
        wi = i;
        wj = cols[k];
      }
    MOMENTUM_PETSC(MatRestoreRow(D.get(), i, &count, &cols, &vals));
  }
  MPI_Allreduce(&worst, &global, 1, MPI_DOUBLE_INT, MPI_MAXLOC, comm);
  if (global.value == 0) return;
  std::int64_t at[2] = {wi, wj};
  MPI_Bcast(at, 2, MPI_INT64_T, global.rank, comm);
  const double tol = 16 * double(m.n) * std::numeric_limits<double>::epsilon() * max_abs;
  // Every rank knows the same worst difference: the refusal is collective.
  if (global.value > tol)
    throw CollectiveUsageError(name + ": Q must be symmetric, but Q(" + std::to_string(at[0] + 1) + "," +
                     std::to_string(at[1] + 1) + ") and Q(" + std::to_string(at[1] + 1) + "," +
                     std::to_string(at[0] + 1) + ") differ by " + to_string(global.value, 17) +
                     " (tolerance 16 n eps max|q_ij| = " + to_string(tol, 3) + ")");
  MOMENTUM_PETSC(MatAXPY(m.Q.get(), 0.5, D.get(), DIFFERENT_NONZERO_PATTERN));
  m.symmetrized = true;
}

}  // namespace

DistributedMatrix load_distributed_matrix(MPI_Comm comm, const std::string& path,
                                          const std::string& what, cli::Progress* progress) {
  const std::string name = what + " " + path;
  FileFacts facts;
  collectively(comm, [&] { facts = file_facts(path, what); });
  DistributedMatrix m = facts.binary ? read_petsc_binary(comm, path, what, facts.size, progress)
                                     : read_matrix_market_distributed(comm, path, what, facts.size, progress);
  m.name = name;
  if (progress) progress->stage("checking Q (finite, symmetric)");
  RowScan s;
  collectively(comm, [&] { s = scan_rows(m.Q.get()); });
  struct {
    int bad;
    int rank;
  } mine{s.finite ? 0 : 1, comm_rank(comm)}, any{0, 0};
  MPI_Allreduce(&mine, &any, 1, MPI_2INT, MPI_MAXLOC, comm);
  if (any.bad) {
    std::int64_t at[2] = {s.bad_row, s.bad_col};
    MPI_Bcast(at, 2, MPI_INT64_T, any.rank, comm);
    throw CollectiveUsageError(name + ": Q must be finite, entry (" + std::to_string(at[0] + 1) + "," +
                     std::to_string(at[1] + 1) + ") is not");
  }
  double max_abs = 0;
  MPI_Allreduce(&s.max_abs, &max_abs, 1, MPI_DOUBLE, MPI_MAX, comm);
  // A symmetric Matrix Market file was mirrored: symmetric by construction.
  if (m.format != "Matrix Market coordinate symmetric") {
    symmetrize(comm, m, name, max_abs);
    if (m.symmetrized) s = scan_rows(m.Q.get());
  }
  MOMENTUM_PETSC(MatSetOption(m.Q.get(), MAT_SYMMETRIC, PETSC_TRUE));
  MOMENTUM_PETSC(MatSetOption(m.Q.get(), MAT_SYMMETRY_ETERNAL, PETSC_TRUE));
  double lo = 0, hi = 0, row_sum = 0;
  PetscInt terms = 1;
  MPI_Allreduce(&s.max_abs, &m.stats.max_abs, 1, MPI_DOUBLE, MPI_MAX, comm);
  MPI_Allreduce(&s.row_sum, &row_sum, 1, MPI_DOUBLE, MPI_MAX, comm);
  MPI_Allreduce(&s.lo, &lo, 1, MPI_DOUBLE, MPI_MIN, comm);
  MPI_Allreduce(&s.hi, &hi, 1, MPI_DOUBLE, MPI_MAX, comm);
  MPI_Allreduce(&s.terms, &terms, 1, MPIU_INT, MPI_MAX, comm);
  if (facts.binary) MPI_Allreduce(&s.nonzeros, &m.nonzeros, 1, MPI_INT64_T, MPI_SUM, comm);
  m.stats.terms_per_row = terms;
  struct {
    double value;
    int rank;
  } dmine{s.min_diagonal, comm_rank(comm)}, dmin{0.0, 0};
  MPI_Allreduce(&dmine, &dmin, 1, MPI_DOUBLE_INT, MPI_MINLOC, comm);
  std::int64_t drow = s.min_diagonal_row;
  MPI_Bcast(&drow, 1, MPI_INT64_T, dmin.rank, comm);
  m.stats.min_diagonal = dmin.value;
  m.stats.min_diagonal_row = drow;
  m.stats.inf_norm = up(row_sum * (1 + gamma_m(double(terms) + 2)));
  m.stats.gershgorin_lo = lo;
  m.stats.gershgorin_hi = hi;
  return m;
}

void write_petsc_binary(const DistributedMatrix& m, const std::string& path, bool force) {
  MPI_Comm comm = PetscObjectComm(reinterpret_cast<PetscObject>(m.Q.get()));
  collectively(comm, [&] {
    struct stat st {};
    if (!force && stat(path.c_str(), &st) == 0)
      throw UsageError("--output " + path + ": the file exists (--force overwrites it)");
  });
  Handle<PetscViewer, PetscViewerDestroy> viewer;
  MOMENTUM_PETSC(PetscViewerBinaryOpen(comm, path.c_str(), FILE_MODE_WRITE, viewer.out()));
  MOMENTUM_PETSC(PetscViewerBinarySetSkipInfo(viewer.get(), PETSC_TRUE));
  MOMENTUM_PETSC(MatView(m.Q.get(), viewer.get()));
}

}  // namespace momentum::mpi
