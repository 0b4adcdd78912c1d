#include <doctest/doctest.h>

#include "parse/parse.h"
#include "parse/title.h"

using namespace relconv;

namespace {
Chapter parse_named(const std::string& md, const std::string& name, Diagnostics* out = nullptr) {
  Diagnostics diag;
  Chapter ch = parse_markdown(md, name, ".", diag, ParseOptions{});
  if (out) *out = diag;
  return ch;
}
std::string extra(const Metadata& m, const std::string& key) {
  for (const auto& kv : m.extra)
    if (kv.first == key) return kv.second.string;
  return "";
}
}  // namespace

TEST_CASE("normalize_date reads the common written forms") {
  using detail::normalize_date;
  CHECK(normalize_date("June 15, 2006") == "2006-06-15");
  CHECK(normalize_date("15 June 2006") == "2006-06-15");
  CHECK(normalize_date("27 October 2021") == "2021-10-27");
  CHECK(normalize_date("2006-06-15") == "2006-06-15");
  CHECK(normalize_date("2006/06/15") == "2006-06-15");
  CHECK(normalize_date("2024-06-07T10:00:00Z") == "2024-06-07");
  CHECK(normalize_date("JUNE 2014") == "2014-06");
  CHECK(normalize_date("Sep 2021") == "2021-09");
  CHECK(normalize_date("Sept. 3rd, 2021") == "2021-09-03");
  CHECK(normalize_date("2014-06") == "2014-06");
  CHECK(normalize_date("") == "");
  CHECK(normalize_date("sometime in 2021") == "");
  CHECK(normalize_date("June") == "");
  CHECK(normalize_date("2006-13-01") == "");
  CHECK(normalize_date("June 42, 2006") == "");
  CHECK(normalize_date("Ma 2020") == "");  // two letters name no month
}

TEST_CASE("title lines of each dialect") {
  SUBCASE("go-md2man: % name section") {
    Chapter ch = parse_named("% podman-volume 1\n\ntext\n", "x.md");
    CHECK(ch.meta.man_name == "podman-volume");
    CHECK(ch.meta.man_section == "1");
    REQUIRE(ch.blocks.size() == 1);
  }
  SUBCASE("go-md2man: quoted fields") {
    Chapter ch = parse_named("% \"DOCKER\" \"1\" \"JUNE 2014\" \"Docker Community\" \"Docker User Manuals\"\n", "x.md");
    CHECK(ch.meta.man_name == "docker");
    CHECK(ch.meta.man_section == "1");
    CHECK(ch.meta.date == "2014-06");
    CHECK(extra(ch.meta, "source") == "Docker Community");
    CHECK(extra(ch.meta, "manual") == "Docker User Manuals");
  }
  SUBCASE("go-md2man: unquoted words after the section are a date or the source") {
    Chapter a = parse_named("% X 5 System-wide file\n% Brent Baude\n% Aug 2017\n", "x.md");
    CHECK(a.meta.man_name == "x");
    CHECK(extra(a.meta, "source") == "System-wide file");
    CHECK(a.meta.authors == std::vector<std::string>{"Brent Baude"});
    CHECK(a.meta.date == "2017-08");
  }
  SUBCASE("pandoc: name(section) rest, empty author line, written date") {
    Chapter ch = parse_named("% XMONAD(1) Tiling Window Manager\n%\n% 27 October 2021\n\nbody\n", "x.md");
    CHECK(ch.meta.man_name == "xmonad");
    CHECK(ch.meta.man_section == "1");
    CHECK(extra(ch.meta, "source") == "Tiling Window Manager");
    CHECK(ch.meta.authors.empty());
    CHECK(ch.meta.date == "2021-10-27");
  }
  SUBCASE("pandoc: continuation lines; authors without a title") {
    Chapter ch = parse_named("%\n% One; Two\n  Three\n% not a date\n", "x.md");
    CHECK(ch.meta.title.empty());
    CHECK(ch.meta.authors == std::vector<std::string>{"One", "Two", "Three"});
    CHECK(ch.meta.date.empty());
    CHECK(ch.meta.date_text == "not a date");
  }
  SUBCASE("ronn: underlined header and # header") {
    Chapter a = parse_named("bundle-exec(1) -- Execute a command\n===\n\n## SYNOPSIS\n", "x.md");
    CHECK(a.meta.man_name == "bundle-exec");
    CHECK(a.meta.man_section == "1");
    CHECK(a.meta.description == "Execute a command");
    REQUIRE(a.blocks.size() == 1);
    CHECK(a.blocks[0].level == 2);
    Chapter b = parse_named("# git-x(1) - Do x\n\n## DESCRIPTION\n", "x.md");
    CHECK(b.meta.man_name == "git-x");
    CHECK(b.meta.description == "Do x");
  }
  SUBCASE("an ordinary heading or underline is no header") {
    Chapter a = parse_named("Title\n=====\n\ntext\n", "x.md");
    CHECK(a.meta.man_name.empty());
    CHECK(a.blocks.size() == 2);
    Chapter b = parse_named("# f(x) is a function\n", "x.md");
    CHECK(b.meta.man_name.empty());
  }
  SUBCASE("front matter wins over title lines") {
    Chapter ch = parse_named("---\nname: tool\nsection: 8\n---\n% other 1\n", "x.md");
    CHECK(ch.meta.man_name == "tool");
    CHECK(ch.meta.man_section == "8");
  }
}

TEST_CASE("name and section from the file name") {
  Chapter a = parse_named("text\n", "docs/podman-run.1.md");
  CHECK(a.meta.man_name == "podman-run");
  CHECK(a.meta.man_section == "1");
  Chapter b = parse_named("text\n", "git-lfs.1.ronn");
  CHECK(b.meta.man_name == "git-lfs");
  Chapter c = parse_named("text\n", "post.md");
  CHECK(c.meta.man_name.empty());
  Chapter d = parse_named("text\n", "python-3.12.md");
  CHECK(d.meta.man_section.empty());
  Chapter d2 = parse_named("text\n", "release-3.1.md");
  CHECK(d2.meta.man_section.empty());
  Diagnostics diag;
  Chapter e = parse_named("% x 28\n", "x.5.md", &diag);
  CHECK(e.meta.man_section == "28");
  REQUIRE(diag.all().size() == 1);
  CHECK(diag.all()[0].message.find("file name") != std::string::npos);
}

TEST_CASE("a title line's date that cannot be read is kept as written, with a warning at its line") {
  Diagnostics diag;
  Chapter ch = parse_named("% foo(1)\n% A. Person\n% Q3 of 2021\n\n# NAME\n\nfoo - bar\n", "foo.md", &diag);
  CHECK(ch.meta.date.empty());
  CHECK(ch.meta.date_text == "Q3 of 2021");
  REQUIRE(diag.warning_count() == 1);
  CHECK(diag.all()[0].line == 3);
  CHECK(diag.all()[0].message.find("'Q3 of 2021'") != std::string::npos);

  Diagnostics quoted;
  Chapter md2man = parse_named("% \"FOO\" \"1\" \"the third quarter\" \"Foo\"\n\n# NAME\nfoo - bar\n", "foo.md", &quoted);
  CHECK(md2man.meta.date_text == "the third quarter");
  REQUIRE(quoted.warning_count() == 1);
  CHECK(quoted.all()[0].line == 1);

  Diagnostics good;
  Chapter fine = parse_named("% foo(1)\n%\n% June 15, 2006\n", "foo.md", &good);
  CHECK(fine.meta.date == "2006-06-15");
  CHECK(good.warning_count() == 0);
}
