// Raw HTML inside Markdown, interpreted into the model. Internal to src/parse/.
//
// cmark-gfm hands over an HTML block as one string, and inline HTML one tag at a time
// (each tag a Text inline marked with kRawHtmlMarker in its url field while parsing).
// interpret_inline_html() reassembles a run of inlines into one fragment, parses it, and
// replaces it with model inlines; interpret_html_block() does the same for a block.
//
// This is the only code that uses libxml2 (html.cpp): in the relconv program it is a
// module, loaded on first use (html_interpreter() below).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "diag/diag.h"
#include "doc/model.h"
#include "parse/parse.h"

namespace relconv::detail {

// Marks a Text inline that holds one raw inline HTML tag, until interpret_inline_html().
inline const char* const kRawHtmlMarker = "\x01raw-html";

struct HtmlContext {
  const std::string* file;
  const std::string& base_dir;
  Diagnostics& diag;
  const ParseOptions& options;
  // Parses Markdown found where HTML was expected (a block whose first tag is broken), at
  // `first_line` of the file, appending blocks to `out`. Bounded by reparse_depth.
  std::function<void(const std::string& markdown, uint32_t first_line, std::vector<Block>& out)> parse_markdown;
  int reparse_depth = 0;
};

void interpret_html_block(const std::string& html, const SourcePos& pos, HtmlContext& ctx,
                          std::vector<Block>& out);
void interpret_inline_html(std::vector<Inline>& inlines, HtmlContext& ctx);

// Whether a run of inlines holds raw HTML for interpret_inline_html().
inline bool has_raw_html(const std::vector<Inline>& inlines) {
  for (const Inline& in : inlines)
    if (in.kind == InlineKind::Text && in.url == kRawHtmlMarker) return true;
  return false;
}

// The two entry points, as the module relconv-html.so exports them.
struct HtmlInterpreter {
  void (*block)(const std::string& html, const SourcePos& pos, HtmlContext& ctx, std::vector<Block>& out);
  void (*inlines)(std::vector<Inline>& inlines, HtmlContext& ctx);
};

// The interpreter: built in when the program links relconv_core; the relconv program
// loads relconv-html.so (io/modules.h) the first time a document has raw HTML, so the
// others never load libxml2 and ICU. Throws relconv::Error when the module is missing.
const HtmlInterpreter& html_interpreter();

}  // namespace relconv::detail
