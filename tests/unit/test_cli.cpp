// The command line adds to CLI11 only the options its arguments name (src/cli/command_line.h).
// These tests hold it to reading every command line as the full table of options does.
#include <doctest/doctest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_line.h"

using relconv::cli::CommandLine;
using relconv::cli::parse_command_line;

namespace {

struct Outcome {
  int code;
  std::string out, err;
  CommandLine cl;
};

Outcome parse(const std::vector<std::string>& args, bool every_option) {
  std::vector<const char*> argv{"relconv"};
  for (const auto& a : args) argv.push_back(a.c_str());
  Outcome o;
  std::ostringstream out, err;
  o.code = parse_command_line(static_cast<int>(argv.size()), argv.data(), o.cl, out, err, every_option);
  o.out = out.str();
  o.err = err.str();
  return o;
}

std::string show(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += " '" + a + "'";
  return s;
}

void check_same(const std::vector<std::string>& args) {
  Outcome some = parse(args, false), all = parse(args, true);
  INFO("relconv" << show(args));
  CHECK(some.code == all.code);
  CHECK(some.out == all.out);
  CHECK(some.err == all.err);
  CHECK(some.cl == all.cl);
}

}  // namespace

TEST_CASE("a build system's command line is read") {
  Outcome o = parse({"-q", "--to", "txt", "-o", "out/post.txt", "posts/post.md"}, false);
  CHECK(o.code == -1);
  CHECK(o.cl.quiet);
  CHECK(o.cl.to == "txt");
  CHECK(o.cl.output == "out/post.txt");
  CHECK(o.cl.inputs == std::vector<std::string>{"posts/post.md"});
  CHECK(o.cl.columns == 72);
  CHECK(o.err.empty());
}

TEST_CASE("errors and help read as with every option added") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {},
           {"--help"},
           {"-h", "post.md"},
           {"-qh"},
           {"--version"},
           {"--bogus", "post.md"},
           {"-x"},
           {"--columns", "5", "post.md"},
           {"--columns=80", "post.md"},
           {"-j0", "post.md"},
           {"-qj2", "-tman", "post.md"},
           {"-qo", "out.txt", "post.md"},
           {"-ofile.txt", "post.md"},
           {"--to"},
           {"--to", "txt", "--to", "man", "post.md"},
           {"-o", "--to", "txt", "post.md"},
           {"--order=bogus", "a.md"},
           {"--order", "date", "a.md", "b.md"},
           {"-M", "title=A", "-M", "tags=[a,b]", "a.md"},
           {"-Mtitle=x", "a.md"},
           {"--tag", "a", "--tag"},
           {"a.md", "--", "-q", "--to"},
           {"-", "-"},
           {"--max-input-size", "0", "a.md"},
           {"--toc", "--toc-depth", "3", "--to", "pdf", "-o", "a.pdf", "a.md"},
           {"--list-formats"},
           {"--out-dir", "out", "--to", "txt,man", "--jobs", "2", "--if-changed", "posts"},
           {"--depfile", "a.d", "--fail-on-warning", "--include-drafts", "a.md"},
           {"--resource-path", "img", "--style", "s.css", "--metadata-file", "m.yaml", "a.md"},
           {"--max-nesting", "2000", "a.md"},
           {"--max-table-columns=10", "a.md"},
           {"--quiet=1", "a.md"},
           {"--to=", "a.md"},
           {"---to", "txt", "a.md"},
       })
    check_same(args);
}

TEST_CASE("random command lines read as with every option added") {
  const std::vector<std::string> words = {
      "-q", "--quiet", "-t", "--to", "txt", "man", "--to=pdf", "-o", "--output", "out.txt", "--output=x.pdf",
      "post.md", "-", "--", "-j", "2", "-j0", "-qj", "-qo", "-qt", "--jobs=3", "--columns", "19", "80",
      "--toc", "--toc-depth", "7", "--order", "title", "bogus", "-M", "title=T", "-Mx=1", "--metadata",
      "--tag", "news", "--out-dir", "dir", "--version", "--list-formats", "--bogus", "-z", "-h", "--if-changed",
      "--max-input-size", "--depfile", "--style", "=", "-=", "--=x"};
  std::mt19937 rng(12345);
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::string> args(rng() % 7);
    for (auto& a : args) a = words[rng() % words.size()];
    check_same(args);
  }
}
