#include "parse/html.h"

namespace relconv::detail {

static bool is_comment(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\n");
  return b != std::string::npos && s.compare(b, 4, "<!--") == 0;
}

void interpret_html_block(const std::string& html, const SourcePos& pos, HtmlContext& ctx,
                          std::vector<Block>& out) {
  if (is_comment(html)) return;
  Block b;
  b.kind = BlockKind::RawHtml;
  b.pos = pos;
  b.literal = html;
  out.push_back(std::move(b));
}

void interpret_inline_html(std::vector<Inline>& inlines, HtmlContext& ctx) {
  std::vector<Inline> out;
  for (Inline& in : inlines) {
    if (in.kind == InlineKind::Text && in.url == kRawHtmlMarker) {
      in.url.clear();
      if (is_comment(in.literal)) continue;
    }
    if (in.kind == InlineKind::Text && !out.empty() && out.back().kind == InlineKind::Text)
      out.back().literal += in.literal;
    else
      out.push_back(std::move(in));
  }
  inlines = std::move(out);
}

}  // namespace relconv::detail
