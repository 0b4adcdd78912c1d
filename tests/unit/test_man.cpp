// Unit tests of the man backend: the escaper, and pages built from documents made by
// hand (no parser), checked line by line. The validators (mandoc, groff) run on real
// inputs in tests/man/.
#include <doctest/doctest.h>

#include <string>

#include "backends/man/escape.h"
#include "backends/man/man.h"

using namespace relconv;

namespace {

Inline text(const std::string& s) {
  Inline in;
  in.kind = InlineKind::Text;
  in.literal = s;
  return in;
}
Inline code(const std::string& s) {
  Inline in;
  in.kind = InlineKind::Code;
  in.literal = s;
  return in;
}
Inline span(InlineKind kind, std::vector<Inline> children) {
  Inline in;
  in.kind = kind;
  in.children = std::move(children);
  return in;
}
Inline link(const std::string& url, std::vector<Inline> children) {
  Inline in = span(InlineKind::Link, std::move(children));
  in.url = url;
  return in;
}
Inline soft() {
  Inline in;
  in.kind = InlineKind::SoftBreak;
  return in;
}
Block para(std::vector<Inline> inlines) {
  Block b;
  b.kind = BlockKind::Paragraph;
  b.inlines = std::move(inlines);
  return b;
}
Block heading(int level, const std::string& s) {
  Block b;
  b.kind = BlockKind::Heading;
  b.level = level;
  b.inlines = {text(s)};
  return b;
}
Block code_block(const std::string& s) {
  Block b;
  b.kind = BlockKind::CodeBlock;
  b.literal = s;
  return b;
}
Block bullets(std::vector<std::vector<Block>> items, bool ordered = false) {
  Block b;
  b.kind = BlockKind::List;
  b.list.ordered = ordered;
  for (auto& blocks : items) {
    ListItem item;
    item.blocks = std::move(blocks);
    b.items.push_back(std::move(item));
  }
  return b;
}

std::string render(Document doc, Diagnostics* diag_out = nullptr) {
  RenderOptions options;
  Diagnostics diag;
  ResourceLoader resources;
  RenderContext ctx{doc, options, diag, resources};
  std::string out;
  man::backend().render(ctx, out);
  if (diag_out) *diag_out = diag;
  return out;
}

Document post(std::vector<Block> blocks, const std::string& title = "Hello world") {
  Document doc;
  doc.meta.title = title;
  doc.meta.date = "2024-06-07";
  Chapter ch;
  ch.source = std::make_shared<const std::string>("post.md");
  ch.meta = doc.meta;
  ch.blocks = std::move(blocks);
  doc.chapters.push_back(std::move(ch));
  return doc;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("man escape: backslash, quotes, hyphens, non-ASCII") {
  using man::escape;
  using man::TextMode;
  CHECK(escape("a\\b", TextMode::Prose) == "a\\(rsb");
  CHECK(escape("say \"hi\"", TextMode::Prose) == "say \\(dqhi\\(dq");
  CHECK(escape("well-known", TextMode::Prose) == "well-known");
  CHECK(escape("use --with-pydebug now", TextMode::Prose) == "use \\-\\-with\\-pydebug now");
  CHECK(escape("-O2", TextMode::Prose) == "\\-O2");
  CHECK(escape("a-b", TextMode::Code) == "a\\-b");
  CHECK(escape("it's", TextMode::Code) == "it\\(aqs");
  CHECK(escape("it's", TextMode::Prose) == "it's");
  CHECK(escape("~/x ^C", TextMode::Prose) == "\\(ti/x \\(haC");
  CHECK(escape("caf\u00e9 \u201cq\u201d \u2014", TextMode::Prose) ==
        "caf\\[u00E9] \\(lqq\\(rq \\(em");
  std::set<char32_t> used;
  CHECK(escape("\u4e2d \U0001F600 \u00e9", TextMode::Prose, &used) ==
        "\\[u4E2D] \\[u1F600] \\[u00E9]");
  CHECK(used == std::set<char32_t>{0x4E2D, 0x1F600});
  CHECK(man::glyph_fallbacks(used) ==
        ".if !c\\[u4E2D] .char \\[u4E2D] <U+4E2D>\n"
        ".if !c\\[u1F600] .char \\[u1F600] <U+1F600>\n");
  CHECK(escape("a\tb\nc", TextMode::Prose) == "a b c");
}

TEST_CASE("man escape: URLs get break points, lines are protected") {
  CHECK(man::escape_url("https://docs.python.org/3/x.html#a-b") ==
        "https://docs.python.org/\\:3/\\:x.html\\:#a\\-b");
  CHECK(man::protect_line(".foo") == "\\&.foo");
  CHECK(man::protect_line("'x") == "\\&'x");
  CHECK(man::protect_line("x.y") == "x.y");
  CHECK(man::quote_arg("a b") == "\"a b\"");
  CHECK(man::quote_arg("") == "\"\"");
  CHECK(man::quote_arg("ab") == "ab");
}

TEST_CASE("man: header, NAME and DESCRIPTION from the metadata") {
  std::string out = render(post({para({text("Hi.")})}, "Python 3.12.4 released"));
  CHECK(out ==
        ".TH PYTHON\\-3.12.4 7 2024-06-07 \"\" \"Miscellaneous Information "
        "Manual\"\n"
        ".ad l\n"
        ".SH NAME\n"
        "python\\-3.12.4 \\- Python 3.12.4 released\n"
        ".SH DESCRIPTION\n"
        "Hi.\n");
  CHECK(man::backend().extension_for(post({})) == ".7");
}

TEST_CASE("man: name and section from the metadata and from `title: name(1)`") {
  Metadata meta;
  meta.title = "Announcing the Packaging Council Election Candidates";
  CHECK(man::page_name(meta) == "announcing-packaging");
  meta.title = "Meet the Team: Tarek Ziad\u00e9";
  CHECK(man::page_name(meta) == "meet-team-tarek");  // 20 characters at most
  meta.title = "Caf\u00e9 na\u00efve";
  CHECK(man::page_name(meta) == "cafe-naive");  // accents dropped
  meta.title = "Python 3.9.0 is now available!";
  CHECK(man::page_name(meta) == "python-3.9.0");
  CHECK(man::page_section(meta) == "7");
  Document doc = post({para({text("x")})}, "relconv(1)");
  CHECK(man::page_name(doc.meta) == "relconv");
  CHECK(man::page_section(doc.meta) == "1");
  CHECK(man::backend().extension_for(doc) == ".1");
  doc.meta.man_name = "tool";
  doc.meta.man_section = "8";
  std::string out = render(doc);
  INFO(out);
  CHECK(contains(out, ".TH TOOL 8 2024-06-07 \"\" \"System Manager's Manual\"\n"));
}

TEST_CASE("man: .TH dates: a month as its name, a date that reads as none as written") {
  Document doc = post({para({text("x")})}, "tool(1)");
  doc.meta.date = "2014-06";
  CHECK(contains(render(doc), ".TH TOOL 1 \"June 2014\" "));
  doc.meta.date.clear();
  doc.meta.date_text = "sometime in 2021";
  CHECK(contains(render(doc), ".TH TOOL 1 \"sometime in 2021\" "));
  doc.meta.date = "2006-06-15T10:00:00Z";
  CHECK(contains(render(doc), ".TH TOOL 1 2006-06-15 "));
}

TEST_CASE("man: authors make an AUTHORS section unless the page has one") {
  Document doc = post({para({text("x")})});
  doc.meta.authors = {"Ada", "Charles"};
  CHECK(contains(render(doc), ".SH AUTHORS\nAda\n.br\nCharles\n"));
  Document own = post({heading(1, "Authors"), para({text("Grace")})});
  own.meta.authors = {"Ada"};
  std::string out = render(own);
  CHECK(contains(out, ".SH AUTHORS\nGrace\n"));
  CHECK(!contains(out, "Ada"));
}

TEST_CASE("man: headings, paragraphs and no .PP right after a heading") {
  std::string out = render(post({para({text("Intro.")}), heading(1, "Features"),
                                 para({text("One.")}), para({text("Two.")}),
                                 heading(2, "Details"), para({text("Three.")}),
                                 heading(3, "Deeper"), para({text("Four.")})}));
  INFO(out);
  CHECK(contains(out, ".SH DESCRIPTION\nIntro.\n.SH FEATURES\nOne.\n.PP\nTwo.\n.SS Details\n"
                      "Three.\n.PP\n\\f[B]Deeper\\f[R]\n.br\nFour.\n"));
}

TEST_CASE("man: headings go on the macro line, with fonts relative to bold") {
  Block h = heading(1, "Using ");
  h.inlines.push_back(code("make -j"));
  h.inlines.push_back(text(" "));
  h.inlines.push_back(span(InlineKind::Emph, {text("now")}));
  std::string out = render(post({h, para({text("x")})}));
  INFO(out);
  // .SH sets bold already: code stays bold, emphasis is bold italic, then bold again.
  CHECK(contains(out, ".SH USING make \\-j \\f[BI]NOW\\f[B]\nx\n"));
  // A long heading stays one line: the next-line form would spill into the body.
  std::string long_title(119, 'w');
  for (size_t i = 5; i < long_title.size(); i += 6) long_title[i] = ' ';
  out = render(post({heading(1, long_title), para({text("x")})}));
  for (char& c : long_title)
    if (c == 'w') c = 'W';
  CHECK(contains(out, ".SH " + long_title + "\nx\n"));
}

TEST_CASE("man: headings shift so the highest level used is .SH") {
  std::string out = render(post({heading(2, "Only level two"), para({text("x")})}));
  INFO(out);
  CHECK(contains(out, ".SH NAME\nhello\\-world \\- Hello world\n.SH ONLY LEVEL TWO\nx\n"));
  CHECK(!contains(out, "DESCRIPTION"));
}

TEST_CASE("man: an empty anchor heading is left out") {
  Block anchor;
  anchor.kind = BlockKind::Heading;
  anchor.level = 1;
  anchor.inlines = {link("https://x.org/#a", {})};
  std::string out = render(post({anchor, heading(1, "Real"), para({text("x")})}));
  INFO(out);
  CHECK(contains(out, ".SH REAL\nx\n"));
  CHECK(!contains(out, ".SH\n.SH"));
  CHECK(!contains(out, ".SH \n"));
}

TEST_CASE("man: nested fonts are restored from a stack") {
  std::string out = render(post({para({text("a "),
                                       span(InlineKind::Emph,
                                            {text("i "), span(InlineKind::Strong, {text("bi")}),
                                             text(" i")}),
                                       text(" r "), code("c-1")})}));
  INFO(out);
  CHECK(contains(out, "a \\f[I]i \\f[BI]bi\\f[I] i\\f[R] r \\f[B]c\\-1\\f[R]\n"));
}

TEST_CASE("man: long lines wrap at 80 bytes, control characters are protected") {
  std::string words;
  for (int i = 0; i < 30; ++i) words += "word ";
  words += ". starts a line? 'quote";
  std::string out = render(post({para({text(words)})}));
  size_t start = out.find(".SH DESCRIPTION\n") + 16;
  std::string body = out.substr(start);
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    std::string line = body.substr(pos, nl - pos);
    CHECK(line.size() <= 80);
    CHECK(!line.empty());
    CHECK(line.back() != ' ');
    CHECK(line[0] != '.');
    CHECK(line[0] != '\'');
    pos = nl + 1;
  }
}

TEST_CASE("man: a wrapped line ending in an abbreviation is not a sentence end") {
  std::string words;
  for (int i = 0; i < 14; ++i) words += "word ";
  std::string out = render(post({para({text(words + "e.g. the next. The end.")})}));
  INFO(out);
  CHECK(contains(out, "e.g.\\&\nthe next. The end.\n"));
  out = render(post({para({text(words + "wordy. The next sentence.")})}));
  CHECK(contains(out, "wordy.\nThe next sentence.\n"));
}

TEST_CASE("man: links use .UR/.UE with the punctuation after them, mail uses .MT") {
  std::string out = render(post({para({text("See "), link("https://x.org/a", {text("the site")}),
                                       text(", or "),
                                       link("mailto:me@x.org", {text("mail me")}),
                                       text(". Bare: "),
                                       link("https://x.org/b", {text("https://x.org/b")})})}));
  INFO(out);
  CHECK(contains(out, "See\n.UR https://x.org/\\:a\nthe site\n.UE ,\nor\n"
                      ".MT me@x.org\nmail me\n.ME .\nBare: https://x.org/\\:b\n"));
  std::string glued = render(post({para({text("("), link("https://x.org", {text("x")}),
                                         text(")")})}));
  INFO(glued);
  CHECK(contains(glued, "(\\c\n.UR https://x.org\nx\n.UE )\n"));
}

TEST_CASE("man: a link inside emphasis keeps the font around its macros") {
  std::string out = render(post({para({span(InlineKind::Emph,
                                            {text("see "), link("https://x.org/a", {text("it")}),
                                             text(". Then")})})}));
  INFO(out);
  CHECK(contains(out, "\\f[I]see\\f[R]\n.UR https://x.org/\\:a\n\\f[I]it\\f[R]\n"
                      ".UE \\f[I].\\f[R]\n\\f[I]Then\\f[R]\n"));
  // A link whose text is its URL (give or take a final slash) is shown once.
  out = render(post({para({link("http://x.org/", {text("http://x.org")})})}));
  CHECK(contains(out, "http://x.org/\n"));
  CHECK(!contains(out, ".UR"));
}

TEST_CASE("man: code blocks are verbatim and escaped") {
  std::string out =
      render(post({para({text("x")}), code_block(".dot\n\tback\\slash -n\n\n'q'\n")}));
  INFO(out);
  CHECK(contains(out, "x\n.PP\n.RS 4\n.EX\n\\&.dot\n        back\\(rsslash \\-n\n\\&\n"
                      "\\(aqq\\(aq\n.EE\n.RE\n"));
}

TEST_CASE("man: nested and numbered lists") {
  Block inner = bullets({{para({text("inner")})}});
  Block outer = bullets({{para({text("one")}), inner}, {para({text("two")})}});
  std::string out = render(post({para({text("x")}), outer}));
  INFO(out);
  CHECK(contains(out, "x\n.IP \\(bu 2\none\n.RS 2\n.PD 0\n.IP \\(bu 2\ninner\n.RE\n"
                      ".IP \\(bu 2\ntwo\n.PD\n"));
  Block numbered = bullets({{para({text("a")})}, {para({text("b")})}}, true);
  numbered.list.start = 9;
  Block loose = numbered;
  loose.list.tight = false;
  out = render(post({loose}));
  CHECK(contains(out, ".IP 9. 4\na\n.IP 10. 4\nb\n"));
  CHECK(!contains(out, ".PD"));
  out = render(post({numbered, para({text("after")})}));
  INFO(out);
  CHECK(contains(out, ".IP 9. 4\na\n.PD 0\n.IP 10. 4\nb\n.PD\n.PP\nafter\n"));
}

TEST_CASE("man: task lists, quotes, definitions") {
  Block tasks = bullets({{para({text("done")})}, {para({text("todo")})}});
  tasks.items[0].task = TaskState::Checked;
  tasks.items[1].task = TaskState::Unchecked;
  Block quote;
  quote.kind = BlockKind::BlockQuote;
  quote.children = {para({text("q1")}), para({text("q2")})};
  Block defs;
  defs.kind = BlockKind::DefinitionList;
  DefinitionItem item;
  item.term = {span(InlineKind::Strong, {text("term")})};
  item.definitions = {{para({text("meaning")})}};
  defs.definitions = {item};
  std::string out = render(post({tasks, quote, defs}));
  INFO(out);
  CHECK(contains(out, ".IP [x] 4\ndone\n.PD 0\n.IP \"[ ]\" 4\ntodo\n.PD\n"));
  INFO(out);
  CHECK(contains(out, ".PP\n.RS 4\nq1\n.PP\nq2\n.RE\n"));
  INFO(out);
  CHECK(contains(out, ".TP\n\\f[B]term\\f[R]\nmeaning\n"));
}

TEST_CASE("man: option paragraphs become .TP") {
  std::string out = render(post({heading(1, "Options"),
                                 para({span(InlineKind::Strong, {text("--output")}), text("=FILE"),
                                       soft(), text("Write to FILE.")}),
                                 para({span(InlineKind::Strong, {text("-q")})}),
                                 para({text("Quiet.")})}));
  INFO(out);
  CHECK(contains(out, ".SH OPTIONS\n.TP\n\\f[B]\\-\\-output\\f[R]=FILE\nWrite to FILE.\n"
                      ".TP\n\\f[B]\\-q\\f[R]\nQuiet.\n"));
}

TEST_CASE("man: a NAME section in the source gets the whatis separator") {
  std::string out = render(post({heading(1, "NAME"), para({text("relconv - convert posts")}),
                                 heading(1, "SYNOPSIS"), para({text("x")})}));
  INFO(out);
  CHECK(contains(out, ".SH NAME\nrelconv \\- convert posts\n.SH SYNOPSIS\nx\n"));
  CHECK(out.find("NAME") == out.rfind("NAME"));
}

TEST_CASE("man: tables go through tbl, with the preprocessor line first") {
  Block t;
  t.kind = BlockKind::Table;
  t.table = std::make_shared<TableData>();
  t.table->aligns = {Align::Left, Align::Right};
  TableRow head;
  head.header = true;
  TableCell h1, h2;
  h1.inlines = {text("Name")};
  h2.inlines = {text("Size")};
  head.cells = {h1, h2};
  TableRow row;
  TableCell c1, c2;
  c1.inlines = {text("a rather long cell that must be wrapped in a text block")};
  c2.inlines = {text("1")};
  row.cells = {c1, c2};
  t.table->rows = {head, row};
  std::string out = render(post({t}));
  CHECK(out.rfind("'\\\" t\n.TH ", 0) == 0);
  INFO(out);
  CHECK(contains(out, ".TS\nl r.\n\\f[B]Name\\f[R]\t\\f[B]Size\\f[R]\n_\nT{\na rather long "
                      "cell that must be wrapped in a text block\nT}\t1\n.TE\n"));
  CHECK(render(post({para({text("x")})})).rfind(".TH", 0) == 0);
}

TEST_CASE("man: footnotes become a NOTES section, images their alt text") {
  Document doc = post({para({text("Claim"), Inline{InlineKind::FootnoteRef, {}, "1", "", "",
                                                   {}, 1},
                             text(" "), span(InlineKind::Image, {text("a chart")})})});
  Footnote fn;
  fn.number = 1;
  fn.blocks = {para({text("Source.")})};
  doc.chapters[0].footnotes.push_back(fn);
  std::string out = render(doc);
  INFO(out);
  CHECK(contains(out, "Claim[1] [image: a chart]\n.SH NOTES\n.IP [1] 4\nSource.\n"));
}

TEST_CASE("man: a book has one .SH per chapter") {
  Document doc = post({heading(1, "First"), para({text("a")}), heading(2, "Sub"),
                       para({text("b")})});
  doc.chapters[0].meta.title.clear();
  Chapter second = doc.chapters[0];
  second.blocks = {heading(1, "Second"), para({text("c")})};
  doc.chapters.push_back(second);
  doc.meta.title = "Book";
  std::string out = render(doc);
  INFO(out);
  CHECK(contains(out, ".SH NAME\nbook \\- Book\n.SH First\na\n.SS Sub\nb\n.SH Second\nc\n"));
}

TEST_CASE("man: a missing date is a warning, SOURCE_DATE_EPOCH fills it") {
  Document doc = post({para({text("x")})});
  doc.meta.date.clear();
  Diagnostics diag;
  std::string out = render(doc, &diag);
  CHECK(diag.warning_count() == 1);
  RenderOptions options;
  options.source_date_epoch = 86400;
  ResourceLoader resources;
  RenderContext ctx{doc, options, diag, resources};
  man::backend().render(ctx, out);
  INFO(out);
  CHECK(contains(out, ".TH HELLO\\-WORLD 7 1970-01-02 "));
}
