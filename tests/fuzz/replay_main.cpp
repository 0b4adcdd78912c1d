// Runs a fuzz target's LLVMFuzzerTestOneInput over files, without libFuzzer, so the
// normal build (and the sanitizer build) replays every input the fuzzer ever found
// (tests/fuzz/regressions/) and the seeds as ordinary tests.
//
//   replay [--each-format | --prefix-formats] [--only-md] FILE-OR-FOLDER...
//
// --each-format: the input's first byte picks the format (fuzz_render); run it with
//   every registered backend in turn by replacing that byte.
// --prefix-formats: the input is plain Markdown; run it with every backend by putting
//   each backend's index in front.
// --only-md: in folders, only *.md files (the golden folders hold expected outputs too).
// --own-folder: images resolve against each input's real folder (symlinks followed), so
//   corpus posts find their images; otherwise against tests/fuzz/images/.
// Folders are read recursively, in sorted order. A crash or sanitizer report fails the
// process; each input's name is printed first so the failing one is known.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "backend/backend.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" const char* relconv_fuzz_base_dir;

namespace fs = std::filesystem;

namespace {

void run(const std::string& bytes) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  enum { Plain, EachFormat, PrefixFormats } mode = Plain;
  bool only_md = false, own_folder = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--each-format") {
      mode = EachFormat;
    } else if (arg == "--prefix-formats") {
      mode = PrefixFormats;
    } else if (arg == "--only-md") {
      only_md = true;
    } else if (arg == "--own-folder") {
      own_folder = true;
    } else if (fs::is_directory(arg)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(arg))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.' &&
            (!only_md || e.path().extension() == ".md"))
          found.push_back(e.path().string());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(arg)) {
      files.push_back(arg);
    } else {
      std::cerr << "replay: no such file or folder: " << arg << '\n';
      return 2;
    }
  }
  const size_t formats = relconv::backends().size();
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string bytes = ss.str();
    std::fprintf(stderr, "replay: %s\n", path.c_str());
    std::string folder;
    if (own_folder) {
      std::error_code ec;
      folder = fs::canonical(path, ec).parent_path().string();
      relconv_fuzz_base_dir = folder.c_str();
    }
    if (mode == Plain) {
      run(bytes);
    } else {
      for (size_t f = 0; f < formats; ++f) {
        std::string input = bytes;
        if (mode == PrefixFormats || input.empty())
          input.insert(input.begin(), static_cast<char>(f));
        else
          input[0] = static_cast<char>(f);
        run(input);
      }
    }
  }
  std::fprintf(stderr, "replay: %zu inputs, no failure\n", files.size());
  return 0;
}
