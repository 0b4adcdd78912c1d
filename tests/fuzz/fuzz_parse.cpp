// Fuzz target: bytes (Markdown with front matter, pandoc title block, raw HTML) in, the
// document model out. Parsing must never crash, hang or grow without bound; a malformed
// front matter is a relconv::Error, which is an answer, not a failure. The model is then
// dumped (every node visited) and made into a book with itself, so the model's own code
// runs on what the parser built.
//
// Built with libFuzzer under RELCONV_FUZZ=ON; the same function runs in the normal build
// through replay_main.cpp over tests/fuzz/regressions/ and the seeds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "convert/convert.h"
#include "doc/dump.h"
#include "parse/parse.h"

// Unused here (see fuzz_render.cpp); defined so replay_main.cpp links with either target.
extern "C" {
const char* relconv_fuzz_base_dir = nullptr;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace relconv;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ParseOptions options;
  // Small limits so the fuzzer reaches them with small inputs.
  options.max_nesting = 16;
  options.max_table_columns = 64;
  options.max_yaml_nodes = 2000;
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
