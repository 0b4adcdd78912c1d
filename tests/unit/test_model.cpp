#include <doctest/doctest.h>

#include <atomic>
#include <vector>

#include "backend/backend.h"
#include "convert/parallel.h"
#include "doc/model.h"

using namespace relconv;

static Inline text(const std::string& s) {
  Inline in;
  in.kind = InlineKind::Text;
  in.literal = s;
  return in;
}

static Block heading(const std::string& s) {
  Block b;
  b.kind = BlockKind::Heading;
  b.level = 1;
  b.inlines.push_back(text(s));
  return b;
}

TEST_CASE("slugify follows GitHub's rule") {
  CHECK(slugify("Major new features of the 3.12 series, compared to 3.11") ==
        "major-new-features-of-the-312-series-compared-to-311");
  CHECK(slugify("Ünïcode Héading") == "ünïcode-héading");
  CHECK(slugify("!!!") == "section");
  CHECK(slugify("  spaced  out  ") == "spaced-out");
}

TEST_CASE("assign_ids makes heading ids unique across chapters, deterministically") {
  Document doc;
  for (int c = 0; c < 2; ++c) {
    Chapter ch;
    ch.blocks.push_back(heading("Intro"));
    ch.blocks.push_back(heading("Intro"));
    ch.blocks.push_back(heading("3.12"));
    Footnote fn;
    fn.number = 1;
    ch.footnotes.push_back(fn);
    doc.chapters.push_back(std::move(ch));
  }
  assign_ids(doc);
  CHECK(doc.chapters[0].blocks[0].id == "intro");
  CHECK(doc.chapters[0].blocks[1].id == "intro-1");
  CHECK(doc.chapters[0].blocks[2].id == "s-312");  // XML ids may not start with a digit
  CHECK(doc.chapters[1].blocks[0].id == "intro-2");
  CHECK(doc.chapters[0].footnotes[0].id == "c1-fn-1");
  CHECK(doc.chapters[1].footnotes[0].id == "c2-fn-1");
  CHECK(doc.chapters[1].id == "chapter-2");
  Document again = doc;
  assign_ids(again);
  CHECK(again.chapters[1].blocks[1].id == doc.chapters[1].blocks[1].id);
}

TEST_CASE("plain_text shows what a reader sees") {
  Inline link;
  link.kind = InlineKind::Link;
  link.url = "https://x";
  link.children.push_back(text("the  link"));
  Inline soft;
  soft.kind = InlineKind::SoftBreak;
  std::vector<Inline> ins{text(" Read "), link, soft, text("now ")};
  CHECK(plain_text(ins) == "Read the link now");
}

TEST_CASE("a chapter's links to its own headings follow them when the book renames ids") {
  Document doc;
  for (int c = 0; c < 2; ++c) {
    Chapter ch;
    ch.blocks.push_back(heading("Intro"));
    Block p;
    p.kind = BlockKind::Paragraph;
    Inline link;
    link.kind = InlineKind::Link;
    link.url = "#intro";
    link.children.push_back(text("see intro"));
    p.inlines.push_back(link);
    ch.blocks.push_back(p);
    doc.chapters.push_back(std::move(ch));
  }
  assign_ids(doc);
  CHECK(doc.chapters[0].blocks[1].inlines[0].url == "#intro");
  CHECK(doc.chapters[1].blocks[0].id == "intro-1");
  CHECK(doc.chapters[1].blocks[1].inlines[0].url == "#intro-1");
}

TEST_CASE("the stand-ins for module backends say what the backends say") {
  // The relconv program lists and picks EPUB and PDF through these without loading their
  // modules (src/backend/registry.cpp); this program has the backends linked in.
  const auto stand_ins = module_stand_ins();
  REQUIRE(stand_ins.size() == 2);
  for (const Backend* s : stand_ins) {
    const Backend* real = find_backend(s->name());
    REQUIRE(real != nullptr);
    CHECK(real != s);
    CHECK(std::string(real->description()) == s->description());
    CHECK(real->extensions() == s->extensions());
    CHECK(real->aliases() == s->aliases());
    CHECK(real->binary() == s->binary());
  }
}

TEST_CASE("TaskQueue runs every task once, on any number of threads, and wait() sees them done") {
  for (size_t threads : {1, 2, 4}) {
    CAPTURE(threads);
    std::vector<int> slots(500, 0);
    std::atomic<int> calls{0};
    TaskQueue queue(threads);
    for (size_t round = 0; round < 2; ++round) {  // usable again after wait()
      for (size_t i = 0; i < slots.size(); ++i)
        queue.submit([&slots, &calls, i] {
          ++slots[i];
          ++calls;
        });
      queue.wait();
      CHECK(calls == int(slots.size() * (round + 1)));
    }
    for (int v : slots) CHECK(v == 2);
  }
  // Destroyed with tasks not started: they are dropped, the running ones finish.
  std::atomic<int> ran{0};
  {
    TaskQueue queue(2);
    for (int i = 0; i < 1000; ++i) queue.submit([&ran] { ++ran; });
  }
  CHECK(ran <= 1000);
}
