#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "doc/dump.h"
#include "parse/parse.h"

using namespace relconv;

namespace {
Chapter parse(const std::string& md, Diagnostics* diag_out = nullptr, ParseOptions opt = {}) {
  Diagnostics diag;
  Chapter ch = parse_markdown(md, "t.md", ".", diag, opt);
  if (diag_out) *diag_out = diag;
  return ch;
}
}  // namespace

TEST_CASE("front matter maps the blog keys onto the model") {
  Chapter ch = parse(
      "---\ntitle: 'It''s out'\npublishDate: '2024-06-07'\nupdatedDate: '2024-06-08'\nauthor: Thomas Wouters\n"
      "description: d\ntags: [a, b]\npublished: false\nlegacyUrl: /x.html\nextra_key: 3\n---\n\nBody\n");
  CHECK(ch.meta.title == "It's out");
  CHECK(ch.meta.date == "2024-06-07");
  CHECK(ch.meta.updated == "2024-06-08");
  REQUIRE(ch.meta.authors.size() == 1);
  CHECK(ch.meta.authors[0] == "Thomas Wouters");
  CHECK(ch.meta.tags == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(ch.meta.published);
  CHECK(ch.meta.source_url == "/x.html");
  REQUIRE(ch.meta.extra.size() == 1);
  CHECK(ch.meta.extra[0].first == "extra_key");
  CHECK(ch.meta.extra[0].second.kind == MetaValue::Kind::Number);
  REQUIRE(ch.blocks.size() == 1);
  CHECK(ch.blocks[0].pos.line == 13);  // positions count the front matter's lines
}

TEST_CASE("positions are 1-based lines and columns counted in characters") {
  Chapter ch = parse("Łódź *bold*\n");
  REQUIRE(ch.blocks.size() == 1);
  const auto& ins = ch.blocks[0].inlines;
  REQUIRE(ins.size() == 2);
  CHECK(ins[1].kind == InlineKind::Emph);
  CHECK(ins[1].pos.line == 1);
  CHECK(ins[1].pos.col == 6);  // bytes would say 9
  CHECK(*ins[1].pos.file == "t.md");
}

TEST_CASE("a heading whose only content is an empty link is dropped") {
  Chapter ch = parse("# [](https://x/#a)\n\n# Real\n\n## [](https://x/#b)Kept text\n");
  REQUIRE(ch.blocks.size() == 2);
  CHECK(plain_text(ch.blocks[0].inlines) == "Real");
  CHECK(plain_text(ch.blocks[1].inlines) == "Kept text");
  CHECK(ch.blocks[1].inlines.size() == 1);
}

TEST_CASE("an empty link in a paragraph shows its URL") {
  Chapter ch = parse("See [](https://example.org).\n");
  const auto& ins = ch.blocks.at(0).inlines;
  REQUIRE(ins.size() == 3);
  CHECK(ins[1].kind == InlineKind::Link);
  CHECK(plain_text(ins[1].children) == "https://example.org");
}

TEST_CASE("text that only looks like a tag stays") {
  Chapter ch = parse("Use <module> and <pid> here.\n");
  CHECK(plain_text(ch.blocks.at(0).inlines) == "Use <module> and <pid> here.");
}

TEST_CASE("lists: task items, start numbers, tightness") {
  Chapter ch = parse("- [x] done\n- [ ] open\n- plain\n\n3. three\n4. four\n");
  REQUIRE(ch.blocks.size() == 2);
  const Block& tasks = ch.blocks[0];
  REQUIRE(tasks.items.size() == 3);
  CHECK(tasks.items[0].task == TaskState::Checked);
  CHECK(tasks.items[1].task == TaskState::Unchecked);
  CHECK(tasks.items[2].task == TaskState::None);
  CHECK(tasks.list.tight);
  CHECK(ch.blocks[1].list.ordered);
  CHECK(ch.blocks[1].list.start == 3);
}

TEST_CASE("tables keep alignment, a header row and one cell per column") {
  Chapter ch = parse("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 |\n");
  REQUIRE(ch.blocks.size() == 1);
  const TableData& t = *ch.blocks[0].table;
  CHECK(t.aligns == std::vector<Align>{Align::Left, Align::Center, Align::Right});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].header);
  CHECK(t.rows[1].cells.size() == 3);
}

TEST_CASE("footnotes are numbered by first reference and keep their text") {
  Chapter ch = parse("A[^z] B[^a] C[^z].\n\n[^a]: Alpha.\n[^z]: Zulu.\n");
  REQUIRE(ch.footnotes.size() == 2);
  CHECK(plain_text(ch.footnotes[0].blocks.at(0).inlines) == "Zulu.");
  CHECK(plain_text(ch.footnotes[1].blocks.at(0).inlines) == "Alpha.");
  const auto& ins = ch.blocks.at(0).inlines;
  CHECK(ins[1].kind == InlineKind::FootnoteRef);
  CHECK(ins[1].note == 1);
  CHECK(ins[3].note == 2);
  CHECK(ins[5].note == 1);
}

TEST_CASE("an image alone in a paragraph is a figure, also inside a link") {
  Chapter ch = parse("![alt text](a.png)\n\n[![](b.png)](https://big/b.png)\n\nText ![i](c.png) inline.\n");
  REQUIRE(ch.blocks.size() == 3);
  CHECK(ch.blocks[0].kind == BlockKind::Figure);
  CHECK(ch.blocks[0].inlines.at(0).url == "a.png");
  CHECK(ch.blocks[1].kind == BlockKind::Figure);
  CHECK(ch.blocks[1].inlines.at(0).url == "b.png");
  CHECK(ch.blocks[2].kind == BlockKind::Paragraph);
}

TEST_CASE("deep nesting is flattened with one warning, keeping the text") {
  std::string md(5000, '>');
  md += " deep text\n";
  Diagnostics diag;
  ParseOptions opt;
  opt.max_nesting = 10;
  Chapter ch = parse(md, &diag, opt);
  CHECK(diag.warning_count() == 1);
  CHECK(dump(single_document(ch)).find("deep text") != std::string::npos);
}

TEST_CASE("malformed front matter is an error at its position") {
  Diagnostics diag;
  try {
    parse_markdown("---\ntitle: x\nbad: [1, 2\n---\n", "f.md", ".", diag);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.diagnostic().file == "f.md");
    CHECK(e.diagnostic().line >= 3);
    CHECK(e.exit_code() == kExitInputError);
  }
}

TEST_CASE("a YAML bomb is refused, not expanded") {
  std::string yaml = "---\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i)
    yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + ", *a" +
            std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
            std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
            std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + "]\n";
  yaml += "---\nBody\n";
  Diagnostics diag;
  CHECK_THROWS_AS(parse_markdown(yaml, "bomb.md", ".", diag), Error);
}

TEST_CASE("a thematic break at the top is not front matter") {
  Chapter ch = parse("---\n\nText\n");
  CHECK(ch.blocks.at(0).kind == BlockKind::ThematicBreak);
}

TEST_CASE("a leading --- block is front matter only when its first line is a key") {
  SUBCASE("a thematic break, then a setext heading (CommonMark)") {
    Diagnostics diag;
    Chapter ch = parse("---\nFoo\n---\nBar\n", &diag);
    REQUIRE(ch.blocks.size() == 3);
    CHECK(ch.blocks[0].kind == BlockKind::ThematicBreak);
    CHECK(ch.blocks[1].kind == BlockKind::Heading);
    CHECK(ch.blocks[1].level == 2);
    CHECK(ch.blocks[2].kind == BlockKind::Paragraph);
    CHECK(ch.blocks[2].pos.line == 4);
    CHECK(ch.meta.title.empty());
    CHECK(diag.warning_count() == 0);
  }
  SUBCASE("two thematic breaks") {
    Chapter ch = parse("---\n---\nText\n");
    REQUIRE(ch.blocks.size() == 3);
    CHECK(ch.blocks[0].kind == BlockKind::ThematicBreak);
    CHECK(ch.blocks[1].kind == BlockKind::ThematicBreak);
  }
  SUBCASE("keys, quoted keys and dotted keys open a mapping") {
    CHECK(parse("---\ntitle: A\n---\nx\n").meta.title == "A");
    CHECK(parse("---\n\"title\": B\n---\nx\n").meta.title == "B");
    CHECK(parse("---\nog.image: i.png\ntitle: C\n---\nx\n").meta.title == "C");
  }
  SUBCASE("a mapping that is malformed further down is still an error at its line") {
    Diagnostics diag;
    try {
      parse_markdown("---\ntitle: x\n- item\n---\nBody\n", "f.md", ".", diag);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.diagnostic().line == 3);
    }
  }
}

TEST_CASE("inputs over the size limit are refused") {
  ParseOptions opt;
  opt.max_input_bytes = 10;
  Diagnostics diag;
  CHECK_THROWS_AS(parse_markdown("01234567890123", "big.md", ".", diag, opt), Error);
}

TEST_CASE("parsers on several threads at once all see strikethrough and autolinks") {
  // cmark-gfm 0.29 keeps the extensions' special characters in process-wide tables that
  // each parser sets and clears (markdown.cpp's run_cmark); without taking turns, a
  // thread now and then parsed `~a~` as text.
  std::atomic<int> missed{0};
  auto work = [&]() {
    for (int i = 0; i < 1000; ++i) {
      Chapter ch = parse("Some ~struck~ words and www.example.com in a line of text.\n");
      const auto& ins = ch.blocks.at(0).inlines;
      bool strike = false, link = false;
      for (const Inline& in : ins) {
        strike = strike || in.kind == InlineKind::Strike;
        link = link || in.kind == InlineKind::Link;
      }
      if (!strike || !link) ++missed;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  CHECK(missed == 0);
}
