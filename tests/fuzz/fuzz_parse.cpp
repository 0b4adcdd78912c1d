// Fuzz target: bytes (Markdown with front matter, pandoc title block, raw HTML) in, the
// document model out. Parsing must never crash, hang or grow without bound; a malformed
// front matter is a relconv::Error, which is an answer, not a failure. The model is then
// dumped (every node visited) and made into a book with itself, so the model's own code
// runs on what the parser built.
//
// Front matter that the short way reads (read_simple_yaml) is read by yaml-cpp too, and
// the two must agree: a difference aborts.
//
// Built with libFuzzer under RELCONV_FUZZ=ON; the same function runs in the normal build
// through replay_main.cpp over tests/fuzz/regressions/ and the seeds.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "convert/convert.h"
#include "doc/dump.h"
#include "parse/front_matter.h"
#include "parse/parse.h"

// Unused here (see fuzz_render.cpp); defined so replay_main.cpp links with either target.
extern "C" {
const char* relconv_fuzz_base_dir = nullptr;
}

namespace {

void check_short_way(std::string_view bytes, const relconv::ParseOptions& options) {
  using namespace relconv;
  using namespace relconv::detail;
  FrontMatter fm;
  try {
    fm = split_front_matter(bytes, nullptr);
  } catch (const Error&) {
    return;
  }
  std::vector<YamlEntry> fast, slow;
  if (!fm.present || !read_simple_yaml(fm.yaml, options.max_yaml_nodes, fast)) return;
  try {
    slow = read_yaml_entries(fm.yaml, fm.yaml_line, nullptr, options, "front matter", false);
  } catch (const Error& e) {
    std::fprintf(stderr, "the short way read front matter that yaml-cpp refuses: %s\n", e.what());
    std::abort();
  }
  if (fast != slow) {
    std::fprintf(stderr, "the short way and yaml-cpp read this front matter differently\n");
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace relconv;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ParseOptions options;
  // Small limits so the fuzzer reaches them with small inputs.
  options.max_nesting = 16;
  options.max_table_columns = 64;
  options.max_yaml_nodes = 2000;
  check_short_way(bytes, options);
  Diagnostics diag;
  try {
    Chapter ch = parse_markdown(bytes, "fuzz.md", ".", diag, options);
    for (const Diagnostic& d : diag.all()) (void)format_diagnostic(d);
    Chapter copy = ch;
    Document doc = single_document(std::move(ch));
    (void)dump(doc);
    std::vector<Chapter> two;
    two.push_back(std::move(copy));
    two.push_back(doc.chapters.front());
    ConvertOptions convert;
    convert.include_drafts = true;
    Document book = make_book(std::move(two), Metadata{}, convert, diag);
    (void)dump(book);
  } catch (const Error& e) {
    (void)format_diagnostic(e.diagnostic());
  }
  return 0;
}
