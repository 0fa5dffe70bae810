#include "output_file.hpp"

#include "common.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace momentum::cli {

namespace {
std::string folder_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}
}  // namespace

std::string extension(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string e = path.substr(dot);
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string p = path;
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t colon = p.find(':', start);
    if (colon == std::string::npos) colon = p.size();
    const std::string dir = p.substr(start, colon - start);
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0) return true;
    start = colon + 1;
  }
  return false;
}

void check_output(const std::string& path, const std::string& option, bool force,
                  const std::vector<std::string>& extensions) {
  if (path.empty()) throw UsageError(option + ": the file name is empty");
  if (!extensions.empty()) {
    const std::string e = extension(path);
    if (std::find(extensions.begin(), extensions.end(), e) == extensions.end()) {
      std::string list;
      for (const auto& x : extensions) list += (list.empty() ? "" : " or ") + x;
      throw UsageError(option + ": \"" + path + "\" must end in " + list);
    }
    if (e == ".png" && !on_path("rsvg-convert"))
      throw UsageError(option + ": writing PNG needs rsvg-convert (Debian package librsvg2-bin), "
                       "which is not installed; write .svg instead or install it");
  }
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw UsageError(option + ": \"" + path + "\" is a directory");
    // A device or a pipe (/dev/null, /dev/stdout, a FIFO) holds no file to lose: written to
    // as it is. Only a regular file needs --force.
    if (!force && S_ISREG(st.st_mode))
      throw UsageError(option + ": \"" + path +
                       "\" already exists; not overwriting it (use --force to replace it)");
    if (access(path.c_str(), W_OK) != 0)
      throw UsageError(option + ": \"" + path + "\" is not writable: " + std::strerror(errno));
    return;
  }
  const std::string dir = folder_of(path);
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw UsageError(option + ": the folder \"" + dir + "\" of \"" + path + "\" does not exist");
  if (access(dir.c_str(), W_OK) != 0)
    throw UsageError(option + ": the folder \"" + dir + "\" is not writable: " +
                     std::strerror(errno));
}

OutputFile::OutputFile(const std::string& path, const std::string& option, bool force)
    : path_(path), option_(option) {
  const int flags = O_WRONLY | O_CREAT | (force ? O_TRUNC : O_EXCL);
  int fd = ::open(path.c_str(), flags, 0644);
  struct stat st {};
  if (fd < 0 && errno == EEXIST && stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) &&
      !S_ISDIR(st.st_mode))
    fd = ::open(path.c_str(), O_WRONLY);  // a device or a pipe: nothing to overwrite
  if (fd < 0) {
    if (errno == EEXIST)
      throw UsageError(option + ": \"" + path +
                       "\" already exists; not overwriting it (use --force to replace it)");
    throw UsageError(option + ": cannot write \"" + path + "\": " + std::strerror(errno));
  }
  file_ = fdopen(fd, "w");
  if (!file_) {
    ::close(fd);
    throw std::runtime_error(option + ": cannot write \"" + path + "\"");
  }
}

OutputFile::~OutputFile() {
  if (file_) std::fclose(file_);
}

void OutputFile::write(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    throw std::runtime_error(option_ + ": writing \"" + path_ + "\" failed: " +
                             std::strerror(errno));
}

void OutputFile::close() {
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0)
    throw std::runtime_error(option_ + ": writing \"" + path_ + "\" failed: " +
                             std::strerror(errno));
}

void write_file(const std::string& path, const std::string& option, const std::string& content,
                bool force) {
  OutputFile out(path, option, force);
  out.write(content);
  out.close();
}

void write_svg_or_png(const std::string& path, const std::string& option, const std::string& svg,
                      bool force) {
  if (extension(path) != ".png") {
    write_file(path, option, svg, force);
    return;
  }
  // Claim the PNG's name first (exclusively unless --force), then let rsvg-convert fill it.
  { OutputFile claim(path, option, force); claim.close(); }
  char tmpl[] = "/tmp/momentum-plot-XXXXXX";
  const int fd = mkstemp(tmpl);
  if (fd < 0) throw std::runtime_error(option + ": cannot create a temporary file");
  const std::string svg_path = tmpl;
  const bool ok = ::write(fd, svg.data(), svg.size()) == static_cast<ssize_t>(svg.size());
  ::close(fd);
  if (!ok) {
    unlink(svg_path.c_str());
    throw std::runtime_error(option + ": cannot write a temporary file");
  }
  std::string a0 = "rsvg-convert", a1 = "-f", a2 = "png", a3 = "-o", a4 = path;
  std::string a5 = svg_path;
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), a4.data(), a5.data(), nullptr};
  pid_t pid = 0;
  int status = 0;
  const int rc = posix_spawnp(&pid, "rsvg-convert", nullptr, nullptr, argv, environ);
  if (rc == 0) waitpid(pid, &status, 0);
  unlink(svg_path.c_str());
  if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(option + ": rsvg-convert failed to write \"" + path + "\"");
}

}  // namespace momentum::cli
