// Heading ids when a heading repeats many times, and links between the chapters of a
// book: the cases the faster lookups (IdSet's per-base counter, link_chapters' hash map)
// must answer exactly as the simple searches did.
#include <doctest/doctest.h>

#include "convert/convert.h"
#include "doc/model.h"

using namespace relconv;

namespace {

Inline text_inline(const std::string& s) {
  Inline in;
  in.kind = InlineKind::Text;
  in.literal = s;
  return in;
}

Block heading_block(const std::string& s) {
  Block b;
  b.kind = BlockKind::Heading;
  b.level = 2;
  b.inlines.push_back(text_inline(s));
  return b;
}

Block link_paragraph(const std::string& url) {
  Inline link;
  link.kind = InlineKind::Link;
  link.url = url;
  link.children.push_back(text_inline("here"));
  Block p;
  p.kind = BlockKind::Paragraph;
  p.inlines.push_back(std::move(link));
  return p;
}

Chapter post(const std::string& title, const std::string& source_url) {
  Chapter ch;
  ch.meta.title = title;
  ch.meta.source_url = source_url;
  return ch;
}

}  // namespace

TEST_CASE("repeated headings get base, base-1, base-2 ... skipping ids taken by other headings") {
  Document doc;
  Chapter ch;
  ch.blocks.push_back(heading_block("News"));
  ch.blocks.push_back(heading_block("News 2"));  // slugs to news-2 before the repeats reach it
  for (int i = 0; i < 4; ++i) ch.blocks.push_back(heading_block("News"));
  ch.blocks.push_back(heading_block("News 1"));  // news-1 is taken by then
  doc.chapters.push_back(std::move(ch));
  assign_ids(doc);
  std::vector<std::string> ids;
  for (const Block& b : doc.chapters[0].blocks) ids.push_back(b.id);
  CHECK(ids == std::vector<std::string>{"news", "news-2", "news-1", "news-3", "news-4", "news-5", "news-1-1"});
}

TEST_CASE("a heading repeated 20,000 times gets unique ids quickly") {
  Document doc;
  Chapter ch;
  for (int i = 0; i < 20000; ++i) ch.blocks.push_back(heading_block("Major new features"));
  doc.chapters.push_back(std::move(ch));
  assign_ids(doc);
  CHECK(doc.chapters[0].blocks[0].id == "major-new-features");
  CHECK(doc.chapters[0].blocks[19999].id == "major-new-features-19999");
}

TEST_CASE("links to another post of a book point at its chapter; the first matching chapter wins") {
  std::vector<Chapter> chapters;
  chapters.push_back(post("One", "/2024/06/one.html"));
  chapters.push_back(post("Two", "https://blog.example.org/2024/07/two.html"));
  chapters.push_back(post("Three", "/2024/06/one.html"));  // same URL as One
  Chapter& one = chapters[0];
  one.blocks.push_back(link_paragraph("https://blog.example.org/2024/07/two.html#comments"));  // exact
  one.blocks.push_back(link_paragraph("https://other.example.org/2024/06/one.html"));  // site-relative suffix
  one.blocks.push_back(link_paragraph("/2024/06/one.html"));                           // exact, relative
  one.blocks.push_back(link_paragraph("https://example.org/x/2024/07/two.html"));      // not a site-relative target
  one.blocks.push_back(link_paragraph("2024/06/one.html"));                            // relative, no match
  one.blocks.push_back(link_paragraph("#top"));
  ConvertOptions options;
  options.order = ChapterOrder::Input;
  Diagnostics diag;
  Metadata meta;
  meta.title = "Book";
  Document doc = make_book(std::move(chapters), meta, options, diag);
  REQUIRE(doc.chapters.size() == 3);
  std::vector<std::string> urls;
  for (const Block& b : doc.chapters[0].blocks) urls.push_back(b.inlines[0].url);
  const std::string c1 = "#" + doc.chapters[0].id, c2 = "#" + doc.chapters[1].id;
  CHECK(urls == std::vector<std::string>{c2, c1, c1, "https://example.org/x/2024/07/two.html", "2024/06/one.html",
                                         "#top"});
}
