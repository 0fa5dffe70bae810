#pragma once
/// \file output_file.hpp
/// Output files that never overwrite: every path is checked before the computation starts
/// (existing file without --force, missing or unwritable folder, unknown extension), and files
/// are created with O_EXCL unless --force, so a file appearing meanwhile is not clobbered either.

#include <cstdio>
#include <string>
#include <vector>

namespace momentum::cli {

/// Refuses (UsageError naming `option`) an output path that is an existing regular file
/// (unless `force`; a device or a pipe such as /dev/null is written to as it is), whose
/// folder is missing or not writable, or whose extension is not one of `extensions` (lower
/// case, with the dot; empty: any). A ".png" path also needs rsvg-convert on the PATH.
void check_output(const std::string& path, const std::string& option, bool force,
                  const std::vector<std::string>& extensions = {});

/// Lower-case extension of a path, with its dot ("" if none).
std::string extension(const std::string& path);

/// True when `program` is found on the PATH.
bool on_path(const std::string& program);

/// A file being written; created exclusively unless `force` (an existing device or pipe is
/// opened as it is). Closing flushes and reports errors.
class OutputFile {
 public:
  OutputFile(const std::string& path, const std::string& option, bool force);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  std::FILE* get() const { return file_; }
  void write(const std::string& text);
  /// \throws std::runtime_error on a write error (disk full).
  void close();

 private:
  std::string path_, option_;
  std::FILE* file_ = nullptr;
};

/// Writes `content` to `path` (see OutputFile).
void write_file(const std::string& path, const std::string& option, const std::string& content,
                bool force);

/// Writes an SVG document to `path`: as is for ".svg", converted by rsvg-convert for ".png".
void write_svg_or_png(const std::string& path, const std::string& option, const std::string& svg,
                      bool force);

}  // namespace momentum::cli
