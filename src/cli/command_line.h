// The relconv command line, read with CLI11 (src/cli/command_line.cpp is the only file that
// includes it: it is slow to compile).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace relconv::cli {

struct CommandLine {
  std::vector<std::string> inputs;
  std::string to, output, out_dir, metadata_file, style, depfile, order = "auto";
  std::vector<std::string> metadata, resource_paths, tags;
  int columns = 72, toc_depth = 2, jobs = 0, max_nesting = 64, max_table_columns = 1000;
  size_t max_input_mb = 64;
  bool list_formats = false, include_drafts = false, fail_on_warning = false, quiet = false, toc = false,
       if_changed = false;

  bool operator==(const CommandLine& o) const;
};

// Reads argv into `cl`. Returns -1 when relconv goes on to convert; otherwise the exit code,
// with what the user asked for (--help, --version) written to `out` or the usage error to
// `err`.
//
// Building CLI11's table of 25 options costs a process about as much as cmark-gfm's whole
// run on a post (bench/README.md), so by default only the options that the arguments name
// are added to it: "--name" or "--name=value" names one, "-x", "-xVALUE" and "-xyz" each
// letter. CLI11 reads the arguments the same way either way (an argument that names no
// option added is one that names none of the 25), and --help or -h adds them all.
// `every_option` adds them all regardless (the unit test compares the two).
int parse_command_line(int argc, const char* const* argv, CommandLine& cl, std::ostream& out, std::ostream& err,
                       bool every_option = false);

}  // namespace relconv::cli
