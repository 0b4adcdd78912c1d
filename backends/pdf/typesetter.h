// The typesetter's inside, shared by its files: lines.cpp (inline text to shaped, broken
// and set lines), layout.cpp (blocks, figures, chapters), code.cpp (code blocks),
// table.cpp (tables) and toc.cpp (the table of contents).
#pragma once

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "backends/pdf/layout.h"
#include "backends/pdf/shape.h"
#include "convert/parallel.h"

namespace relconv::pdf {

// Widths are sums of measured floats: a line "exactly as wide as" its measure may come out a
// hair wider, and must still fit.
constexpr double kFit = 0.01;
// How much of its width a space may give up in a justified line (TeX's plain format lets
// an interword space of 1/3 em shrink by 1/9 em).
constexpr double kShrink = 0.12;

enum class Family { Serif = 0, Sans = 1, Mono = 2 };
enum class Alignment { Left, Center, Right, Justify };

// How a run of inline text looks, as the inline walker carries it down.
struct SpanStyle {
  Family family = Family::Serif;
  bool bold = false, italic = false;
  double size = 10;
  Rgb color;
  bool color_links = true;
  int link = -1;  // index in the paragraph's link targets
  double rise = 0;
  bool strike = false;
  FontFace face() const {
    return FontFace(int(family) * 4 + (bold ? 1 : 0) + (italic ? 2 : 0));
  }
};

// A stretch of a paragraph between two break opportunities: the line breaker's unit.
struct Word {
  size_t begin = 0, end = 0;  // its text, without the spaces after it
  size_t next = 0;            // where the next word begins (end + its spaces)
  double width = 0;
  double space = 0;           // width of the spaces after it
  bool hard_break = false;    // a forced line break after it
};

struct LinkTarget {
  bool internal = false;
  std::string target;
};

// Where a block is set: its left edge and width, the x of the rules of the block quotes
// around it, and its direction (right-to-left blocks indent from the right).
struct Box {
  double x = 0, w = 0;
  std::vector<double> rules;
  bool rtl = false;
};

// A paragraph made ready for setting: its shaped text and the words of it.
struct SetText {
  ParagraphText text;
  ShapedParagraph shaped;
  std::vector<Word> words;
};

class Typesetter {
 public:
  // PNGs that did not decode, by image key (load_image), with the reason: see typeset().
  using BrokenImages = std::map<std::string, std::string>;
  Typesetter(const RenderContext& ctx, const Style& style, Fonts& fonts, const BrokenImages& broken);
  ~Typesetter();

  Layout run();
  // The PNGs of this run whose header was good but whose data was not.
  const BrokenImages& broken() const { return found_broken_; }

 private:
  // --- inline text (lines.cpp)
  void collect(const std::vector<Inline>& inlines, SpanStyle st, ParagraphText& text);
  void add_text(const std::string& text, const SpanStyle& st, const SourcePos& pos, ParagraphText& out);
  TextStyle text_style(const SpanStyle& st, const SourcePos& pos) const;
  // Shapes `text` and cuts it into words.
  void prepare(SetText& t);
  // Splits words wider than `width` at cluster boundaries, preferring to break after
  // punctuation in URLs and paths so that whole words survive text extraction.
  void split_wide(SetText& t, double width);
  // `shrink`: spaces may narrow a little to fit a line (justified text only).
  std::vector<std::pair<size_t, size_t>> break_lines(const std::vector<Word>& words, double width,
                                                     bool shrink = false);
  // Ops for words [b, e) of `t` set in `width` with the baseline at `baseline`.
  void set_line(const SetText& t, size_t b, size_t e, bool last, double width, Alignment align,
                double x0, double top, double baseline, double height, std::vector<Op>& ops);
  // Every line of `t`, as op lists relative to (0, line top).
  std::vector<std::vector<Op>> set_lines(SetText& t, double width, Alignment align,
                                         double line_height, double size);
  // The direction a paragraph of `inlines` is set in: the block's, else its first strong
  // character's, else the document's.
  Direction direction_of(const std::vector<Inline>& inlines) const;
  bool block_rtl(const Block& b) const;
  // `text` on one line in `face` (markers, labels) with its baseline at (x, y), appended
  // to `ops`; returns its width.
  double label(const std::string& text, FontFace face, double size, const Rgb& color, double x,
               double y, std::vector<Op>& ops, bool invisible = false);

  // --- blocks (layout.cpp)
  void chapter(const Chapter& ch, size_t index);
  void title_block(const Metadata& meta, const std::string& anchor, int outline_level);
  void blocks(const std::vector<Block>& bs, const Box& box);
  void block(const Block& b, const Box& box);
  void paragraph(const std::vector<Inline>& inlines, const Box& box, SpanStyle st, Alignment align,
                 double leading, bool keep_all = false);
  void paragraph_with_images(const std::vector<Inline>& inlines, const Box& box);
  void heading(const Block& b, const Box& box);
  void list(const Block& b, const Box& box, int depth);
  void image(const Inline& img, const std::vector<Inline>& caption, const Box& box, int link = -1);
  void alt_frame(const std::string& alt, const Box& box);
  struct LoadedImage {
    int image = -1;  // index in Layout::images
    int width = 0, height = 0;
  };
  // The image `img` refers to, decoded and checked once per document; image -1 when it
  // cannot be shown (the reason is warned about).
  LoadedImage load_image(const Inline& img);
  // Whether `img` is small enough to sit in a line of text (an emoji or an icon).
  bool inline_sized(const Inline& img);
  // The alt text of the image op ops[image] (its `text`), laid invisibly over it.
  void alt_text(std::vector<Op>& ops, size_t image);
  void thematic_break(const Box& box);
  void footnotes(const Chapter& ch);
  Box indented(const Box& box, double by) const;
  void running_head(const Chapter& ch);

  // --- code blocks (code.cpp), tables (table.cpp), contents (toc.cpp)
  void code_block(const std::string& text, const Box& box);
  // `fit`: the table's type size as a share of the style's (below 1 for a table set
  // smaller to fit its longest words).
  void table(const TableData& t, const Box& box, double fit = 1);
  void toc();

  void emit(Item item, const Box& box, double baseline);
  void space(double pts) { pending_space_ = std::max(pending_space_, pts); }
  SpanStyle body_style() const {
    SpanStyle st;
    st.size = s_.body_size * scale_;
    st.color = text_color_;
    return st;
  }
  int add_link(const std::string& url);

  const RenderContext& ctx_;
  const Style& s_;
  Fonts& fonts_;
  double width_ = 0, height_ = 0;
  std::string lang_;               // the document's language
  Direction doc_direction_ = Direction::Auto;
  UBreakIterator* breaker_ = nullptr;

  Layout out_;
  const Chapter* chapter_ = nullptr;
  int chapter_index_ = 0;
  double pending_space_ = 0;
  bool pending_new_page_ = false;
  std::vector<std::string> pending_anchors_;
  std::vector<Op> pending_marker_;  // list marker: ops with y relative to the baseline
  size_t quote_starts_ = 0;  // rules (innermost) that begin with the next item
  bool tight_ = false;  // inside an item of a tight list: paragraphs add no space
  double scale_ = 1;
  Rgb text_color_;
  Direction block_direction_ = Direction::Auto;  // of the block being set, when it says
  std::vector<LinkTarget> links_;  // of the paragraph being set
  std::set<std::string> anchors_;  // every heading, chapter and footnote id
  double pending_kern_ = 0;  // see add_text

  std::map<std::string, LoadedImage> images_;
  // PNGs are decoded in the background while the text is set (run() waits for them at
  // the end): their layout needs only the size in the header.
  const BrokenImages& broken_;
  BrokenImages found_broken_;
  struct Decoding {
    std::string key;
    size_t image = 0;  // index in out_.images
    std::string data;  // the file, until decoded
    DecodedImage png;
    std::string error;
    bool ok = false;
  };
  std::deque<Decoding> decoding_;  // a deque: its addresses stay while tasks use them
  TaskQueue decoder_;              // after decoding_, which its tasks use
};

bool image_only(const Inline& in);
// Text ops for the text [begin, end) of `t`, in visual order from x0 with the baseline at
// `baseline`; `extra` is added after each cluster whose byte offset is in `stretch`
// (sorted); link rectangles for spans with a link in `links`. Returns the width set.
// Registers each glyph's text with `fonts` (the first text it is drawn for).
double set_glyphs(Fonts& fonts, const SetText& t, size_t begin, size_t end, double x0, double baseline,
                  double extra, const std::vector<size_t>& stretch, const std::vector<LinkTarget>* links,
                  std::vector<Op>& ops);
// The direction the document's metadata gives (`dir`, else its language's), Auto if none.
Direction document_direction(const Metadata& meta);
bool blank(const Inline& in);

}  // namespace relconv::pdf
