// Tests of the EPUB backend on documents built by hand: container layout, escaping,
// well-formedness of every XML file, ids and links across split files, footnotes,
// images, metadata, books and reproducibility. epubcheck runs in tests/epub/.
#include <doctest/doctest.h>
#include <libxml/parser.h>
#include <zip.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "backends/epub/book.h"
#include "backends/epub/epub.h"
#include "backends/epub/xml_writer.h"

using namespace relconv;

namespace {

Inline text(const std::string& s) {
  Inline i;
  i.kind = InlineKind::Text;
  i.literal = s;
  return i;
}

Inline span(InlineKind kind, std::vector<Inline> children, const std::string& url = {}) {
  Inline i;
  i.kind = kind;
  i.children = std::move(children);
  i.url = url;
  return i;
}

Inline note(int n) {
  Inline i;
  i.kind = InlineKind::FootnoteRef;
  i.note = n;
  i.literal = std::to_string(n);
  return i;
}

Block para(std::vector<Inline> ins) {
  Block b;
  b.kind = BlockKind::Paragraph;
  b.inlines = std::move(ins);
  return b;
}

Block heading(int level, const std::string& t, const std::string& id) {
  Block b;
  b.kind = BlockKind::Heading;
  b.level = level;
  b.id = id;
  b.inlines = {text(t)};
  return b;
}

Chapter chapter(const std::string& title, std::vector<Block> blocks, const std::string& id = "chapter-1") {
  Chapter c;
  c.source = std::make_shared<std::string>("post.md");
  c.base_dir = ".";
  c.id = id;
  c.meta.title = title;
  c.blocks = std::move(blocks);
  return c;
}

Document single(Chapter c) {
  Document d;
  d.meta = c.meta;
  d.chapters.push_back(std::move(c));
  return d;
}

struct Result {
  std::string bytes;
  std::map<std::string, std::string> files;  // name -> content
  std::vector<std::string> order;
  Diagnostics diag;
};

Result render(const Document& doc, size_t split_bytes = 48 * 1024, RenderOptions options = {}) {
  Result r;
  ResourceLoader loader;
  RenderContext ctx{doc, options, r.diag, loader};
  epub::PackageOptions po;
  po.split_bytes = split_bytes;
  epub::render_epub(ctx, po, r.bytes);

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(r.bytes.data(), r.bytes.size(), 0, &error);
  REQUIRE(src);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  REQUIRE(z);
  zip_int64_t n = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st);
    std::string data(st.size, '\0');
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    REQUIRE(f);
    CHECK(zip_fread(f, data.data(), st.size) == static_cast<zip_int64_t>(st.size));
    zip_fclose(f);
    r.order.push_back(st.name);
    r.files[st.name] = data;
  }
  zip_close(z);
  return r;
}

bool well_formed(const std::string& xml) {
  xmlDocPtr d = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "x.xml", nullptr,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!d) return false;
  xmlFreeDoc(d);
  return true;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

std::string temp_file(const std::string& name, const std::string& data) {
  std::string path = std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                     "/relconv-epub-test-" + std::to_string(getpid()) + "-" + name;
  std::ofstream(path, std::ios::binary) << data;
  return path;
}

// A 1x1 PNG, GIF and WebP (every byte hex-escaped, so no escape runs into the next).
template <size_t N>
std::string bytes(const char (&s)[N]) {
  return std::string(s, N - 1);
}
const std::string kPng = bytes("\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0b\x49\x44\x41\x54\x78\x9c\x63\x60\x00\x02\x00\x00\x05\x00\x01\x7a\x5e\xab\x3f\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82");
const std::string kGif = bytes("\x47\x49\x46\x38\x39\x61\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff\x21\xf9\x04\x01\x00\x00\x00\x00\x2c\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x01\x44\x00\x3b");
const std::string kWebp = bytes("\x52\x49\x46\x46\x1a\x00\x00\x00\x57\x45\x42\x50\x56\x50\x38\x4c\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00");

}  // namespace

TEST_CASE("epub: escaping keeps XML well-formed and drops characters XML forbids") {
  std::string out;
  epub::append_escaped(out, "a & b < c > d \"q\" \x01\x0b end\r\nx", false);
  CHECK(out == "a &amp; b &lt; c &gt; d \"q\"  end\nx");
  out.clear();
  epub::append_escaped(out, "say \"hi\"\n\tnow", true);
  CHECK(out == "say &quot;hi&quot;&#10;&#9;now");
  out.clear();
  epub::append_escaped(out, "bad \xff\xfe utf8 \xc2\x85 nel \xef\xbf\xbe", false);
  CHECK(out == "bad \xef\xbf\xbd\xef\xbf\xbd utf8  nel ");
  CHECK(epub::xml_clean("ok\x1f\xc3\xa9") == "ok\xc3\xa9");
  out.clear();
  epub::append_escaped(out, "Ελληνικά 中文 😀", false);
  CHECK(out == "Ελληνικά 中文 😀");
}

TEST_CASE("epub: the container starts with an uncompressed mimetype and no extra field") {
  Result r = render(single(chapter("Hello", {para({text("Hi.")})})));
  REQUIRE(r.bytes.size() > 60);
  CHECK(r.bytes.compare(0, 4, "PK\x03\x04") == 0);
  CHECK(r.bytes[8] == 0);  // compression method: stored
  CHECK(r.bytes[9] == 0);
  CHECK(r.bytes[28] == 0);  // extra field length
  CHECK(r.bytes[29] == 0);
  CHECK(r.bytes.compare(30, 8, "mimetype") == 0);
  CHECK(r.bytes.compare(38, 20, "application/epub+zip") == 0);
  REQUIRE(r.order.size() >= 6);
  CHECK(r.order[0] == "mimetype");
  CHECK(r.order[1] == "META-INF/container.xml");
  CHECK(r.files.count("EPUB/package.opf"));
  CHECK(r.files.count("EPUB/nav.xhtml"));
  CHECK(r.files.count("EPUB/toc.ncx"));
  CHECK(r.files.count("EPUB/styles/epub.css"));
  CHECK(r.files.count("EPUB/text/ch001.xhtml"));
}

TEST_CASE("epub: hostile text stays text in every file") {
  Chapter c = chapter("<b>Title</b> & \"co\"", {heading(1, "A <heading> & more", "a-heading"),
                                                   para({text("<script>alert(1)</script> \x01 ]]> done")})});
  c.meta.authors = {"Ann <ann@example.com>"};
  c.meta.description = "A & B";
  c.meta.tags = {"c++", "<tag>"};
  Block raw;
  raw.kind = BlockKind::RawHtml;
  raw.literal = "<div onclick=\"x()\">raw</div>\n";
  c.blocks.push_back(raw);
  Result r = render(single(c));
  for (const auto& file : r.files) {
    // (No structured binding: doctest's CHECK_MESSAGE captures it in a lambda, which
    // only C++20 allows; clang 14 refuses.)
    const std::string& name = file.first;
    if (name.size() > 6 && (name.substr(name.size() - 6) == ".xhtml" || name.substr(name.size() - 4) == ".opf" ||
                            name.substr(name.size() - 4) == ".ncx" || name.substr(name.size() - 4) == ".xml"))
      CHECK_MESSAGE(well_formed(file.second), name);
  }
  const std::string& x = r.files["EPUB/text/ch001.xhtml"];
  CHECK(contains(x, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK_FALSE(contains(x, "<script"));
  CHECK(contains(x, "<pre class=\"raw-html\"><code>&lt;div onclick=\"x()\"&gt;raw&lt;/div&gt;</code></pre>"));
  CHECK(contains(r.files["EPUB/package.opf"], "<dc:subject>&lt;tag&gt;</dc:subject>"));
}

TEST_CASE("epub: metadata in the package document") {
  Chapter c = chapter("Release", {para({text("Body.")})});
  c.meta.authors = {"Thomas Wouters"};
  c.meta.date = "2024-06-07";
  c.meta.description = "The release.";
  c.meta.tags = {"release", "python", "release"};
  c.meta.language = "en-GB";
  c.meta.subtitle = "Now with more";
  Document d = single(c);
  Result r = render(d);
  const std::string& opf = r.files["EPUB/package.opf"];
  CHECK(contains(opf, "<dc:title id=\"title\">Release</dc:title>"));
  CHECK(contains(opf, "<dc:creator id=\"creator-1\">Thomas Wouters</dc:creator>"));
  CHECK(contains(opf, "<dc:date>2024-06-07</dc:date>"));
  CHECK(contains(opf, "<dc:title id=\"subtitle\">Now with more</dc:title>\n"
                      "<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>"));
  CHECK(contains(r.files["EPUB/text/ch001.xhtml"], "<p class=\"subtitle\">Now with more</p>"));
  CHECK(contains(opf, "<dc:language>en-GB</dc:language>"));
  CHECK(contains(opf, "<dc:description>The release.</dc:description>"));
  CHECK(contains(opf, "<dc:subject>release</dc:subject>\n<dc:subject>python</dc:subject>\n<meta"));
  // No SOURCE_DATE_EPOCH: the document's date is the modification date.
  CHECK(contains(opf, "<meta property=\"dcterms:modified\">2024-06-07T00:00:00Z</meta>"));
  CHECK(contains(opf, "<dc:identifier id=\"uid\">urn:uuid:"));
  CHECK(contains(r.files["EPUB/toc.ncx"], "content=\"urn:uuid:"));

  RenderOptions o;
  o.source_date_epoch = 1700000000;
  Result r2 = render(d, 48 * 1024, o);
  CHECK(contains(r2.files["EPUB/package.opf"], "dcterms:modified\">2023-11-14T22:13:20Z<"));

  // The identifier is derived from the content: stable, and different for other content.
  Result again = render(d);
  auto uid = [](const std::string& opf) {
    size_t at = opf.find("urn:uuid:");
    return opf.substr(at, 45);
  };
  CHECK(uid(again.files["EPUB/package.opf"]) == uid(opf));
  Document other = d;
  other.chapters[0].blocks.push_back(para({text("More.")}));
  CHECK(uid(render(other).files["EPUB/package.opf"]) != uid(opf));
  // A given identifier wins.
  Document given = d;
  given.meta.identifier = "https://example.com/post";
  CHECK(contains(render(given).files["EPUB/package.opf"], ">https://example.com/post</dc:identifier>"));

  // Language defaults to English; a malformed one warns.
  Document nolang = d;
  nolang.meta.language = "";
  nolang.chapters[0].meta.language = "";
  CHECK(contains(render(nolang).files["EPUB/package.opf"], "<dc:language>en</dc:language>"));
  Document bad = d;
  bad.meta.language = "english language";
  Result rb = render(bad);
  CHECK(rb.diag.warning_count() >= 1);
}

TEST_CASE("epub: identical input gives identical bytes, whatever the time zone") {
  Chapter c = chapter("Same", {heading(1, "One", "one"), para({text("x"), note(1)})});
  Footnote f;
  f.number = 1;
  f.id = "fn-1";
  f.blocks = {para({text("note")})};
  c.footnotes.push_back(f);
  Document d = single(c);
  std::string a = render(d).bytes;
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", "Pacific/Kiritimati", 1);
  tzset();
  std::string b = render(d).bytes;
  if (old)
    setenv("TZ", saved.c_str(), 1);
  else
    unsetenv("TZ");
  tzset();
  CHECK(a == b);
}

TEST_CASE("epub: a long document splits at its top-level headings; links and notes resolve across files") {
  Chapter c = chapter("", {para({text("Intro "), span(InlineKind::Link, {text("to two")}, "#two")}),
                           heading(2, "One", "one"),
                           para({text("See note"), note(1), text(" and "),
                                 span(InlineKind::Link, {text("back")}, "#one")}),
                           heading(3, "One point one", "one-point-one"),
                           heading(2, "Two", "two"),
                           para({text("Again"), note(1), text(" and "), note(2)}),
                           para({span(InlineKind::Link, {text("nowhere")}, "#missing")})});
  c.meta.title = "";
  Footnote f1;
  f1.number = 1;
  f1.id = "fn-1";
  f1.blocks = {para({text("First note.")})};
  Footnote f2;
  f2.number = 2;
  f2.id = "fn-2";
  f2.blocks = {para({text("Second note.")})};
  c.footnotes = {f1, f2};
  Result r = render(single(c), 0);
  REQUIRE(r.files.count("EPUB/text/ch001-3.xhtml"));
  const std::string& p1 = r.files["EPUB/text/ch001.xhtml"];
  const std::string& p2 = r.files["EPUB/text/ch001-2.xhtml"];
  const std::string& p3 = r.files["EPUB/text/ch001-3.xhtml"];
  CHECK(contains(p1, "<a href=\"ch001-3.xhtml#two\">to two</a>"));
  CHECK(contains(p2, "<a href=\"#one\">back</a>"));
  // Without a title, the top heading level becomes <h1>.
  CHECK(contains(p2, "<h1 id=\"one\">One</h1>"));
  CHECK(contains(p2, "<h2 id=\"one-point-one\">"));
  // Note 1 lives with its first reference; the second reference points there.
  CHECK(contains(p2, "<a id=\"fnref.fn-1.1\" class=\"noteref\" href=\"#fn-1\" epub:type=\"noteref\""));
  CHECK(contains(p2, "<aside id=\"fn-1\" class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\">"));
  CHECK(contains(p2, "href=\"#fnref.fn-1.1\" role=\"doc-backlink\" aria-label=\"Back to reference 1\">1.</a> First note."));
  CHECK(contains(p3, "href=\"ch001-2.xhtml#fn-1\" epub:type=\"noteref\""));
  CHECK(contains(p3, "<aside id=\"fn-2\""));
  CHECK_FALSE(contains(p3, "<aside id=\"fn-1\""));
  // An unresolvable link is its text, with a warning.
  CHECK(contains(p3, "<p>nowhere</p>"));
  CHECK(r.diag.warning_count() == 1);
  // Navigation: the start, then the headings nested by level.
  const std::string& nav = r.files["EPUB/nav.xhtml"];
  CHECK(contains(nav, "<li><a href=\"text/ch001-2.xhtml#one\">One</a>\n<ol>\n"
                      "<li><a href=\"text/ch001-2.xhtml#one-point-one\">One point one</a></li>\n</ol>\n</li>\n"
                      "<li><a href=\"text/ch001-3.xhtml#two\">Two</a></li>"));
  CHECK(contains(r.files["EPUB/toc.ncx"], "<content src=\"text/ch001-2.xhtml#one-point-one\"/>"));
  CHECK(contains(r.files["EPUB/toc.ncx"], "<meta name=\"dtb:depth\" content=\"2\"/>"));
  // toc_depth 1 leaves the sub-heading out.
  RenderOptions o;
  o.toc_depth = 1;
  CHECK_FALSE(contains(render(single(c), 0, o).files["EPUB/nav.xhtml"], "One point one"));
  // Short documents stay in one file.
  CHECK_FALSE(render(single(c)).files.count("EPUB/text/ch001-2.xhtml"));
}

TEST_CASE("epub: ids are valid XML names, unique, and links find them") {
  Chapter c = chapter("Ids", {heading(1, "3.12", "3-12"), heading(1, "Ünïcode", "ünïcode"),
                              heading(1, "Empty", ""),
                              para({span(InlineKind::Link, {text("a")}, "#3-12"),
                                    span(InlineKind::Link, {text("b")}, "#%C3%BCn%C3%AFcode")})});
  Block empty;
  empty.kind = BlockKind::Heading;
  empty.level = 1;
  empty.id = "empty-heading";
  empty.inlines = {span(InlineKind::Link, {}, "https://example.com/")};
  c.blocks.push_back(empty);
  Result r = render(single(c));
  const std::string& x = r.files["EPUB/text/ch001.xhtml"];
  CHECK(contains(x, "<h2 id=\"id-3-12\">3.12</h2>"));
  CHECK(contains(x, "<h2 id=\"u00fcnu00efcode\">"));
  CHECK(contains(x, "<a href=\"#id-3-12\">a</a>"));
  CHECK(contains(x, "<a href=\"#u00fcnu00efcode\">b</a>"));
  CHECK(contains(x, "<h2 id=\"h-1-"));  // a heading without id gets one
  // A heading with nothing to read is no heading and no navigation entry.
  CHECK(contains(x, "<p class=\"empty-heading\" id=\"empty-heading\">"));
  const std::string& nav = r.files["EPUB/nav.xhtml"];
  CHECK_FALSE(contains(nav, "\"></a>"));
  CHECK_FALSE(contains(nav, "empty-heading"));
}

TEST_CASE("epub: blocks and inlines") {
  Block list;
  list.kind = BlockKind::List;
  list.list.ordered = true;
  list.list.start = 3;
  ListItem done;
  done.task = TaskState::Checked;
  done.blocks = {para({text("done")})};
  ListItem open;
  open.task = TaskState::Unchecked;
  open.blocks = {para({text("open")})};
  list.items = {done, open};

  Block code;
  code.kind = BlockKind::CodeBlock;
  code.info = "python {.numbered}";
  code.literal = "if a < b:\n    print(\"&\")\n";

  Block table;
  table.kind = BlockKind::Table;
  table.table = std::make_shared<TableData>();
  table.table->aligns = {Align::None, Align::Center, Align::Right};
  TableRow head;
  head.header = true;
  for (const char* h : {"A", "B", "C"}) {
    TableCell cell;
    cell.inlines = {text(h)};
    head.cells.push_back(cell);
  }
  TableRow row;
  TableCell wide;
  wide.inlines = {text("wide")};
  wide.colspan = 2;
  TableCell last;
  last.inlines = {text("3")};
  row.cells = {wide, last};
  table.table->rows = {head, row};

  Block quote;
  quote.kind = BlockKind::BlockQuote;
  quote.children = {para({text("quoted")})};

  Block dl;
  dl.kind = BlockKind::DefinitionList;
  DefinitionItem item;
  item.term = {text("term")};
  item.definitions = {{para({text("meaning")})}};
  dl.definitions = {item};

  Block hr;
  hr.kind = BlockKind::ThematicBreak;

  Inline hard;
  hard.kind = InlineKind::HardBreak;
  Inline code_span;
  code_span.kind = InlineKind::Code;
  code_span.literal = "x<y";
  Block inl = para({span(InlineKind::Emph, {text("em")}), span(InlineKind::Strong, {text("strong")}),
                    span(InlineKind::Strike, {text("gone")}), span(InlineKind::Superscript, {text("up")}),
                    span(InlineKind::Subscript, {text("down")}), span(InlineKind::Small, {text("small")}),
                    span(InlineKind::Kbd, {text("Ctrl")}), hard, code_span});

  Block loose = list;
  loose.list.ordered = false;
  loose.list.tight = false;

  Result r = render(single(chapter("Blocks", {list, code, table, quote, dl, hr, inl, loose})));
  const std::string& x = r.files["EPUB/text/ch001.xhtml"];
  CHECK(well_formed(x));
  CHECK(contains(x, "<ol start=\"3\" class=\"tasks\">"));
  CHECK(contains(x, "<li class=\"task done\"><span class=\"checkbox\" role=\"img\" aria-label=\"done\">\u2611</span> done</li>"));
  CHECK(contains(x, "aria-label=\"not done\">\u2610</span> open</li>"));
  // In a loose list the box sits inside the item's first paragraph.
  CHECK(contains(x, "<ul class=\"tasks\">\n<li class=\"task done\">\n<p><span class=\"checkbox\" role=\"img\" "
                    "aria-label=\"done\">\u2611</span> done</p>\n</li>"));
  CHECK(contains(x, "<pre class=\"code\"><code class=\"language-python\">if a &lt; b:\n    print(\"&amp;\")</code></pre>"));
  CHECK(contains(x, "<thead>\n<tr><th scope=\"col\">A</th><th scope=\"col\" style=\"text-align: center\">B</th>"
                    "<th scope=\"col\" style=\"text-align: right\">C</th></tr>\n</thead>\n<tbody>\n"
                    "<tr><td colspan=\"2\">wide</td><td style=\"text-align: right\">3</td></tr>\n</tbody>"));
  CHECK(contains(x, "<blockquote>\n<p>quoted</p>\n</blockquote>"));
  CHECK(contains(x, "<dl>\n<dt>term</dt>\n<dd>meaning</dd>\n</dl>"));
  CHECK(contains(x, "<hr/>"));
  CHECK(contains(x, "<em>em</em><strong>strong</strong><s>gone</s><sup>up</sup><sub>down</sub>"
                    "<small>small</small><kbd>Ctrl</kbd><br/>\n<code>x&lt;y</code>"));
  // The chapter header shows title; headings below it start at <h2>.
  CHECK(contains(x, "<h1 class=\"chapter-title\" id=\"chapter-1\">Blocks</h1>"));
}

TEST_CASE("epub: images are packaged once, with their media type; others fall back to alt text") {
  std::string png = temp_file("a.png", kPng);
  std::string png_copy = temp_file("b.png", kPng);
  std::string gif = temp_file("c.gif", kGif);
  std::string webp = temp_file("d.webp", kWebp);
  std::string svg = temp_file(
      "e.svg",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
      "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\" onload=\"x()\"><path style=\"fill:red\"/>"
      "<script>x()</script><path d=\"M0 0L1 1\"/></svg>\n");
  std::string bad_svg = temp_file("f.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><unclosed></svg>");
  auto img = [](const std::string& path, const std::string& alt) {
    Inline i;
    i.kind = InlineKind::Image;
    i.url = path;
    if (!alt.empty()) i.children = {text(alt)};
    return i;
  };
  Block fig;
  fig.kind = BlockKind::Figure;
  fig.inlines = {img(png, "A dot")};
  fig.caption = {text("The caption")};
  Chapter c = chapter("Images", {fig, para({img(png_copy, "Same dot"), img(gif, "gif"), img(webp, "webp")}),
                                 para({img(svg, "vector")}), para({img(bad_svg, "broken")}),
                                 para({img("https://example.com/r.png", "remote one")}),
                                 para({text("Careful "), img(png, ":warning:")}),
                                 para({img(png, "")})});
  c.base_dir = "/";
  Result r = render(single(c));
  const std::string& x = r.files["EPUB/text/ch001.xhtml"];
  CHECK(r.files["EPUB/images/image-1.png"] == kPng);
  CHECK_FALSE(r.files.count("EPUB/images/image-5.png"));
  CHECK(r.files.count("EPUB/images/image-2.gif"));
  CHECK(r.files.count("EPUB/images/image-3.webp"));
  REQUIRE(r.files.count("EPUB/images/image-4.svg"));
  const std::string& cleaned = r.files["EPUB/images/image-4.svg"];
  CHECK_FALSE(contains(cleaned, "DOCTYPE"));
  CHECK_FALSE(contains(cleaned, "script"));
  CHECK_FALSE(contains(cleaned, "onload"));
  CHECK(contains(cleaned, "<path style=\"fill:red\" d=\"\"/>"));
  CHECK(contains(x, "<figure>\n<img src=\"../images/image-1.png\" alt=\"A dot\"/>\n<figcaption>The caption</figcaption>\n</figure>"));
  CHECK(contains(x, "<img src=\"../images/image-1.png\" alt=\"Same dot\"/>"));
  CHECK(contains(x, "<object data=\"../images/image-3.webp\" type=\"image/webp\"><span class=\"image-alt\">webp</span></object>"));
  CHECK(contains(x, "<span class=\"image-alt\">broken</span>"));
  CHECK(contains(x, "Careful <img src=\"../images/image-1.png\" alt=\":warning:\" class=\"emoji\"/>"));
  CHECK(contains(x, "<a class=\"image-link\" href=\"https://example.com/r.png\">remote one</a>"));
  const std::string& opf = r.files["EPUB/package.opf"];
  CHECK(contains(opf, "href=\"images/image-1.png\" media-type=\"image/png\""));
  CHECK(contains(opf, "href=\"images/image-2.gif\" media-type=\"image/gif\""));
  CHECK(contains(opf, "href=\"images/image-3.webp\" media-type=\"image/webp\""));
  CHECK(contains(opf, "href=\"images/image-4.svg\" media-type=\"image/svg+xml\""));
  // One image lacks alt text: warned, and no claim of alternative text or conformance.
  bool warned = false;
  for (const auto& d : r.diag.all()) warned = warned || contains(d.message, "has no alt text");
  CHECK(warned);
  CHECK_FALSE(contains(opf, "alternativeText"));
  CHECK_FALSE(contains(opf, "dcterms:conformsTo"));
  CHECK(contains(opf, "<meta property=\"schema:accessMode\">visual</meta>"));
  CHECK(contains(opf, "<meta property=\"schema:accessibilityHazard\">unknown</meta>"));  // a GIF may flash
}

TEST_CASE("epub: accessibility claims follow the content") {
  Result r = render(single(chapter("Plain", {heading(1, "Part", "part"), para({text("Words.")})})));
  const std::string& opf = r.files["EPUB/package.opf"];
  CHECK(contains(opf, "<meta property=\"schema:accessMode\">textual</meta>"));
  CHECK_FALSE(contains(opf, "schema:accessMode\">visual"));
  CHECK(contains(opf, "<meta property=\"schema:accessModeSufficient\">textual</meta>"));
  CHECK(contains(opf, "<meta property=\"schema:accessibilityFeature\">tableOfContents</meta>"));
  CHECK(contains(opf, "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>"));
  CHECK_FALSE(contains(opf, "alternativeText"));
  CHECK(contains(opf, "<meta property=\"schema:accessibilityHazard\">none</meta>"));
  CHECK(contains(opf, "<meta property=\"schema:accessibilitySummary\">"));
  CHECK(contains(opf, "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>"));
}

TEST_CASE("epub: a book keeps each chapter's title, author and date") {
  Chapter a = chapter("First post", {heading(1, "Intro", "intro"), para({text("A.")})}, "chapter-1");
  a.meta.authors = {"Ann"};
  a.meta.date = "2024-01-02";
  Chapter b = chapter("Second post", {heading(1, "Intro", "intro-1"), para({text("B.")}),
                                      para({span(InlineKind::Link, {text("up")}, "#intro")})},
                      "chapter-2");
  b.meta.authors = {"Bob", "Cy"};
  b.meta.date = "2024-03-04";
  Document d;
  d.meta.title = "The Blog";
  d.chapters = {a, b};
  Result r = render(d);
  CHECK(contains(r.files["EPUB/text/title.xhtml"], "<h1 class=\"book-title\">The Blog</h1>"));
  const std::string& c1 = r.files["EPUB/text/ch001.xhtml"];
  const std::string& c2 = r.files["EPUB/text/ch002.xhtml"];
  CHECK(contains(c1, "<h1 class=\"chapter-title\" id=\"chapter-1\">First post</h1>"));
  CHECK(contains(c1, "<span class=\"author\">Ann</span> \u00B7 <time datetime=\"2024-01-02\">2 January 2024</time>"));
  CHECK(contains(c2, "<span class=\"author\">Bob and Cy</span>"));
  // "#intro" in chapter 2 means chapter 2's own heading (renamed intro-1 in the book).
  CHECK(contains(c2, "<a href=\"#intro-1\">up</a>"));
  const std::string& nav = r.files["EPUB/nav.xhtml"];
  CHECK(contains(nav, "<li><a href=\"text/ch001.xhtml\">First post</a>\n<ol>\n<li><a href=\"text/ch001.xhtml#intro\">Intro</a>"));
  CHECK(contains(nav, "<li><a href=\"text/ch002.xhtml\">Second post</a>"));
  CHECK(contains(nav, "epub:type=\"titlepage\""));
  const std::string& opf = r.files["EPUB/package.opf"];
  CHECK(contains(opf, "<dc:title id=\"title\">The Blog</dc:title>"));
  CHECK(contains(opf, ">Ann</dc:creator>"));
  CHECK(contains(opf, ">Cy</dc:creator>"));
  CHECK(contains(opf, "<itemref idref=\"title-page\"/>\n<itemref idref=\"nav\" linear=\"no\"/>\n<itemref idref=\"x-ch001\"/>"));
  // Newest date of the book.
  CHECK(contains(opf, "dcterms:modified\">2024-03-04T00:00:00Z<"));
}

TEST_CASE("epub: --style replaces the style sheet") {
  std::string css = temp_file("style.css", "body { color: red; }\n");
  RenderOptions o;
  o.style_path = css;
  Result r = render(single(chapter("Styled", {para({text("x")})})), 48 * 1024, o);
  CHECK(r.files["EPUB/styles/epub.css"] == "body { color: red; }\n");
  CHECK(r.diag.warning_count() == 0);
  o.style_path = temp_file("font.css", "@font-face { src: url(font.ttf); }\n");
  CHECK(render(single(chapter("Styled", {para({text("x")})})), 48 * 1024, o).diag.warning_count() == 1);
  o.style_path = "/nonexistent/style.css";
  CHECK_THROWS_AS(render(single(chapter("Styled", {para({text("x")})})), 48 * 1024, o), Error);
}

TEST_CASE("epub: entries deflated on several threads make the same container, which reads back") {
  std::vector<epub::ZipEntry> entries = {{"mimetype", "application/epub+zip", false}, {"empty.txt", "", true}};
  std::string big, noise;
  for (int i = 0; i < 20000; ++i) big += "Line " + std::to_string(i) + " of a long chapter.\n";
  uint32_t x = 12345;
  for (int i = 0; i < 70000; ++i) noise += static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
  entries.push_back({"big.xhtml", big, true});
  entries.push_back({"noise.bin", noise, true});
  entries.push_back({"stored.png", noise, false});
  for (int i = 0; i < 9; ++i) entries.push_back({"small" + std::to_string(i) + ".xhtml", std::string(i * 37, 'a' + i), true});

  const std::string one = epub::write_zip(entries, 1700000000, 1);
  CHECK(epub::write_zip(entries, 1700000000, 3) == one);

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(one.data(), one.size(), 0, &error);
  REQUIRE(src);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  REQUIRE(z);
  REQUIRE(zip_get_num_entries(z, 0) == static_cast<zip_int64_t>(entries.size()));
  for (size_t i = 0; i < entries.size(); ++i) {
    CAPTURE(entries[i].name);
    zip_stat_t st;
    REQUIRE(zip_stat_index(z, i, 0, &st) == 0);
    CHECK(st.name == entries[i].name);
    CHECK(st.comp_method == (entries[i].compress && i > 0 ? ZIP_CM_DEFLATE : ZIP_CM_STORE));
    std::string data(st.size, '\0');
    zip_file_t* f = zip_fopen_index(z, i, 0);
    REQUIRE(f);
    // libzip checks the CRC when the whole entry has been read.
    CHECK(zip_fread(f, data.data(), st.size) == static_cast<zip_int64_t>(st.size));
    char extra;
    CHECK(zip_fread(f, &extra, 1) == 0);
    zip_fclose(f);
    CHECK(data == entries[i].data);
  }
  zip_close(z);
}

TEST_CASE("epub: a book's files rendered on several threads give the same bytes and warnings in order") {
  Document d;
  d.meta.title = "The Blog";
  for (int i = 1; i <= 12; ++i) {
    const std::string n = std::to_string(i);
    Inline broken = span(InlineKind::Link, {text("gone")}, "#missing-" + n);
    broken.pos.line = uint32_t(i);
    Inline script = span(InlineKind::Link, {text("run")}, "javascript:alert(" + n + ")");
    script.pos.line = uint32_t(i);
    d.chapters.push_back(chapter("Post " + n, {para({text("Text " + n + " "), broken, text(" "), script})},
                                 "chapter-" + n));
  }
  RenderOptions one, four;
  one.jobs = 1;
  four.jobs = 4;
  Result a = render(d, 48 * 1024, one);
  Result b = render(d, 48 * 1024, four);
  CHECK(a.bytes == b.bytes);
  REQUIRE(a.diag.all().size() == 24);
  REQUIRE(b.diag.all().size() == 24);
  for (size_t i = 0; i < 24; ++i) {
    CAPTURE(i);
    CHECK(b.diag.all()[i].line == i / 2 + 1);
    CHECK(format_diagnostic(b.diag.all()[i]) == format_diagnostic(a.diag.all()[i]));
  }
  CHECK(contains(b.files["EPUB/text/ch012.xhtml"], "Text 12"));
}
