// The short way through front matter (read_simple_yaml) against yaml-cpp: whatever the
// short way reads, it must read exactly as yaml-cpp does, values and positions alike.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "parse/front_matter.h"

using namespace relconv;
using namespace relconv::detail;

namespace {

std::string describe(const std::vector<YamlEntry>& entries) {
  std::ostringstream out;
  for (const auto& e : entries) {
    out << e.key << "@" << e.key_line << ":" << e.key_col << " = kind " << static_cast<int>(e.value.kind) << " '"
        << e.value.string << "' items " << e.value.list.size() << " @" << e.value_line << ":" << e.value_col
        << (e.quoted ? " quoted" : "") << "\n";
  }
  return out.str();
}

// Reads `yaml` both ways. Returns whether the short way took it; when it did, yaml-cpp
// must have read the same entries.
bool short_way_agrees(const std::string& yaml) {
  std::vector<YamlEntry> fast;
  ParseOptions options;
  if (!read_simple_yaml(yaml, options.max_yaml_nodes, fast)) return false;
  std::vector<YamlEntry> slow;
  try {
    slow = read_yaml_entries(yaml, 2, nullptr, options, "front matter", false);
  } catch (const Error& e) {
    FAIL_CHECK("the short way read YAML that yaml-cpp refuses: " << yaml << "\n" << e.what());
    return true;
  }
  if (fast != slow) FAIL_CHECK("the readers differ on:\n" << yaml << "short way:\n" << describe(fast) << "yaml-cpp:\n" << describe(slow));
  return true;
}

}  // namespace

TEST_CASE("the short way reads flat front matter as yaml-cpp does") {
  const char* taken[] = {
      "title: Python 3.12.0 is out\n",
      "title: 'It''s here'\npublishDate: '2024-06-07'\n",
      "title: \"Quoted: with a colon\"\n",
      "description: a, b, and [c] {d}\n",
      "author: Łukasz Langa\n",
      "published: true\ndraft: False\ncount: 3\nratio: -0.5e3\nversion: 3.10\n",
      "a: ~\nb: null\nc: Null\nd: NULL\ne: nUll\n",
      "tags: []\n",
      "tags:\n  - releases\n  - 'security'\n  - \"docs\"\n  - 3\nnext: x\n",
      "tags:\n- a\n- b\n",
      "tags:\n    -   spaced\n",
      "empty:\nnext: value\n",
      "# a comment\ntitle: x\n\n# another\n\ndate: 2024-01-02\n",
      "title:    lots of space   \n",
      "title: x\ntitle: y\n",
      "title: a 'quote' inside\n",
      "title: it's\n",
      "title: 100%\n",
      "title: C:\\path\n",
      "title: a:b\n",
      "x: .5\ny: +1\nz: 0x1F\nw: 1_000\nv: .inf\nu: -.nan\n",
      "yes_key: yes\nno_key: off\n",
      "k-ey_1: v\n_under: w\n",
      "n: -1\nm: -x\nl: -.5\n",
      "title: ''\nsub: \"\"\n",
      "title: x",
      "",
      "\n\n",
      "# only a comment\n",
      "tags:\n  - a\n\nnext: b\n",
      "tags:\n  - a\n# comment\nnext: b\n",
      "title: emoji 🐍 and ümlaut\n",
  };
  for (std::string yaml : taken) {
    CAPTURE(yaml);
    CHECK(short_way_agrees(yaml));
  }

  // Outside the short way's part of YAML: yaml-cpp reads these.
  const char* left[] = {
      "title: |\n  block\n",
      "title: >\n  folded\n",
      "title: a\n  continued\n",
      "title: 'a\n  b'\n",
      "title: \"esc\\n\"\n",
      "title: x # comment\n",
      "title: 'x' # comment\n",
      "title: &a x\ncopy: *a\n",
      "title: !!str 3\n",
      "title: a: b\n",
      "tags: [a, b]\n",
      "meta: {a: 1}\n",
      "meta:\n  a: 1\n",
      "'quoted key': x\n",
      "title:\n",
      "tags:\n  - a\n  - b: c\n",
      "tags:\n  - a\n   - b\n",
      "tags:\n  -\n",
      "title:\tx\n",
      "title: x\r\n",
      "\xEF\xBB\xBFtitle: x\n",
      "title: bad \xFF byte\n",
      "null: x\n",
      "title: - x\n",
      "title: --x\n",
      " title: x\n",
      "- a\n- b\n",
      "just text\n",
      "%YAML 1.2\n",
      "title: x\n...\n",
  };
  for (std::string yaml : left) {
    CAPTURE(yaml);
    std::vector<YamlEntry> out;
    CHECK_FALSE(read_simple_yaml(yaml, ParseOptions{}.max_yaml_nodes, out));
  }
}

TEST_CASE("the short way leaves a list over the value limit to yaml-cpp") {
  std::string yaml = "tags:\n";
  for (int i = 0; i < 10; ++i) yaml += "  - t" + std::to_string(i) + "\n";
  std::vector<YamlEntry> out;
  CHECK(read_simple_yaml(yaml, 11, out));
  CHECK_FALSE(read_simple_yaml(yaml, 10, out));
}

TEST_CASE("every corpus post's front matter takes the short way, read as yaml-cpp reads it") {
  namespace fs = std::filesystem;
  std::vector<fs::path> posts;
  for (const char* dir : {RELCONV_CORPUS_DIR "/python-insider", RELCONV_SOURCE_DIR "/samples"}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
      if (entry.path().extension() == ".md") posts.push_back(entry.path());
  }
  if (posts.size() < 100) {
    if (std::getenv("CI")) FAIL("the corpus is missing: " RELCONV_CORPUS_DIR);
    MESSAGE("corpus not found; skipped");
    return;
  }
  size_t with_front_matter = 0;
  for (const auto& path : posts) {
    CAPTURE(path.string());
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    FrontMatter fm = split_front_matter(text, nullptr);
    if (!fm.present) continue;
    ++with_front_matter;
    CHECK(short_way_agrees(std::string(fm.yaml)));
  }
  CHECK(with_front_matter >= 100);
}
