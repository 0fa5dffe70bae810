#pragma once
/// \file fuzz_support.hpp
/// What the fuzz targets share. A target calls finding() when the code under test breaks its
/// contract: the message and the input go to stderr and the process aborts, which libFuzzer
/// turns into a saved reproducer and the replay driver (replay_main.cpp) into a failed test.
/// Crashes, sanitizer reports and uncaught exceptions are findings by themselves.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>

/// The entry point libFuzzer calls (and the replay driver, over the corpus).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace momentum::fuzz {

/// The input as a C string literal: printable ASCII as is, other bytes as \xHH.
inline std::string escaped(std::string_view input) {
  std::string s;
  for (const char c : input) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == '"') {
      s += '\\';
      s += c;
    } else if (u >= 0x20 && u < 0x7f) {
      s += c;
    } else {
      const char* hex = "0123456789abcdef";
      s += "\\x";
      s += hex[u >> 4];
      s += hex[u & 15];
    }
  }
  return s;
}

/// Reports a broken contract on `input` and aborts.
[[noreturn]] inline void finding(const std::string& what, std::string_view input) {
  std::fprintf(stderr, "\nfuzz finding: %s\ninput (%zu bytes): \"%s\"\n", what.c_str(),
               input.size(), escaped(input).c_str());
  std::fflush(stderr);
  std::abort();
}

/// The bytes as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Runs f, which reads the input: it may only succeed or throw Expected (the tool's UsageError)
/// with a message starting with `where` ("--matrix fuzzed.mtx: ") and saying more; any other
/// exception is a finding. Shared by the file readers' fuzzers.
template <class Expected, class F>
void expect_success_or(F&& f, const std::string& where, const char* reader, std::string_view input) {
  try {
    f();
  } catch (const Expected& e) {
    const std::string msg = e.what();
    if (msg.rfind(where, 0) != 0 || msg.size() <= where.size())
      finding(std::string(reader) + ": the message does not start with \"" + where + "\": " + msg,
              input);
  } catch (const std::exception& e) {
    finding(std::string(reader) + " threw " + typeid(e).name() + ": " + e.what(), input);
  } catch (...) {
    finding(std::string(reader) + " threw a non-standard exception", input);
  }
}

}  // namespace momentum::fuzz
