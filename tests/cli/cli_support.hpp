#pragma once
// End-to-end test support: run the built `momentum` executable (path from CMake) with
// arguments, capture its exit status, stdout, stderr and peak memory, and parse its JSON.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace cli_test {

using Json = nlohmann::ordered_json;

struct Result {
  int status = -1;
  std::string out, err;
  long peak_kib = 0;  // peak resident memory of the child
  Json json() const {
    try {
      return Json::parse(out);
    } catch (const std::exception& e) {
      FAIL("stdout is not JSON (" << e.what() << "):\n" << out << "\nstderr:\n" << err);
      return Json();
    }
  }
};

/// A JSON number printed as a decimal string ("0.70710678118654757"), read back as a double.
inline double num(const Json& j) { return std::strtod(j.get<std::string>().c_str(), nullptr); }

/// The arguments a, then b, then c.
inline std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string>& b,
                                    const std::vector<std::string>& c = {}) {
  a.insert(a.end(), b.begin(), b.end());
  a.insert(a.end(), c.begin(), c.end());
  return a;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline bool exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

/// A fresh temporary folder, removed at scope exit.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/momentum-cli-test-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() {
    const std::string cmd = "rm -rf '" + path + "'";
    if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", path.c_str());
  }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
};

/// Runs argv (argv[0] a path) in `cwd` (default: here), with PATH replaced when `path_env` is
/// set, and standard output sent to `stdout_path` when given (then Result::out is empty).
inline Result spawn(std::vector<std::string> argv_s, const std::string& cwd = "",
                    const char* path_env = nullptr, const char* stdout_path = nullptr) {
  TempDir io;
  const std::string out = stdout_path ? std::string(stdout_path) : io / "stdout", err = io / "stderr";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    if (path_env && kv.rfind("PATH=", 0) == 0) continue;
    env_s.push_back(kv);
  }
  if (path_env) env_s.push_back(std::string("PATH=") + path_env);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv_s[0].c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot run " + argv_s[0] + ": " + std::strerror(rc));
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  Result r;
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = stdout_path ? std::string() : slurp(out);
  r.err = slurp(err);
  r.peak_kib = ru.ru_maxrss;
  return r;
}

/// Runs `momentum args...` (spawn's other arguments).
inline Result run(const std::vector<std::string>& args, const std::string& cwd = "",
                  const char* path_env = nullptr, const char* stdout_path = nullptr) {
  std::vector<std::string> argv = {MOMENTUM_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  return spawn(argv, cwd, path_env, stdout_path);
}

#ifdef MOMENTUM_TEST_DATA
inline std::string data(const std::string& name) { return std::string(MOMENTUM_TEST_DATA) + "/" + name; }
#endif

inline std::string show(const std::vector<std::string>& args, const Result& r) {
  std::string cmd = "momentum";
  for (const auto& a : args) cmd += " " + a;
  return cmd + "\n  exit " + std::to_string(r.status) + "\n  stdout: " + r.out.substr(0, 2000) +
         "\n  stderr: " + r.err;
}

/// Runs and checks the exit status.
inline Result run_ok(const std::vector<std::string>& args, int expected = 0) {
  const Result r = run(args);
  INFO(show(args, r));
  REQUIRE(r.status == expected);
  return r;
}

/// Bad input: exit status 2, a message naming `fragment`, no stack trace or abort.
inline void check_bad(const std::vector<std::string>& args,
                      std::initializer_list<const char*> fragments) {
  const Result r = run(args);
  INFO(show(args, r));
  CHECK(r.status == 2);
  for (const char* f : fragments) {
    INFO("expected in stderr: " << f);
    CHECK(r.err.find(f) != std::string::npos);
  }
  CHECK(r.err.find("terminate called") == std::string::npos);
  CHECK(r.err.find("what():") == std::string::npos);
  CHECK(r.out.empty());
}

/// The rows of a CSV text (first row: the header).
inline std::vector<std::vector<std::string>> csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> row;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = line.find(',', start);
      row.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    rows.push_back(row);
  }
  return rows;
}

/// The shortest decimal that reads back as x (the tool's default double output).
inline std::string shortest(double x) {
  char buf[64];
  for (int p = 1; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

/// x rounded to six decimals, as d2l prints it.
inline std::string six(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", x);
  return buf;
}

}  // namespace cli_test
