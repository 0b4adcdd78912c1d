// Unit tests of the PDF backend: documents built by hand, rendered in memory, and checked
// for structure (links, outline, fonts, info), reproducibility, warnings and the pieces
// (style reading, PNG/JPEG decoding, font coverage, URL encoding). Text extraction and the
// third-party validators run in tests/pdf/ through ctest.
#include <doctest/doctest.h>
#include <dlfcn.h>
#include <fontconfig/fontconfig.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <png.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "backend/backend.h"
#include "text/utf8.h"
#include "backends/pdf/fonts.h"
#include "backends/pdf/images.h"
#include "backends/pdf/layout.h"
#include "backends/pdf/shape.h"
#include "parse/parse.h"
#include "backends/pdf/style.h"

namespace relconv::pdf {
const Backend& backend();
}

using namespace relconv;

namespace {

Inline text(const std::string& s) {
  Inline i;
  i.literal = s;
  return i;
}

Inline span(InlineKind k, std::vector<Inline> children) {
  Inline i;
  i.kind = k;
  i.children = std::move(children);
  return i;
}

Inline link(const std::string& url, std::vector<Inline> children) {
  Inline i = span(InlineKind::Link, std::move(children));
  i.url = url;
  return i;
}

Block para(std::vector<Inline> inlines) {
  Block b;
  b.inlines = std::move(inlines);
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

struct Fixture {
  Document doc;
  RenderOptions options;
  Diagnostics diag;
  ResourceLoader resources;

  Chapter& chapter(const std::string& title, const std::string& id = "c1") {
    Chapter ch;
    ch.source = std::make_shared<std::string>("post.md");
    ch.base_dir = ".";
    ch.id = id;
    ch.meta.title = title;
    ch.meta.authors = {"Łukasz Langa"};
    ch.meta.date = "2024-06-07";
    doc.chapters.push_back(std::move(ch));
    if (doc.chapters.size() == 1) doc.meta = doc.chapters[0].meta;
    return doc.chapters.back();
  }

  std::string render() {
    RenderContext ctx{doc, options, diag, resources};
    std::string out;
    pdf::backend().render(ctx, out);
    return out;
  }
};

// A PDF text string as libharu writes it with the UTF-8 encoder: UTF-16BE hex with a BOM.
std::string utf16_hex(const std::string& ascii) {
  std::string out = "<FEFF";
  char buf[8];
  for (unsigned char c : ascii) {
    std::snprintf(buf, sizeof buf, "00%02X", c);
    out += buf;
  }
  return out + ">";
}

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

std::string lorem(int n) {
  std::string s;
  for (int i = 0; i < n; ++i)
    s += "Python is a programming language that lets you work quickly and integrate systems "
         "more effectively. ";
  return s;
}

}  // namespace

TEST_CASE("pdf: the backend describes itself") {
  const Backend& b = pdf::backend();
  CHECK(std::string(b.name()) == "pdf");
  CHECK(b.extensions().front() == ".pdf");
  CHECK(b.binary());
  CHECK(find_backend("pdf") == &b);
}

TEST_CASE("pdf: a post renders to a complete PDF with info, links and outline") {
  Fixture f;
  Chapter& ch = f.chapter("Python 3.12.4 released");
  f.doc.meta.description = "A maintenance release";
  f.doc.meta.tags = {"release", "python"};
  ch.blocks.push_back(heading(1, "Major new features", "major"));
  ch.blocks.push_back(para({text("See "), link("https://docs.python.org/3/é", {text("the docs")}),
                            text(" and "), link("#minor", {text("below")}), text(".")}));
  ch.blocks.push_back(heading(2, "Minor ones", "minor"));
  ch.blocks.push_back(para({text(lorem(3))}));
  std::string pdf = f.render();
  REQUIRE(pdf.size() > 1000);
  CHECK(pdf.compare(0, 5, "%PDF-") == 0);
  CHECK(pdf.find("%%EOF") != std::string::npos);
  // libharu escapes '/' and '%' in strings as \057 and \045.
  CHECK(count(pdf, "/URI (https:\\057\\057docs.python.org\\0573\\057\\045C3\\045A9)") == 1);
  CHECK(count(pdf, "/Subtype /Link") == 2);
  // Chapter title is not an outline entry for a single post; its two headings are.
  CHECK(pdf.find("/Type /Outlines") != std::string::npos);
  CHECK(pdf.find("/Creator " + utf16_hex("relconv")) != std::string::npos);
  CHECK(pdf.find("/CreationDate (D:20240607000000Z") != std::string::npos);
  CHECK(pdf.find("/Keywords " + utf16_hex("release, python")) != std::string::npos);
  // The author is non-ASCII: written as UTF-16BE with a byte-order mark, not mojibake.
  CHECK(pdf.find("/Author <FEFF") != std::string::npos);
  // Size: compressed, with the fonts cut down to what is drawn, a one-page post with three
  // faces stays a few tens of KB (libharu alone writes about 200 KB).
  CHECK(pdf.size() < 60 * 1024);
  CHECK(f.diag.warning_count() == 0);
}

TEST_CASE("pdf: identical input gives identical bytes, however many threads deflate it") {
  auto make = [](int jobs) {
    Fixture f;
    Chapter& ch = f.chapter("Reproducible");
    for (int i = 0; i < 5; ++i) {
      ch.blocks.push_back(heading(2, "Section " + std::to_string(i), "s" + std::to_string(i)));
      ch.blocks.push_back(para({text(lorem(40))}));
    }
    f.options.toc = true;
    f.options.jobs = jobs;
    return f.render();
  };
  std::string a = make(1), b = make(1), c = make(4);
  CHECK(a.size() == b.size());
  CHECK(a == b);
  CHECK(a == c);
  // Every stream is deflated (libharu writes them uncompressed, compress_streams deflates).
  CHECK(count(a, ">>\nstream\r\n") > 5);
  CHECK(count(a, ">>\nstream\r\n") == count(a, "/Filter /FlateDecode\n>>\nstream\r\n"));
}

TEST_CASE("pdf: a character no font has is warned about at its position") {
  Fixture f;
  Chapter& ch = f.chapter("Private use");
  Inline t = text("Party \xF3\xB0\x80\x81 time");  // U+F0001, a private-use character
  t.pos = SourcePos{ch.source.get(), 12, 5};
  ch.blocks.push_back(para({t}));
  f.render();
  REQUIRE(f.diag.warning_count() == 1);
  const Diagnostic& d = f.diag.all()[0];
  CHECK(d.file == "post.md");
  CHECK(d.line == 12);
  CHECK(d.message.find("U+F0001") != std::string::npos);
}

TEST_CASE("pdf: fallback picks sans for symbols the serif lacks, and a font made for each script") {
  pdf::Style style;
  Fixture f;
  pdf::Fonts fonts(style, f.resources, "en");
  auto family = [&](pdf::FontFace want, char32_t cp, hb_script_t script) {
    const pdf::FontFile* file = fonts.pick(want, cp, script);
    return file ? file->postscript_name : std::string("none");
  };
  CHECK(family(pdf::kSerif, U'a', HB_SCRIPT_LATIN) == "DejaVuSerif");
  CHECK(family(pdf::kSerif, U'\u2609', HB_SCRIPT_COMMON) == "DejaVuSans");         // ☉
  CHECK(family(pdf::kSerifBold, U'\u2609', HB_SCRIPT_COMMON) == "DejaVuSans-Bold");
  // DejaVu Sans has Arabic and Hebrew letters, but the style names fonts drawn for them.
  CHECK(family(pdf::kSerif, U'\u0639', HB_SCRIPT_ARABIC) == "NotoNaskhArabic-Regular");
  CHECK(family(pdf::kSansBold, U'\u0639', HB_SCRIPT_ARABIC) == "NotoSansArabic-Bold");
  CHECK(family(pdf::kSerif, U'\u05E9', HB_SCRIPT_HEBREW) == "NotoSerifHebrew-Regular");
  CHECK(family(pdf::kSerif, U'\u0915', HB_SCRIPT_DEVANAGARI).rfind("Noto", 0) == 0);
  CHECK(family(pdf::kSerif, U'\u0E01', HB_SCRIPT_THAI).rfind("Noto", 0) == 0);
  CHECK(family(pdf::kSerif, U'\u4E2D', HB_SCRIPT_HAN).find("CJK") != std::string::npos);     // 中
  CHECK(family(pdf::kSerif, U'\uD55C', HB_SCRIPT_HANGUL).find("CJK") != std::string::npos);  // 한
  CHECK(family(pdf::kSerif, U'\U0001F40D', HB_SCRIPT_COMMON) != "none");                      // 🐍
  CHECK(family(pdf::kSerif, U'\U000F0001', HB_SCRIPT_COMMON) == "none");                      // private use
  // The document's language picks the regional forms of Han characters.
  pdf::Fonts ja(style, f.resources, "ja");
  const pdf::FontFile* jf = ja.pick(pdf::kSerif, U'\u76F4', HB_SCRIPT_HAN);
  REQUIRE(jf != nullptr);
  CHECK(jf->postscript_name.find("CJKjp") != std::string::npos);
}

namespace {
// The paragraph `text` in the serif face, shaped with the document language `lang`.
struct Shaped {
  pdf::Style style;
  ResourceLoader resources;
  Diagnostics diag;
  pdf::Fonts fonts;
  pdf::ParagraphText text;
  pdf::ShapedParagraph shaped;
  UBreakIterator* breaker = nullptr;
  Shaped(const std::string& t, const std::string& lang = "en") : fonts(style, resources, lang) {
    text.append(t, pdf::TextStyle{});
    shaped = pdf::shape_paragraph(text, fonts, diag, lang, &breaker);
  }
  ~Shaped() { pdf::close_breaker(breaker); }
  bool break_before(const std::string& what) const {
    const size_t at = text.text.find(what);
    REQUIRE(at != std::string::npos);
    return shaped.breaks[at] != 0;
  }
  size_t glyphs() const {
    size_t n = 0;
    for (const auto& r : shaped.runs) n += r.info.size();
    return n;
  }
};
}  // namespace

TEST_CASE("pdf: lines break by UAX #14: CJK between ideographs, not before closing punctuation") {
  Shaped cjk("中文测试（括号）结束，下一句。");
  CHECK(cjk.break_before("文"));
  CHECK_FALSE(cjk.break_before("，"));   // no break before a closing comma
  CHECK_FALSE(cjk.break_before("）"));   // nor before a closing bracket
  CHECK_FALSE(cjk.break_before("括"));   // nor after an opening one
  // Thai has no spaces: ICU's dictionary finds its words.
  Shaped thai("สวัสดีชาวโลก");
  CHECK(thai.break_before("ชาว"));
  CHECK_FALSE(thai.break_before("ดี"));
  // Korean keeps its words whole; no break after a hyphen between letters.
  Shaped ko("한국어 텍스트입니다 co-operate");
  CHECK_FALSE(ko.break_before("스트"));
  CHECK(ko.break_before("텍스트"));
  CHECK_FALSE(ko.break_before("operate"));
}

TEST_CASE("pdf: shaping joins Arabic, makes ligatures, and gives right-to-left text odd levels") {
  Shaped ar("سلام عليكم");
  CHECK(ar.shaped.rtl);
  // Joined: the letters are drawn with their initial, medial and final forms, not the
  // isolated ones the font's character map gives.
  size_t joined = 0, letters = 0;
  for (const auto& r : ar.shaped.runs) {
    if (!r.font) continue;
    CHECK((r.level & 1) == 1);
    for (const hb_glyph_info_t& g : r.info) {
      size_t at = g.cluster;
      const char32_t cp = utf8_decode(ar.text.text, at);
      if (cp == ' ') continue;
      hb_codepoint_t nominal = 0;
      hb_font_get_nominal_glyph(r.font->font, cp, &nominal);
      ++letters;
      if (g.codepoint != nominal) ++joined;
    }
  }
  CHECK(letters >= 8);
  CHECK(joined >= 6);
  Shaped fi("office");  // f-f-i in DejaVu Serif: a ligature
  CHECK(fi.glyphs() < 6);
  CHECK_FALSE(fi.shaped.rtl);
  Shaped he("שלום world");
  CHECK(he.shaped.rtl);
  bool ltr_run = false;
  for (const auto& r : he.shaped.runs) ltr_run = ltr_run || (r.level == 2 && r.end > r.begin);
  CHECK(ltr_run);  // the English word inside is a left-to-right run
  CHECK(he.diag.warning_count() == 0);
}

TEST_CASE("pdf: layouts of tests/pdf/layout/*.md match their golden dumps (no libharu involved)") {
  // The typesetter's page description, dumped (dump_layout): glyph ids, positions, fonts
  // and text of every line. UPDATE_GOLDEN=1 rewrites the .layout files (read the diff).
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(RELCONV_SOURCE_DIR) / "tests/pdf/layout";
  size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".md") continue;
    ++cases;
    CAPTURE(entry.path().string());
    Diagnostics diag;
    Document doc = single_document(parse_file(entry.path().string(), diag));
    RenderOptions options;
    ResourceLoader resources;
    RenderContext ctx{doc, options, diag, resources};
    pdf::Style style;
    pdf::Fonts fonts(style, resources, doc.meta.language);
    const std::string dump = pdf::dump_layout(pdf::typeset(ctx, style, fonts), fonts);
    fs::path golden = entry.path();
    golden.replace_extension(".layout");
    if (std::getenv("UPDATE_GOLDEN")) {
      std::ofstream(golden, std::ios::binary) << dump;
      continue;
    }
    std::ifstream in(golden, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "no golden dump: run with UPDATE_GOLDEN=1 and read it");
    const std::string expected((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(dump == expected);
    CHECK(diag.warning_count() == 0);
  }
  CHECK(cases > 0);
}

TEST_CASE("pdf: books start each chapter on a new page and group the outline") {
  Fixture f;
  Chapter& a = f.chapter("First post", "first");
  a.blocks.push_back(heading(2, "A", "a"));
  a.blocks.push_back(para({text("one")}));
  Chapter& b = f.chapter("Second post", "second");
  b.blocks.push_back(heading(2, "B", "b"));
  b.blocks.push_back(para({text("two")}));
  f.doc.meta.title = "Collected posts";
  std::string pdf = f.render();
  CHECK(count(pdf, "/Type /Page\n") + count(pdf, "/Type /Page\r") + count(pdf, "/Type /Page ") >= 2);
  // Two chapter entries with one heading each: four outline items.
  CHECK(count(pdf, "/Parent ") >= 4);
}

TEST_CASE("pdf: footnotes link both ways, and the table of contents links to headings") {
  Fixture f;
  Chapter& ch = f.chapter("Notes");
  Footnote fn;
  fn.number = 1;
  fn.id = "fn-1";
  fn.label = "1";
  fn.blocks.push_back(para({text("The note.")}));
  ch.footnotes.push_back(fn);
  Inline ref;
  ref.kind = InlineKind::FootnoteRef;
  ref.note = 1;
  ref.literal = "1";
  ch.blocks.push_back(heading(2, "Section", "section"));
  ch.blocks.push_back(para({text("A claim"), ref, text(".")}));
  f.options.toc = true;
  std::string pdf = f.render();
  // ref -> note, note -> ref, TOC entry -> heading.
  CHECK(count(pdf, "/Subtype /Link") == 3);
  CHECK(count(pdf, "/URI") == 0);
}

TEST_CASE("pdf: tables, lists, code and quotes lay out without warnings") {
  Fixture f;
  Chapter& ch = f.chapter("Blocks");
  Block list;
  list.kind = BlockKind::List;
  for (TaskState t : {TaskState::None, TaskState::Checked, TaskState::Unchecked}) {
    ListItem item;
    item.task = t;
    item.blocks.push_back(para({text("item")}));
    list.items.push_back(item);
  }
  ch.blocks.push_back(list);
  Block code;
  code.kind = BlockKind::CodeBlock;
  code.literal = "x = 1\n" + std::string(300, 'y') + "\n";
  ch.blocks.push_back(code);
  Block quote;
  quote.kind = BlockKind::BlockQuote;
  quote.children.push_back(para({text(lorem(2))}));
  ch.blocks.push_back(quote);
  Block table;
  table.kind = BlockKind::Table;
  table.table = std::make_shared<TableData>();
  table.table->aligns = {Align::Left, Align::Right};
  for (int r = 0; r < 80; ++r) {
    TableRow row;
    row.header = r == 0;
    for (int c = 0; c < 2; ++c) {
      TableCell cell;
      cell.header = row.header;
      cell.inlines = {text(r == 0 ? "Head" : "cell " + std::to_string(r))};
      row.cells.push_back(cell);
    }
    table.table->rows.push_back(row);
  }
  ch.blocks.push_back(table);
  std::string pdf = f.render();
  CHECK(f.diag.warning_count() == 0);
  CHECK(pdf.size() > 1000);
}

TEST_CASE("pdf: a missing image shows its alt text; an unsupported one warns") {
  Fixture f;
  Chapter& ch = f.chapter("Images");
  Inline img;
  img.kind = InlineKind::Image;
  img.url = "no-such-image.png";
  img.children = {text("a diagram")};
  ch.blocks.push_back(para({img}));
  std::string pdf = f.render();
  CHECK(f.diag.warning_count() >= 1);  // from the resource loader
  CHECK(pdf.size() > 1000);
}

TEST_CASE("pdf: a PNG damaged after its header shows its alt text, as one that cannot be read at all") {
  // PNGs are laid out by their header's size while they decode in the background; one
  // whose data turns out damaged makes the typesetter lay the document out again.
  for (const char* name : {"truncated.png", "corrupt.png", "ok.png"}) {
    for (int jobs : {1, 2}) {
      CAPTURE(name);
      CAPTURE(jobs);
      Fixture f;
      f.options.jobs = jobs;
      Chapter& ch = f.chapter("Images");
      ch.base_dir = std::string(RELCONV_SOURCE_DIR) + "/tests/fuzz/images";
      Inline img;
      img.kind = InlineKind::Image;
      img.url = name;
      img.children = {text("a diagram")};
      ch.blocks.push_back(para({text("Before "), img, text(" after.")}));
      ch.blocks.push_back(para({img}));  // the same image again: one warning for both
      RenderContext ctx{f.doc, f.options, f.diag, f.resources};
      pdf::Style style;
      pdf::Fonts fonts(style, f.resources, "en");
      const pdf::Layout layout = pdf::typeset(ctx, style, fonts);
      const std::string dump = pdf::dump_layout(layout, fonts);
      const bool ok = std::string(name) == "ok.png";
      CHECK(layout.images.size() == (ok ? 1u : 0u));
      CHECK((dump.find("image x=") != std::string::npos) == ok);
      // The alt text, drawn: in a visible text op (the dump's op line, then its glyphs and
      // text lines), not only in the invisible layer over an image.
      bool alt_visible = false;
      std::istringstream lines(dump);
      std::string line, op_line;
      while (std::getline(lines, line)) {
        if (line.find("text x=") != std::string::npos) op_line = line;
        if (line.find("text \"") != std::string::npos && line.find("diagram") != std::string::npos &&
            op_line.find("invisible") == std::string::npos)
          alt_visible = true;
      }
      CHECK(alt_visible == !ok);
      REQUIRE(f.diag.warning_count() == (ok ? 0u : 1u));
      if (!ok) CHECK(f.diag.all()[0].message.find("its alt text is shown instead") != std::string::npos);
    }
  }
}

TEST_CASE("pdf: style files overlay the defaults and report unknown keys with positions") {
  pdf::Style s;
  Diagnostics diag;
  pdf::apply_style_yaml(s,
                        "page:\n  size: Letter\n  margin-left: 50\nbody:\n  size: 11\n  colour: red\n"
                        "code:\n  background: \"#ff0000\"\n",
                        "my.yaml", diag);
  CHECK(s.page_width == doctest::Approx(612));
  CHECK(s.margin_left == doctest::Approx(50));
  CHECK(s.body_size == doctest::Approx(11));
  CHECK(s.code_background.r == doctest::Approx(1.0));
  REQUIRE(diag.warning_count() == 1);
  CHECK(diag.all()[0].file == "my.yaml");
  CHECK(diag.all()[0].line == 6);
  CHECK(diag.all()[0].col == 3);
  CHECK(diag.all()[0].message.find("body.colour") != std::string::npos);

  Diagnostics bad;
  pdf::apply_style_yaml(s, "body:\n  size: huge\n", "b.yaml", bad);
  CHECK(bad.warning_count() == 1);
  CHECK(s.body_size == doctest::Approx(11));
  CHECK_THROWS_AS(pdf::apply_style_yaml(s, "body: [\n", "c.yaml", bad), Error);
}

TEST_CASE("pdf: the default style file says what the built-in values say") {
  ResourceLoader res;
  auto text = res.read_file(std::string(RELCONV_SOURCE_DIR) + "/styles/pdf.yaml");
  REQUIRE(text);
  pdf::Style from_file, builtin;
  Diagnostics diag;
  pdf::apply_style_yaml(from_file, *text, "pdf.yaml", diag);
  CHECK(diag.warning_count() == 0);
  CHECK(from_file.fonts == builtin.fonts);
  CHECK(from_file.script_fonts == builtin.script_fonts);
  CHECK(from_file.body_size == builtin.body_size);
  CHECK(from_file.margin_top == builtin.margin_top);
  CHECK(from_file.heading_sizes == builtin.heading_sizes);
  CHECK(from_file.code_background.g == doctest::Approx(builtin.code_background.g).epsilon(0.003));
  CHECK(from_file.link_color.b == doctest::Approx(builtin.link_color.b).epsilon(0.003));
}

TEST_CASE("pdf: PNGs decode to 8-bit samples with a separate alpha channel") {
  // A 2x2 RGBA image: one transparent pixel.
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = 2;
  image.height = 2;
  image.format = PNG_FORMAT_RGBA;
  const uint8_t px[16] = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 9, 9, 9, 0};
  png_alloc_size_t size = 0;
  REQUIRE(png_image_write_to_memory(&image, nullptr, &size, 0, px, 0, nullptr));
  std::string data(size, '\0');
  REQUIRE(png_image_write_to_memory(&image, data.data(), &size, 0, px, 0, nullptr));
  data.resize(size);
  pdf::DecodedImage d;
  std::string error;
  REQUIRE(pdf::decode_png(data, d, error));
  CHECK(d.width == 2);
  CHECK(!d.gray);
  REQUIRE(d.pixels.size() == 12);
  CHECK(d.pixels[0] == 255);
  CHECK(d.pixels[4] == 255);
  REQUIRE(d.alpha.size() == 4);
  CHECK(d.alpha[3] == 0);
  CHECK(d.alpha[0] == 255);

  // Gray and opaque: one sample per pixel, no alpha.
  png_image gray{};
  gray.version = PNG_IMAGE_VERSION;
  gray.width = 3;
  gray.height = 1;
  gray.format = PNG_FORMAT_GRAY;
  const uint8_t g[3] = {0, 128, 255};
  size = 0;
  REQUIRE(png_image_write_to_memory(&gray, nullptr, &size, 0, g, 0, nullptr));
  std::string gdata(size, '\0');
  REQUIRE(png_image_write_to_memory(&gray, gdata.data(), &size, 0, g, 0, nullptr));
  gdata.resize(size);
  REQUIRE(pdf::decode_png(gdata, d, error));
  CHECK(d.gray);
  CHECK(d.alpha.empty());
  CHECK(d.pixels.size() == 3);

  CHECK_FALSE(pdf::decode_png("\x89PNG\r\n\x1a\n garbage", d, error));
  CHECK(!error.empty());
}

TEST_CASE("pdf: a damaged JPEG is refused before libharu sees it") {
  int w = 0, h = 0;
  std::string error;
  CHECK_FALSE(pdf::check_jpeg(std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11), w, h, error));
  CHECK(!error.empty());
}

TEST_CASE("pdf: URLs are percent-encoded to ASCII") {
  CHECK(pdf::percent_encode("https://a.org/x y") == "https://a.org/x%20y");
  CHECK(pdf::percent_encode("https://de.wikipedia.org/wiki/Ä") ==
        "https://de.wikipedia.org/wiki/%C3%84");
  CHECK(pdf::percent_encode("https://a.org/?q=1&r=2#frag") == "https://a.org/?q=1&r=2#frag");
}

TEST_CASE("pdf: documents rendered on several threads at once come out as alone") {
  // Batch mode renders in parallel: the font coverage cache is shared, libharu is not.
  auto make = [](int n) {
    Fixture f;
    Chapter& ch = f.chapter("Thread " + std::to_string(n));
    ch.blocks.push_back(heading(1, "Ελληνικά ☉ 中文", "h"));
    ch.blocks.push_back(para({text(lorem(6 + n))}));
    return f.render();
  };
  std::vector<std::string> alone, together(4);
  for (int i = 0; i < 4; ++i) alone.push_back(make(i));
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&, i] { together[size_t(i)] = make(i); });
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i) CHECK(alone[size_t(i)] == together[size_t(i)]);
}

TEST_CASE("pdf: a table with a spanning cell and a head over several pages") {
  Fixture f;
  Chapter& ch = f.chapter("Spans");
  Block table;
  table.kind = BlockKind::Table;
  table.table = std::make_shared<TableData>();
  table.table->aligns = {Align::Left, Align::Center, Align::Right};
  TableRow head;
  head.header = true;
  for (const char* h : {"Name", "Kind", "Size"}) {
    TableCell c;
    c.header = true;
    c.inlines = {text(h)};
    head.cells.push_back(c);
  }
  table.table->rows.push_back(head);
  for (int r = 0; r < 120; ++r) {
    TableRow row;
    TableCell a;
    a.inlines = {text("row " + std::to_string(r))};
    row.cells.push_back(a);
    TableCell b;
    b.colspan = r % 7 == 0 ? 2 : 1;
    b.inlines = {text(r % 7 == 0 ? "a cell spanning two columns" : "x")};
    row.cells.push_back(b);
    if (b.colspan == 1) {
      TableCell c;
      c.inlines = {text(std::to_string(r * 3))};
      row.cells.push_back(c);
    }
    table.table->rows.push_back(row);
  }
  ch.blocks.push_back(table);
  std::string pdf = f.render();
  CHECK(f.diag.warning_count() == 0);
  CHECK(count(pdf, "/Type /Page\n") >= 2);
}

namespace {

// A PNG written with libpng's low-level API, which (unlike the simplified one) can write
// Adam7 interlacing, low bit depths and palettes with transparency.
std::string write_png(int width, int height, int color_type, int depth, bool interlaced,
                      const std::vector<png_color>& palette, const std::vector<uint8_t>& trns,
                      const std::vector<std::vector<uint8_t>>& rows) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, png_size_t n) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char*>(data), n);
      },
      nullptr);
  png_set_IHDR(png, info, png_uint_32(width), png_uint_32(height), depth, color_type,
               interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!palette.empty()) png_set_PLTE(png, info, palette.data(), int(palette.size()));
  if (!trns.empty()) png_set_tRNS(png, info, trns.data(), int(trns.size()), nullptr);
  png_write_info(png, info);
  std::vector<png_bytep> pointers;
  for (const auto& r : rows) pointers.push_back(const_cast<png_bytep>(r.data()));
  png_write_image(png, pointers.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace

TEST_CASE("pdf: interlaced, 16-bit and low-bit palette PNGs with tRNS decode") {
  pdf::DecodedImage d;
  std::string error;
  // 2-bit palette of 4 colours, the last transparent: 4x2 pixels, one byte per row.
  std::vector<png_color> pal = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {9, 9, 9}};
  std::string p = write_png(4, 2, PNG_COLOR_TYPE_PALETTE, 2, false, pal, {255, 255, 255, 0},
                            {{0b00011011}, {0b11100100}});
  REQUIRE(pdf::decode_png(p, d, error));
  CHECK(d.width == 4);
  REQUIRE(d.pixels.size() == 4 * 2 * 3);
  CHECK(d.pixels[0] == 255);  // red
  CHECK(d.pixels[4] == 255);  // green (second pixel, G)
  REQUIRE(d.alpha.size() == 8);
  CHECK(d.alpha[3] == 0);
  CHECK(d.alpha[4] == 0);
  CHECK(d.alpha[0] == 255);

  // Adam7-interlaced 16-bit gray, 9x9 (every pass has pixels).
  std::vector<std::vector<uint8_t>> rows(9, std::vector<uint8_t>(18));
  for (int y = 0; y < 9; ++y)
    for (int x = 0; x < 9; ++x) rows[size_t(y)][size_t(2 * x)] = uint8_t(x * 28);
  std::string g = write_png(9, 9, PNG_COLOR_TYPE_GRAY, 16, true, {}, {}, rows);
  REQUIRE(pdf::decode_png(g, d, error));
  CHECK(d.gray);
  CHECK(d.alpha.empty());
  REQUIRE(d.pixels.size() == 81);
  CHECK(d.pixels[8] > 200);  // the last column is bright in every row
  CHECK(d.pixels[80] > 200);
  CHECK(d.pixels[0] < 10);
}

TEST_CASE("pdf: images the PDF cannot show become framed alt text with a warning") {
  const std::string dir = "relconv-pdf-test-images";
  std::filesystem::create_directories(dir);
  auto put = [&](const std::string& name, const std::string& data) {
    std::ofstream(dir + "/" + name, std::ios::binary) << data;
  };
  put("drawing.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>");
  put("broken.jpg", std::string("\xFF\xD8\xFF\xDB\x00\x43\x00", 7) + std::string(60, '\x10'));
  std::vector<png_color> pal = {{0, 0, 0}, {255, 255, 255}};
  put("ok.png", write_png(2, 1, PNG_COLOR_TYPE_PALETTE, 1, true, pal, {0, 255}, {{0b01000000}}));

  Fixture f;
  Chapter& ch = f.chapter("Images");
  ch.base_dir = dir;
  for (const char* name : {"drawing.svg", "broken.jpg", "ok.png"}) {
    Inline img;
    img.kind = InlineKind::Image;
    img.url = name;
    img.children = {text(std::string("alt of ") + name)};
    img.pos = SourcePos{ch.source.get(), 3, 1};
    ch.blocks.push_back(para({img}));
  }
  std::string pdf = f.render();
  std::filesystem::remove_all(dir);
  REQUIRE(f.diag.warning_count() == 2);
  CHECK(f.diag.all()[0].message.find("image/svg+xml") != std::string::npos);
  CHECK(f.diag.all()[1].message.find("broken.jpg") != std::string::npos);
  // The PNG and its soft mask.
  CHECK(count(pdf, "/Subtype /Image") == 2);
  CHECK(count(pdf, "/SMask") == 1);
}

TEST_CASE("pdf: a table row taller than a page continues on the next") {
  Fixture f;
  Chapter& ch = f.chapter("Tall");
  Block table;
  table.kind = BlockKind::Table;
  table.table = std::make_shared<TableData>();
  table.table->aligns = {Align::Left, Align::Left};
  TableRow head;
  head.header = true;
  for (const char* h : {"Key", "Value"}) {
    TableCell c;
    c.header = true;
    c.inlines = {text(h)};
    head.cells.push_back(c);
  }
  table.table->rows.push_back(head);
  TableRow row;
  TableCell key, value;
  key.inlines = {text("long")};
  value.inlines = {text(lorem(160))};
  row.cells = {key, value};
  table.table->rows.push_back(row);
  ch.blocks.push_back(table);
  std::string pdf = f.render();
  CHECK(f.diag.warning_count() == 0);
  // About 160 lines of cell text fill three pages; set as one item, the row would take a
  // page of its own and run off its foot.
  CHECK(count(pdf, "/Type /Page\n") >= 3);
}

TEST_CASE("libharu's byte copy and fill, replaced, do what libharu's do") {
  using Copy = HPDF_BYTE* (*)(HPDF_BYTE*, const HPDF_BYTE*, HPDF_UINT);
  using Fill = void* (*)(void*, HPDF_BYTE, HPDF_UINT);
  auto their_copy = reinterpret_cast<Copy>(dlsym(RTLD_NEXT, "HPDF_MemCpy"));
  auto their_fill = reinterpret_cast<Fill>(dlsym(RTLD_NEXT, "HPDF_MemSet"));
  REQUIRE(reinterpret_cast<void*>(their_copy) != nullptr);
  REQUIRE(reinterpret_cast<void*>(their_fill) != nullptr);
  CHECK(dlsym(RTLD_DEFAULT, "HPDF_MemCpy") != reinterpret_cast<void*>(their_copy));  // ours is in use
  CHECK(dlsym(RTLD_DEFAULT, "HPDF_MemSet") != reinterpret_cast<void*>(their_fill));
  // Apart, and overlapping both ways (libharu copies forwards byte by byte).
  for (HPDF_UINT n : {1u, 2u, 3u, 4u, 5u, 20u})
    for (int shift : {-3, -1, 0, 1, 2, 3, 40}) {
      CAPTURE(n);
      CAPTURE(shift);
      std::vector<HPDF_BYTE> a(96), b(96);
      for (size_t i = 0; i < a.size(); ++i) a[i] = b[i] = HPDF_BYTE(i * 7 + 1);
      HPDF_BYTE* ra = HPDF_MemCpy(a.data() + 10 + shift, a.data() + 10, n);
      HPDF_BYTE* rb = their_copy(b.data() + 10 + shift, b.data() + 10, n);
      CHECK(a == b);
      CHECK(ra - a.data() == rb - b.data());
    }
  std::vector<HPDF_BYTE> a(32, 1), b(32, 1);
  void* ra = HPDF_MemSet(a.data() + 4, 0xAB, 9);
  void* rb = their_fill(b.data() + 4, 0xAB, 9);
  CHECK(a == b);
  CHECK(static_cast<HPDF_BYTE*>(ra) - a.data() == static_cast<HPDF_BYTE*>(rb) - b.data());
}

TEST_CASE("pdf: font coverage read by pages agrees with fontconfig character by character") {
  for (const char* file : {"DejaVuSerif.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"}) {
    const std::string path = std::string("/usr/share/fonts/truetype/dejavu/") + file;
    int count = 0;
    FcPattern* pattern = FcFreeTypeQuery(reinterpret_cast<const FcChar8*>(path.c_str()), 0, nullptr, &count);
    REQUIRE_MESSAGE(pattern != nullptr, path);
    FcCharSet* cs = nullptr;
    REQUIRE(FcPatternGetCharSet(pattern, FC_CHARSET, 0, &cs) == FcResultMatch);
    size_t differ = 0, covered = 0;
    for (FcChar32 cp = 0; cp <= 0xFFFF; ++cp) {
      const bool want = FcCharSetHasChar(cs, cp);
      if (pdf::font_covers(path, cp) != want) ++differ;
      covered += want;
    }
    FcPatternDestroy(pattern);
    CHECK_MESSAGE(differ == 0, path);
    CHECK(covered > 1000);
  }
}
