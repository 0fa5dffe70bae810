// Replays a fuzz target's regression corpus without libFuzzer: runs LLVMFuzzerTestOneInput on
// every file given, and on every file in the folders given (sorted, not recursive), so the
// corpus in tests/fuzz/corpus/<target>/ is checked by the ordinary test run with any compiler.
// A finding aborts (the target reports it with the input); an exception that escapes the
// target fails with the file's name.
#include "fuzz_support.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const fs::path p = argv[i];
    if (fs::is_directory(p)) {
      std::vector<fs::path> in;
      for (const auto& e : fs::directory_iterator(p))
        if (e.is_regular_file()) in.push_back(e.path());
      std::sort(in.begin(), in.end());
      files.insert(files.end(), in.begin(), in.end());
    } else {
      files.push_back(p);
    }
  }
  if (files.empty()) {
    std::cerr << "usage: " << argv[0] << " FILE_OR_FOLDER...  (no input found)\n";
    return 2;
  }
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << f.string() << ": cannot read\n";
      return 2;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::cerr << "replay " << f.filename().string() << " (" << bytes.size() << " bytes)\n";
    try {
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    } catch (const std::exception& e) {
      std::cerr << f.string() << ": uncaught exception: " << e.what() << '\n';
      return 1;
    } catch (...) {
      std::cerr << f.string() << ": uncaught exception\n";
      return 1;
    }
  }
  std::cout << files.size() << " inputs replayed, no finding\n";
  return 0;
}
