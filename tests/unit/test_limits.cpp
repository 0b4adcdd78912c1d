// Resource limits and the image path policy: what hostile inputs meet before any
// backend sees them (tests/hostile/ checks the same through the command line).
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "io/resources.h"
#include "parse/parse.h"

using namespace relconv;
namespace fs = std::filesystem;

namespace {

Chapter parse_with(const std::string& md, Diagnostics& diag, int max_cells) {
  ParseOptions opt;
  opt.max_table_columns = max_cells;
  return parse_markdown(md, "t.md", ".", diag, opt);
}

std::string row(int cells, const char* text) {
  std::string s = "|";
  for (int i = 0; i < cells; ++i) s += std::string(" ") + text + std::to_string(i) + " |";
  return s;
}

}  // namespace

TEST_CASE("a table within the cell limit is a table") {
  Diagnostics diag;
  Chapter ch = parse_with("| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n", diag, 3);
  REQUIRE(ch.blocks.size() == 1);
  CHECK(ch.blocks[0].kind == BlockKind::Table);
  CHECK(diag.all().empty());
}

TEST_CASE("a table wider than the limit is shown as text, every cell kept, with a warning") {
  Diagnostics diag;
  std::string md = "Intro\n\n" + row(5, "h") + "\n|---|---|---|---|---|\n" + row(5, "c") + "\n";
  Chapter ch = parse_with(md, diag, 4);
  REQUIRE(ch.blocks.size() == 2);
  CHECK(ch.blocks[1].kind == BlockKind::Paragraph);
  std::string text = plain_text(ch.blocks[1].inlines);
  CHECK(text.find("| h0 | h1 | h2 | h3 | h4 |") != std::string::npos);
  CHECK(text.find("|---|---|---|---|---|") != std::string::npos);
  CHECK(text.find("| c4 |") != std::string::npos);
  CHECK(text.find('\\') == std::string::npos);  // the escapes are not shown
  REQUIRE(diag.all().size() == 3);
  CHECK(diag.all()[0].line == 3);
  CHECK(diag.all()[0].col == 1);
  CHECK(diag.all()[0].message.find("a table row of 5 cells is more than the limit of 4") != std::string::npos);
}

TEST_CASE("a wide row in a narrow table becomes one cell holding its text") {
  Diagnostics diag;
  Chapter ch = parse_with("| a | b |\n|---|---|\n" + row(6, "w") + "\n", diag, 4);
  REQUIRE(ch.blocks.size() == 1);
  REQUIRE(ch.blocks[0].kind == BlockKind::Table);
  const TableData& t = *ch.blocks[0].table;
  REQUIRE(t.rows.size() == 2);
  CHECK(plain_text(t.rows[1].cells[0].inlines).find("w5") != std::string::npos);
}

TEST_CASE("positions after the escaped pipes still count the characters of the file") {
  Diagnostics diag;
  Chapter ch = parse_with("| a | b | *x* |\n", diag, 2);
  REQUIRE(ch.blocks.size() == 1);
  const auto& ins = ch.blocks[0].inlines;
  const Inline* emph = nullptr;
  for (const auto& in : ins)
    if (in.kind == InlineKind::Emph) emph = &in;
  REQUIRE(emph);
  CHECK(emph->pos.col == 11);
}

TEST_CASE("a code block's wide lines keep their text as written") {
  Diagnostics diag;
  std::string wide = "|a|b|c|d|e|f|\\|g|";
  Chapter ch = parse_with("```\n" + wide + "\n```\n\n    " + wide + "\n", diag, 3);
  REQUIRE(ch.blocks.size() == 2);
  CHECK(ch.blocks[0].literal == wide + "\n");
  CHECK(ch.blocks[1].literal == wide + "\n");
}

TEST_CASE("escaped pipes and pipes in a paragraph line are counted as a table row would") {
  Diagnostics diag;
  Chapter ch = parse_with("a \\| b \\| c \\| d \\| e\n", diag, 2);
  CHECK(diag.all().empty());
  CHECK(plain_text(ch.blocks.at(0).inlines) == "a | b | c | d | e");
}

TEST_CASE("inputs over the size limit are refused before parsing") {
  Diagnostics diag;
  ParseOptions opt;
  opt.max_input_bytes = 1u << 20;
  std::string big((1u << 20) + 1, 'a');
  CHECK_THROWS_WITH_AS(parse_markdown(big, "big.md", ".", diag, opt),
                       "big.md: error: input is 2 MiB, more than the limit of 1 MiB (raise it with --max-input-size)",
                       Error);
  CHECK_THROWS_WITH_AS(parse_file("/dev/zero", diag, opt),
                       "/dev/zero: error: input is more than the limit of 1 MiB (raise it with --max-input-size)", Error);
  CHECK_THROWS_WITH_AS(parse_file("/", diag, opt),
                       "/: error: cannot read input: it is a folder (--out-dir converts the Markdown files in folders)",
                       Error);
}

TEST_CASE("the image path policy: the document's folder, and folders the user allowed") {
  fs::path root = fs::temp_directory_path() / ("relconv-limits-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "doc" / "sub");
  fs::create_directories(root / "other");
  auto write = [](const fs::path& p) { std::ofstream(p) << "\x89PNG\r\n\x1a\n...."; };
  write(root / "doc" / "in.png");
  write(root / "doc" / "sub" / "deeper.png");
  write(root / "other" / "out.png");
  fs::create_symlink(root / "other" / "out.png", root / "doc" / "link-out.png");
  fs::create_symlink("in.png", root / "doc" / "link-in.png");

  Chapter ch;
  ch.base_dir = (root / "doc").string();
  Diagnostics diag;
  ResourceLoader loader;
  auto status = [&](const std::string& url) { return loader.load_image(ch, url, SourcePos{}, diag).status; };
  CHECK(status("in.png") == ResourceStatus::Ok);
  CHECK(status("sub/deeper.png") == ResourceStatus::Ok);
  CHECK(status("sub/../in.png") == ResourceStatus::Ok);
  CHECK(status("link-in.png") == ResourceStatus::Ok);
  CHECK(status("../other/out.png") == ResourceStatus::Refused);
  CHECK(status("%2e%2e/other/out.png") == ResourceStatus::Refused);
  CHECK(status("link-out.png") == ResourceStatus::Refused);
  CHECK(status((root / "other" / "out.png").string()) == ResourceStatus::Refused);
  CHECK(status("/etc/passwd") == ResourceStatus::Refused);
  CHECK(status("../../../../../../../../etc/passwd") == ResourceStatus::Refused);
  CHECK(status("file:///etc/passwd") == ResourceStatus::Remote);
  CHECK(status("https://example.org/x.png") == ResourceStatus::Remote);
  CHECK(status("missing.png") == ResourceStatus::Missing);
  CHECK(status("sub") == ResourceStatus::Unreadable);  // a folder

  ResourceLoader allowed({(root / "other").string()});
  CHECK(allowed.load_image(ch, "../other/out.png", SourcePos{}, diag).status == ResourceStatus::Ok);
  CHECK(allowed.load_image(ch, "link-out.png", SourcePos{}, diag).status == ResourceStatus::Ok);
  CHECK(allowed.load_image(ch, "/etc/passwd", SourcePos{}, diag).status == ResourceStatus::Refused);

  ResourceLoader small({}, 4);
  CHECK(small.load_image(ch, "in.png", SourcePos{}, diag).status == ResourceStatus::TooLarge);
  fs::remove_all(root);
}
