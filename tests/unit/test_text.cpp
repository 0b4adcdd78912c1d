#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "text/line_writer.h"
#include "text/utf8.h"

using namespace relconv;

TEST_CASE("display width counts wide characters twice and combining marks not at all") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("日本") == 4);
  CHECK(display_width("cafe\xcc\x81") == 4);
  CHECK(display_width("Łukasz") == 6);
  CHECK(display_width("\xe2\x80\x8b") == 0);  // zero-width space
}

TEST_CASE("utf8_sanitize replaces invalid sequences and NUL, and reports where") {
  std::string out;
  std::vector<size_t> bad;
  CHECK_FALSE(utf8_sanitize(std::string("a\xff" "b\0c", 5), out, &bad));
  CHECK(out == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
  REQUIRE(bad.size() == 2);
  CHECK(bad[0] == 1);
  CHECK(bad[1] == 3);
  CHECK(utf8_sanitize("ok ✓", out));
  CHECK(out == "ok ✓");
  // A truncated sequence at the end.
  CHECK_FALSE(utf8_sanitize("x\xe2\x82", out));
}

TEST_CASE("utf8_length counts code points") {
  CHECK(utf8_length("Łukasz") == 6);
  CHECK(utf8_length("") == 0);
}

TEST_CASE("display width, length and the clean check eight bytes at a time agree with a byte at a time") {
  // The plain definitions, one character at a time.
  auto width = [](const std::string& s) {
    int w = 0;
    for (size_t i = 0; i < s.size();) w += display_width(utf8_decode(s, i));
    return w;
  };
  auto length = [](const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  // Mostly printable ASCII, with the characters next to its edges (controls, space, ~,
  // DEL), wide and combining ones, at every alignment and length.
  const std::vector<std::string> pieces = {"a", "Z", " ", "~", "\x1f", "\x7f", "\t", "\x01", "é",
                                           "日", "\xcc\x81", "\xe2\x80\x8b", "!", "0",
                                           std::string(1, '\0'), "\xff", "\xe2\x82"};
  uint32_t x = 2024;
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int parts = int((x = x * 1103515245u + 12345u) >> 27);
    for (int k = 0; k < parts; ++k) {
      x = x * 1103515245u + 12345u;
      s += (x >> 24) < 200 ? pieces[(x >> 16) % 4] : pieces[(x >> 16) % pieces.size()];
    }
    CAPTURE(s);
    CHECK(display_width(s) == width(s));
    CHECK(utf8_length(s) == length(s));
    std::string copy;
    CHECK(utf8_is_clean(s) == utf8_sanitize(s, copy));
  }
}

TEST_CASE("LineWriter fills lines greedily and never breaks a word") {
  std::string out;
  LineWriter w(out, 10);
  w.text("aaa bbb ccc dddddddddddddd e");
  w.finish();
  CHECK(out == "aaa bbb\nccc\ndddddddddddddd\ne\n");
}

TEST_CASE("LineWriter glue keeps pieces in one word") {
  std::string out;
  LineWriter w(out, 12);
  w.text("see the");
  w.space();
  w.glue("_");
  w.text("word");
  w.glue("_");
  w.glue("[1]");
  w.finish();
  CHECK(out == "see the\n_word_[1]\n");
}

TEST_CASE("LineWriter prefixes: first line, rest, and blank lines inside a quote") {
  std::string out;
  LineWriter w(out, 20);
  w.push_prefix("> ", "> ");
  w.text("one two three four five six");
  w.end_block();
  w.text("next");
  w.end_block();
  w.pop_prefix();
  w.push_prefix("- ", "  ");
  w.text("item text that wraps");
  w.pop_prefix();
  w.finish();
  CHECK(out == "> one two three four\n> five six\n>\n> next\n\n- item text that\n  wraps\n");
}

TEST_CASE("LineWriter measures by display width") {
  std::string out;
  LineWriter w(out, 7);  // "日本 ab" is 4 + 1 + 2 columns
  w.text("日本 日本 ab");
  w.finish();
  CHECK(out == "日本\n日本 ab\n");
}

TEST_CASE("case folding of ASCII text agrees with utf8proc's") {
  // utf8_casefold() folds pure ASCII itself; text with one non-ASCII character goes to
  // utf8proc. Each ASCII character must come out the same both ways.
  for (int c = 1; c < 0x80; ++c) {
    const std::string ch(1, static_cast<char>(c));
    CAPTURE(c);
    CHECK(utf8_casefold(ch + "\xC3\xA9") == utf8_casefold(ch) + "\xC3\xA9");
  }
  CHECK(utf8_casefold("Hello, World_1") == "hello, world_1");
  CHECK(utf8_casefold("\xC3\x89T\xC3\x89") == "\xC3\xA9t\xC3\xA9");
}
