#include <doctest/doctest.h>

#include "doc/dump.h"
#include "parse/inlines.h"
#include "parse/parse.h"

using namespace relconv;

namespace {
Chapter parse(const std::string& md, Diagnostics* diag_out = nullptr) {
  Diagnostics diag;
  Chapter ch = parse_markdown(md, "h.md", ".", diag);
  if (diag_out) *diag_out = diag;
  return ch;
}
std::string tree(const std::string& md) { return dump(single_document(parse(md))); }
}  // namespace

TEST_CASE("inline HTML mixed with Markdown keeps its order") {
  Chapter ch = parse("*a* <b>b **c** d</b> e\n");
  const auto& ins = ch.blocks.at(0).inlines;
  REQUIRE(ins.size() == 4);
  CHECK(ins[0].kind == InlineKind::Emph);
  CHECK(ins[2].kind == InlineKind::Strong);
  REQUIRE(ins[2].children.size() == 3);
  CHECK(ins[2].children[1].kind == InlineKind::Strong);
  CHECK(plain_text(ins) == "a b c d e");
}

TEST_CASE("HTML tables map to the model with header cells and colspan") {
  Chapter ch = parse("<table><tr><th>A</th><th>B</th></tr><tr><td colspan=\"2\">wide</td></tr></table>\n");
  REQUIRE(ch.blocks.size() == 1);
  const TableData& t = *ch.blocks[0].table;
  CHECK(t.columns() == 2);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].header);
  CHECK(t.rows[1].cells[0].colspan == 2);
}

TEST_CASE("a <br> inside a cell is a hard break and an <img> an image with alt and size") {
  Chapter ch = parse("<table><tr><td><img src=\"a.png\" alt=\"Alt\" width=\"10\"><br>Caption</td></tr></table>\n");
  const TableCell& cell = ch.blocks.at(0).table->rows.at(0).cells.at(0);
  REQUIRE(cell.inlines.size() == 3);
  CHECK(cell.inlines[0].kind == InlineKind::Image);
  CHECK(cell.inlines[0].width == 10);
  CHECK(plain_text(cell.inlines[0].children) == "Alt");
  CHECK(cell.inlines[1].kind == InlineKind::HardBreak);
}

TEST_CASE("scripts, styles, event handlers and javascript: links never reach the model") {
  Diagnostics diag;
  std::string t = dump(single_document(parse(
      "<script>evil()</script>\n\n<p onmouseover=\"evil()\">x <a href=\"javascript:evil()\">y</a></p>\n\n"
      "Inline <script>evil()</script> <style>p{}</style> <img src=\"javascript:evil()\" alt=\"z\">\n",
      &diag)));
  CHECK(t.find("evil") == std::string::npos);
  CHECK(t.find("javascript") == std::string::npos);
  CHECK(t.find("onmouseover") == std::string::npos);
  CHECK(diag.warning_count() >= 3);
}

TEST_CASE("what only looks like a tag shows as text; comments are dropped") {
  std::string t = tree("a <module> b <!-- hidden --> c <pid>\n\n<!-- block comment -->\n");
  CHECK(t.find("a <module> b c <pid>") != std::string::npos);
  CHECK(t.find("hidden") == std::string::npos);
  CHECK(t.find("block comment") == std::string::npos);
}

TEST_CASE("declarations are examples and show as written") {
  Chapter ch = parse("<!DOCTYPE x [\n<!ENTITY a \"b\">\n]>\n");
  REQUIRE(!ch.blocks.empty());
  CHECK(ch.blocks[0].kind == BlockKind::RawHtml);
  CHECK(ch.blocks[0].literal.find("<!DOCTYPE x [") == 0);
}

TEST_CASE("a block starting with a broken tag is read as Markdown, not swallowed") {
  Chapter ch = parse("<h1 id=)- [](https://e.org/x>e</a></p>\n- [item](https://e.org): kept\n");
  bool found_list = false;
  for (const Block& b : ch.blocks) found_list = found_list || b.kind == BlockKind::List;
  CHECK(found_list);
}

TEST_CASE("details, figure, definition lists, pre and headings in HTML") {
  Chapter ch = parse(
      "<details><summary>S</summary><p>Body</p></details>\n\n"
      "<figure><img src=\"f.png\" alt=\"F\"><figcaption>Cap</figcaption></figure>\n\n"
      "<dl><dt>T</dt><dd>D</dd></dl>\n\n<pre><code class=\"language-c\">int x;</code></pre>\n\n<h3>H</h3>\n");
  std::vector<BlockKind> kinds;
  for (const Block& b : ch.blocks) kinds.push_back(b.kind);
  CHECK(kinds == std::vector<BlockKind>{BlockKind::Paragraph, BlockKind::Paragraph, BlockKind::Figure,
                                        BlockKind::DefinitionList, BlockKind::CodeBlock, BlockKind::Heading});
  CHECK(ch.blocks[0].inlines.at(0).kind == InlineKind::Strong);
  CHECK(plain_text(ch.blocks[2].caption) == "Cap");
  CHECK(ch.blocks[4].info == "c");
  CHECK(ch.blocks[5].level == 3);
}

TEST_CASE("HTML nested deeper than libxml2 goes is shown as written, never lost") {
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "<div>";
  deep += "deep words";
  for (int i = 0; i < 300; ++i) deep += "</div>";
  Diagnostics diag;
  Chapter block = parse(deep + "\n", &diag);
  CHECK(dump(single_document(block)).find("deep words") != std::string::npos);
  CHECK(diag.warning_count() == 1);
  std::string inl = "Text *md* ";
  for (int i = 0; i < 300; ++i) inl += "<span>";
  inl += "inner words";
  for (int i = 0; i < 300; ++i) inl += "</span>";
  Chapter para = parse(inl + " end\n");
  std::string t = dump(single_document(para));
  CHECK(t.find("inner words") != std::string::npos);
  CHECK(t.find("emph") != std::string::npos);
  CHECK(t.find("end") != std::string::npos);
}

TEST_CASE("active URLs are found through case, spaces and control characters") {
  using relconv::detail::is_active_url;
  CHECK(is_active_url("javascript:evil()"));
  CHECK(is_active_url(" JaVa\tScRiPt:evil()"));
  CHECK(is_active_url("java\nscript:evil()"));
  CHECK(is_active_url("\x01javascript\x7f:evil()"));
  CHECK(is_active_url("VBScript:evil"));
  CHECK(is_active_url("data:text/html,<script>"));
  CHECK(is_active_url(" DATA:text/html,x"));
  CHECK_FALSE(is_active_url("data:image/png;base64,AAAA"));
  CHECK_FALSE(is_active_url("https://example.org/javascript:"));
  CHECK_FALSE(is_active_url("javascript"));
  CHECK_FALSE(is_active_url(""));
  CHECK_FALSE(is_active_url("jav\xC3\xA1script:x"));
}
