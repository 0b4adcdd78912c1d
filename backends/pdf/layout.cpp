#include "backends/pdf/layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <set>

#include "backends/pdf/images.h"
#include "text/utf8.h"

namespace relconv::pdf {

std::string percent_encode(const std::string& url) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
        c == '`' || c == '{' || c == '|' || c == '}') {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += char(c);
    }
  }
  return out;
}

namespace {

// Widths are sums of measured floats: a line "exactly as wide as" its measure may come out a
// hair wider, and must still fit.
constexpr double kFit = 0.01;
// How much of its width a space may give up in a justified line (TeX's plain format lets
// an interword space of 1/3 em shrink by 1/9 em).
constexpr double kShrink = 0.12;

enum class Family { Serif = 0, Sans = 1, Mono = 2 };
enum class Alignment { Left, Center, Right, Justify };

// How a run of inline text looks.
struct SpanStyle {
  Family family = Family::Serif;
  bool bold = false, italic = false;
  double size = 10;
  Rgb color;
  bool color_links = true;
  int link = -1;  // index in the paragraph's link targets
  double rise = 0;
  bool strike = false;
  bool code = false;
  FontFace face() const {
    return FontFace(int(family) * 4 + (bold ? 1 : 0) + (italic ? 2 : 0));
  }
};

// A piece of a word drawn with one font, size and colour.
struct Frag {
  FontFace face = kSerif;
  double size = 10;
  Rgb color;
  int link = -1;
  double rise = 0;
  bool strike = false;
  std::string text;
  double width = 0;
  double kern = 0;             // space before it, inside the word (before a superscript)
  HPDF_Image image = nullptr;  // an inline image (text holds its alt text)
  double image_height = 0;
  bool same_look(const Frag& o) const {
    return !image && !o.image && face == o.face && size == o.size && color.r == o.color.r &&
           color.g == o.color.g && color.b == o.color.b && link == o.link && rise == o.rise &&
           strike == o.strike;
  }
};

// A unit the line breaker never splits (unless it is wider than the line).
struct Word {
  std::vector<Frag> frags;
  double width = 0;
  double space = 0;           // width of the space after it (0: glued to the next word)
  FontFace space_face = kSerif;
  double space_size = 0;
  bool hard_break = false;    // a forced line break after it
  std::vector<std::string> anchors;  // destinations that point at this word's line
};

struct LinkTarget {
  bool internal = false;
  std::string target;
};

struct Box {
  double x = 0, w = 0;
  std::vector<double> rules;  // x of block-quote rules
};

bool ignorable(char32_t cp) {
  // Default-ignorable and format characters: invisible, and libharu would draw .notdef.
  return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF || (cp >= 0xE0000 && cp <= 0xE0FFF);
}

std::string format_date(const std::string& iso) {
  static const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                 "July",    "August",   "September", "October", "November", "December"};
  int y, m, d;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 &&
      d <= 31)
    return std::to_string(d) + " " + months[m - 1] + " " + std::to_string(y);
  return iso;
}

class Typesetter {
 public:
  Typesetter(const RenderContext& ctx, const Style& style, Fonts& fonts, HPDF_Doc pdf,
             HaruErrors& errors)
      : ctx_(ctx), s_(style), fonts_(fonts), pdf_(pdf), errors_(errors) {
    width_ = s_.page_width - s_.margin_left - s_.margin_right;
    height_ = s_.page_height - s_.margin_top - s_.margin_bottom;
  }

  Layout run();

 private:
  // --- inline text
  void collect_words(const std::vector<Inline>& inlines, SpanStyle st, std::vector<Word>& words);
  void add_text(const std::string& text, const SpanStyle& st, const SourcePos& pos,
                std::vector<Word>& words, bool& open);
  void measure(std::vector<Word>& words);
  void split_wide(std::vector<Word>& words, double width);
  Box indented(const Box& box, double by) const;
  // `shrink`: spaces may narrow a little to fit a line (justified text only).
  std::vector<std::pair<size_t, size_t>> break_lines(const std::vector<Word>& words, double width,
                                                     bool shrink = false);
  // Ops for words [b, e) set in `width` with the baseline at `baseline`.
  void set_line(const std::vector<Word>& words, size_t b, size_t e, bool last, double width,
                Alignment align, double x0, double top, double baseline, double height,
                std::vector<Op>& ops);
  // Every line of `words`, as op lists relative to (0, line top).
  std::vector<std::vector<Op>> set_lines(std::vector<Word> words, double width, Alignment align,
                                         double line_height, double size);

  // --- blocks
  void chapter(const Chapter& ch, size_t index);
  void title_block(const Metadata& meta, const std::string& anchor, int outline_level);
  void toc();
  void blocks(const std::vector<Block>& bs, const Box& box);
  void block(const Block& b, const Box& box);
  void paragraph(const std::vector<Inline>& inlines, const Box& box, SpanStyle st, Alignment align,
                 double leading, bool keep_all = false);
  void paragraph_with_images(const std::vector<Inline>& inlines, const Box& box);
  void heading(const Block& b, const Box& box);
  void list(const Block& b, const Box& box, int depth);
  void code_block(const std::string& text, const Box& box);
  void table(const TableData& t, const Box& box);
  void image(const Inline& img, const std::vector<Inline>& caption, const Box& box,
             int link = -1);
  void alt_frame(const std::string& alt, const Box& box);
  struct LoadedImage {
    HPDF_Image image = nullptr;
    int width = 0, height = 0;
  };
  // The image `img` refers to, decoded and handed to libharu once per document; a null
  // image when it cannot be shown (the reason is warned about).
  LoadedImage load_image(const Inline& img);
  // Whether `img` is small enough to sit in a line of text (an emoji or an icon).
  bool inline_sized(const Inline& img);
  void thematic_break(const Box& box);
  void footnotes(const Chapter& ch);

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
  HPDF_Doc pdf_;
  HaruErrors& errors_;
  double width_ = 0, height_ = 0;

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
  std::vector<LinkTarget> links_;  // of the paragraph being set
  std::set<std::string> anchors_;  // every heading, chapter and footnote id
  std::set<std::pair<std::string, uint32_t>> warned_chars_;
  double pending_kern_ = 0;  // see add_text

  std::map<std::string, LoadedImage> images_;
};

// ---------------------------------------------------------------------------------------
// Inline text to words
// ---------------------------------------------------------------------------------------

int Typesetter::add_link(const std::string& url) {
  LinkTarget t;
  if (!url.empty() && url[0] == '#') {
    if (!anchors_.count(url.substr(1))) return -1;
    t.internal = true;
    t.target = url.substr(1);
  } else {
    t.target = percent_encode(url);
  }
  links_.push_back(t);
  return int(links_.size() - 1);
}

void Typesetter::add_text(const std::string& text, const SpanStyle& st, const SourcePos& pos,
                          std::vector<Word>& words, bool& open) {
  const FontFace want = st.face();
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = utf8_decode(text, i);
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
      if (!words.empty() && !words.back().hard_break && words.back().space == 0 &&
          !words.back().frags.empty()) {
        words.back().space = -1;  // measured later with this face
        words.back().space_face = want;
        words.back().space_size = st.size;
      }
      open = false;
      continue;
    }
    if (ignorable(cp)) continue;
    FontFace face = fonts_.pick(want, cp);
    if (face == kFaceCount) {
      if (warned_chars_.insert({pos.file ? *pos.file : "", pos.line * 100000u + pos.col}).second) {
        char buf[160];
        std::string ch;
        utf8_append(ch, cp);
        std::snprintf(buf, sizeof buf,
                      cp > 0xFFFF ? "character U+%04X (%s) lies outside the Basic "
                                    "Multilingual Plane, which libharu cannot draw; shown as "
                                    "\uFFFD"
                                  : "no PDF font has character U+%04X (%s); shown as \uFFFD",
                      unsigned(cp), ch.c_str());
        ctx_.diag.warning(pos, buf);
      }
      cp = 0xFFFD;
      face = fonts_.pick(want, cp);
      if (face == kFaceCount) {
        cp = '?';
        face = want;
      }
    }
    if (!open) {
      words.emplace_back();
      open = true;
    }
    Word& w = words.back();
    Frag f;
    f.face = face;
    f.size = st.size;
    f.color = st.link >= 0 && st.color_links ? s_.link_color : st.color;
    f.link = st.link;
    f.rise = st.rise;
    f.strike = st.strike;
    // A superscript set right after text starts a little away from it (TeX's italic
    // correction does the same), which also lets a reader, and pdftotext, see "e" and
    // "iπ" in e^iπ, or "note" and "1" in note¹, as two words.
    if (pending_kern_ > 0 && !w.frags.empty()) {
      f.kern = pending_kern_;
      w.frags.push_back(f);
    } else if (w.frags.empty() || !w.frags.back().same_look(f)) {
      w.frags.push_back(f);
    }
    pending_kern_ = 0;
    utf8_append(w.frags.back().text, cp);
  }
}

void Typesetter::collect_words(const std::vector<Inline>& inlines, SpanStyle st,
                               std::vector<Word>& words) {
  bool open = !words.empty() && words.back().space == 0 && !words.back().hard_break;
  // Words continue across inline boundaries ("foo*bar*" is one word); `open` tracks that.
  struct Walker {
    Typesetter& t;
    std::vector<Word>& words;
    bool& open;
    void walk(const std::vector<Inline>& ins, SpanStyle st) {
      for (const Inline& in : ins) one(in, st);
    }
    void one(const Inline& in, SpanStyle st) {
      switch (in.kind) {
        case InlineKind::Text: t.add_text(in.literal, st, in.pos, words, open); break;
        case InlineKind::Emph: st.italic = !st.italic; walk(in.children, st); break;
        case InlineKind::Strong: st.bold = true; walk(in.children, st); break;
        case InlineKind::Strike: st.strike = true; walk(in.children, st); break;
        case InlineKind::Superscript:
          t.pending_kern_ = st.size * 0.12;
          st.rise += st.size * 0.33;
          st.size *= 0.7;
          walk(in.children, st);
          t.pending_kern_ = 0;
          break;
        case InlineKind::Subscript:
          t.pending_kern_ = st.size * 0.12;
          st.rise -= st.size * 0.15;
          st.size *= 0.7;
          walk(in.children, st);
          t.pending_kern_ = 0;
          break;
        case InlineKind::Small: st.size *= 0.85; walk(in.children, st); break;
        case InlineKind::Kbd:
        case InlineKind::Code: {
          st.family = Family::Mono;
          st.size *= 0.9;
          st.bold = in.kind == InlineKind::Kbd ? true : st.bold;
          if (st.link < 0) st.color = t.s_.inline_code_color;
          if (in.kind == InlineKind::Code) t.add_text(in.literal, st, in.pos, words, open);
          else walk(in.children, st);
          break;
        }
        case InlineKind::Link: {
          int link = t.add_link(in.url);
          // Two links that touch ("[a](x)[b](y)") get a hair space between them, so that
          // a reader (and text extraction) sees where one ends and the next begins.
          if (open && !words.empty() && !words.back().frags.empty() &&
              words.back().frags.back().link >= 0 && link >= 0) {
            words.back().space = -2;
            words.back().space_face = st.face();
            words.back().space_size = st.size;
            open = false;
          }
          if (link >= 0) st.link = link;
          walk(in.children, st);
          break;
        }
        case InlineKind::Image: {
          // An image inside running text sits on the baseline at the height of the text
          // (block images are taken out of paragraphs before this); one that cannot be
          // shown leaves its alt text.
          LoadedImage li = t.chapter_ ? t.load_image(in) : LoadedImage{};
          if (!li.image) {
            SpanStyle alt = st;
            alt.italic = true;
            walk(in.children, alt);
            break;
          }
          Frag f;
          f.image = li.image;
          f.image_height = st.size * 1.15;
          f.width = f.image_height * li.width / std::max(1, li.height);
          f.size = st.size;
          f.link = st.link;
          f.text = plain_text(in.children);
          if (!open) {
            words.emplace_back();
            open = true;
          }
          words.back().frags.push_back(f);
          break;
        }
        case InlineKind::SoftBreak: t.add_text(" ", st, in.pos, words, open); break;
        case InlineKind::HardBreak:
          if (words.empty()) words.emplace_back();
          words.back().hard_break = true;
          words.back().space = 0;
          open = false;
          break;
        case InlineKind::FootnoteRef: {
          const Chapter* ch = t.chapter_;
          if (!ch || in.note < 1 || size_t(in.note) > ch->footnotes.size()) {
            t.add_text("[" + in.literal + "]", st, in.pos, words, open);
            break;
          }
          const Footnote& fn = ch->footnotes[size_t(in.note) - 1];
          SpanStyle sup = st;
          sup.rise += st.size * 0.33;
          sup.size *= 0.7;
          LinkTarget target{true, fn.id};
          t.links_.push_back(target);
          sup.link = int(t.links_.size() - 1);
          t.pending_kern_ = st.size * 0.12;
          t.add_text(std::to_string(in.note), sup, in.pos, words, open);
          if (!words.empty()) words.back().anchors.push_back("ref-" + fn.id);
          break;
        }
      }
    }
  };
  Walker w{*this, words, open};
  w.walk(inlines, st);
}

void Typesetter::measure(std::vector<Word>& words) {
  for (Word& w : words) {
    w.width = 0;
    for (Frag& f : w.frags) {
      if (!f.image) f.width = fonts_.width(f.face, f.size, f.text);
      w.width += f.kern + f.width;
    }
    if (w.space == -2) w.space = w.space_size / 6;
    else if (w.space < 0) w.space = fonts_.width(w.space_face, w.space_size, " ");
  }
  // Trailing space of the last word means nothing.
  if (!words.empty()) words.back().space = 0;
}

// Splits words wider than `width` into pieces that fit, preferring to break after
// punctuation in URLs and paths so that whole words survive text extraction.
void Typesetter::split_wide(std::vector<Word>& words, double width) {
  std::vector<Word> out;
  out.reserve(words.size());
  for (Word& w : words) {
    if (w.width <= width + kFit || w.frags.empty()) {
      out.push_back(std::move(w));
      continue;
    }
    // Flatten to characters with their frag index.
    struct Ch {
      size_t frag;
      std::string bytes;
      double width;  // with the frag's kern for its first character
      char32_t cp;
    };
    std::vector<Ch> chars;
    for (size_t fi = 0; fi < w.frags.size(); ++fi) {
      const Frag& f = w.frags[fi];
      if (f.image) {
        chars.push_back({fi, f.text, f.kern + f.width, U'\uFFFC'});
        continue;
      }
      size_t i = 0;
      while (i < f.text.size()) {
        size_t start = i;
        char32_t cp = utf8_decode(f.text, i);
        std::string bytes = f.text.substr(start, i - start);
        chars.push_back({fi, bytes, fonts_.width(f.face, f.size, bytes) + (start ? 0 : f.kern), cp});
      }
    }
    size_t start = 0;
    while (start < chars.size()) {
      double acc = 0;
      size_t end = start, good = 0;
      while (end < chars.size() && (acc + chars[end].width <= width + kFit || end == start)) {
        acc += chars[end].width;
        char32_t cp = chars[end].cp;
        ++end;
        // Not after '-': pdftotext joins a line that ends in a hyphen to the next.
        if (cp == '/' || cp == '.' || cp == '_' || cp == '?' || cp == '&' || cp == '=' ||
            cp == ',' || cp == ':' || cp == '#' || cp == '(' || cp == ')' || cp == '[' || cp == ']')
          good = end;
      }
      if (end < chars.size() && good > start && good - start > (end - start) / 3) end = good;
      Word piece;
      for (size_t k = start; k < end; ++k) {
        const Frag& src = w.frags[chars[k].frag];
        const bool first_of_frag = k == 0 || chars[k - 1].frag != chars[k].frag;
        if (piece.frags.empty() || k == start || first_of_frag) {
          Frag f = src;
          f.text.clear();
          f.width = 0;
          if (!first_of_frag || k == start) f.kern = 0;
          piece.frags.push_back(f);
        }
        const double kern = first_of_frag && k != start ? src.kern : 0;
        piece.frags.back().text += chars[k].bytes;
        piece.frags.back().width += chars[k].width - (first_of_frag ? src.kern : 0);
        piece.width += chars[k].width - (first_of_frag ? src.kern : 0) + kern;
      }
      if (start == 0) piece.anchors = w.anchors;
      if (end == chars.size()) {
        piece.space = w.space;
        piece.space_face = w.space_face;
        piece.space_size = w.space_size;
        piece.hard_break = w.hard_break;
      }
      out.push_back(std::move(piece));
      start = end;
    }
  }
  words = std::move(out);
}

// Optimal-fit line breaking (minimum total squared slack, the last line of each
// paragraph free), in the spirit of Knuth and Plass but without hyphenation.
std::vector<std::pair<size_t, size_t>> Typesetter::break_lines(const std::vector<Word>& words,
                                                               double width, bool shrink) {
  std::vector<std::pair<size_t, size_t>> lines;
  const double inf = std::numeric_limits<double>::infinity();
  size_t s = 0;
  const size_t n = words.size();
  while (s < n) {
    size_t e = s;
    while (e < n && !words[e].hard_break) ++e;
    if (e < n) ++e;
    const size_t m = e - s;
    std::vector<double> cost(m + 1, inf);
    std::vector<size_t> prev(m + 1, 0);
    cost[0] = 0;
    for (size_t j = 1; j <= m; ++j) {
      double natural = 0, shrinkable = 0;
      for (size_t i = j; i-- > 0;) {
        natural += words[s + i].width + (i + 1 < j ? words[s + i].space : 0);
        if (shrink && i + 1 < j) shrinkable += words[s + i].space * kShrink;
        const double fit = width + shrinkable + kFit;
        if (natural > fit && i + 1 < j) break;
        const double slack = width - natural;
        double c = 40;  // a small price per line: fewer lines win ties
        if (natural > fit) c += 1e7;
        else if (slack < 0) c += 16 * slack * slack;  // shrinking is dearer than stretching
        else if (j < m) c += slack * slack;
        else if (slack > width * 0.85 && m > 1 && i > 0) c += 300;  // a lonely last word
        if (cost[i] + c < cost[j]) {
          cost[j] = cost[i] + c;
          prev[j] = i;
        }
      }
    }
    std::vector<std::pair<size_t, size_t>> seg;
    for (size_t j = m; j > 0; j = prev[j]) seg.push_back({s + prev[j], s + j});
    lines.insert(lines.end(), seg.rbegin(), seg.rend());
    s = e;
  }
  return lines;
}

void Typesetter::set_line(const std::vector<Word>& words, size_t b, size_t e, bool last,
                          double width, Alignment align, double x0, double top, double baseline,
                          double height, std::vector<Op>& ops) {
  double natural = 0;
  int glue = 0;
  for (size_t k = b; k < e; ++k) {
    natural += words[k].width;
    if (k + 1 < e) {
      natural += words[k].space;
      if (words[k].space > 0) ++glue;
    }
  }
  double x = x0, extra = 0;
  const double slack = width - natural;
  if (align == Alignment::Center) x += std::max(0.0, slack / 2);
  else if (align == Alignment::Right) x += std::max(0.0, slack);
  else if (align == Alignment::Justify && glue > 0 && slack < 0) {
    extra = slack / glue;  // the breaker chose to shrink this line's spaces
  } else if (align == Alignment::Justify && !last && glue > 0 && slack > 0) {
    extra = slack / glue;
    // Spaces stretched to more than about twice their width leave rivers
    // of white; such a line (a short list item without a hyphenation point) is better
    // left ragged.
    double size = words[b].frags.empty() ? 10 : words[b].frags.front().size;
    if (extra > size * 0.4) extra = 0;
  }
  int text_op = -1;  // the last text op, to extend across a plain space
  int link = -1;
  double link_x = 0, link_end = 0;
  auto close_link = [&]() {
    if (link < 0) return;
    Op op;
    op.kind = links_[size_t(link)].internal ? Op::GoTo : Op::Uri;
    op.text = links_[size_t(link)].target;
    op.x = link_x;
    op.y = top;
    op.w = link_end - link_x;
    op.h = height;
    ops.push_back(op);
    link = -1;
  };
  for (size_t k = b; k < e; ++k) {
    const Word& w = words[k];
    for (const std::string& a : w.anchors) {
      Op op;
      op.kind = Op::Anchor;
      op.text = a;
      op.y = top;
      ops.push_back(op);
    }
    for (size_t fi = 0; fi < w.frags.size(); ++fi) {
      const Frag& f = w.frags[fi];
      x += f.kern;
      if (f.link != link) {
        close_link();
        if (f.link >= 0) {
          link = f.link;
          link_x = x;
        }
      }
      if (f.image) {
        Op img;
        img.kind = Op::Image;
        img.image = f.image;
        img.x = x;
        img.w = f.width;
        img.h = f.image_height;
        img.y = baseline + f.size * 0.22 - f.image_height;
        img.text = f.text;
        ops.push_back(img);
        text_op = -1;
        x += f.width;
        if (link >= 0) link_end = x;
        continue;
      }
      HPDF_Font font = fonts_.font(f.face);
      bool merged = false;
      if (fi == 0 && k > b && text_op >= 0 && extra == 0) {
        const Word& pw = words[k - 1];
        Op& prev = ops[size_t(text_op)];
        const Frag& pf = pw.frags.back();
        if (pw.space > 0 && pf.same_look(f) && pw.space_face == f.face && pw.space_size == f.size &&
            prev.font == font && !f.strike) {
          prev.text += ' ';
          prev.text += f.text;
          merged = true;
        }
      }
      if (!merged && !f.text.empty()) {
        Op op;
        op.kind = Op::Text;
        op.x = x;
        op.y = baseline - f.rise;
        op.font = font;
        op.size = f.size;
        op.color = f.color;
        op.text = f.text;
        ops.push_back(op);
        text_op = int(ops.size() - 1);
      }
      if (f.strike) {
        Op line;
        line.kind = Op::Line;
        line.x = x;
        line.y = baseline - f.rise - f.size * 0.3;
        line.w = f.width;
        line.size = f.size * 0.06;
        line.color = f.color;
        ops.push_back(line);
        text_op = -1;
      }
      x += f.width;
      if (link >= 0) link_end = x;
    }
    if (k + 1 < e) {
      x += w.space + (w.space > 0 ? extra : 0);
      const Frag* next = words[k + 1].frags.empty() ? nullptr : &words[k + 1].frags.front();
      if (link >= 0 && next && next->link == link) link_end = x;
    }
  }
  close_link();
}

std::vector<std::vector<Op>> Typesetter::set_lines(std::vector<Word> words, double width,
                                                   Alignment align, double line_height,
                                                   double size) {
  measure(words);
  split_wide(words, width);
  std::vector<std::vector<Op>> out;
  const double baseline = (line_height + size * 0.72) / 2;
  for (auto [b, e] : break_lines(words, width, align == Alignment::Justify)) {
    std::vector<Op> ops;
    bool last = e == words.size() || words[e - 1].hard_break;
    set_line(words, b, e, last, width, align, 0, 0, baseline, line_height, ops);
    out.push_back(std::move(ops));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------

void Typesetter::emit(Item item, const Box& box, double baseline) {
  item.space_before = std::max(item.space_before, pending_space_);
  pending_space_ = 0;
  item.chapter = chapter_index_;
  if (pending_new_page_) {
    item.new_page = true;
    pending_new_page_ = false;
  }
  for (const std::string& a : pending_anchors_) {
    Op op;
    op.kind = Op::Anchor;
    op.text = a;
    item.ops.insert(item.ops.begin(), op);
  }
  pending_anchors_.clear();
  for (Op op : pending_marker_) {
    op.y += baseline;
    item.ops.push_back(op);
  }
  pending_marker_.clear();
  for (size_t r = 0; r < box.rules.size(); ++r) {
    const bool starts = r + quote_starts_ >= box.rules.size();
    Op op;
    op.kind = Op::Line;
    op.x = box.rules[r];
    op.y = starts ? 0 : -item.space_before;
    op.w = 0;
    op.h = item.height - op.y;
    op.size = s_.quote_rule_width;
    op.color = s_.quote_rule_color;
    item.ops.insert(item.ops.begin(), op);
  }
  quote_starts_ = 0;
  out_.items.push_back(std::move(item));
}

void Typesetter::paragraph(const std::vector<Inline>& inlines, const Box& box, SpanStyle st,
                           Alignment align, double leading, bool keep_all) {
  links_.clear();
  std::vector<Word> words;
  collect_words(inlines, st, words);
  if (words.empty()) return;
  const double lh = st.size * leading;
  auto lines = set_lines(std::move(words), box.w, align, lh, st.size);
  const size_t n = lines.size();
  const double baseline = (lh + st.size * 0.72) / 2;
  for (size_t i = 0; i < n; ++i) {
    Item item;
    item.height = lh;
    for (Op& op : lines[i]) op.x += box.x;
    item.ops = std::move(lines[i]);
    // Orphans and widows: the first line stays with the second, the last with the one
    // before it.
    item.keep_with_next = keep_all || (n >= 2 && (i == 0 || i + 2 == n));
    emit(std::move(item), box, baseline);
  }
}

bool image_only(const Inline& in) {
  if (in.kind == InlineKind::Image) return true;
  if (in.kind == InlineKind::Link && in.children.size() == 1 &&
      in.children[0].kind == InlineKind::Image)
    return true;
  return false;
}

bool blank(const Inline& in) {
  if (in.kind == InlineKind::SoftBreak || in.kind == InlineKind::HardBreak) return true;
  if (in.kind != InlineKind::Text) return false;
  for (char c : in.literal)
    if (c != ' ' && c != '\t' && c != '\n') return false;
  return true;
}

void Typesetter::paragraph_with_images(const std::vector<Inline>& inlines, const Box& box) {
  // Images stand as blocks of their own; the text around them forms paragraphs.
  std::vector<Inline> run;
  auto flush = [&]() {
    bool any = false;
    for (const Inline& in : run) any = any || !blank(in);
    if (any) {
      space(tight_ ? 0 : s_.paragraph_space * scale_);
      paragraph(run, box, body_style(), s_.justify ? Alignment::Justify : Alignment::Left,
                s_.body_leading);
    }
    run.clear();
  };
  bool only_images = true;
  for (const Inline& in : inlines) only_images = only_images && (image_only(in) || blank(in));
  for (const Inline& in : inlines) {
    const Inline& img = in.kind == InlineKind::Image ? in : in.children.empty() ? in : in.children[0];
    if (image_only(in) && (only_images || !inline_sized(img))) {
      flush();
      space(s_.paragraph_space * scale_);
      if (in.kind == InlineKind::Image) {
        image(in, {}, box);
      } else {
        links_.clear();
        int link = add_link(in.url);
        image(in.children[0], {}, box, link);
      }
    } else if (in.kind == InlineKind::Link &&
               std::any_of(in.children.begin(), in.children.end(), [&](const Inline& c) {
                 return c.kind == InlineKind::Image && !inline_sized(c);
               })) {
      // A link around a picture and a caption ("[![img](a.png) text](url)"): the
      // picture becomes a linked figure, the rest stays linked text.
      for (const Inline& c : in.children) {
        if (c.kind == InlineKind::Image && !inline_sized(c)) {
          flush();
          space(s_.paragraph_space * scale_);
          links_.clear();
          int link = add_link(in.url);
          image(c, {}, box, link);
        } else {
          Inline part = in;
          part.children = {c};
          run.push_back(std::move(part));
        }
      }
    } else {
      run.push_back(in);
    }
  }
  flush();
}

void Typesetter::heading(const Block& b, const Box& box) {
  if (plain_text(b.inlines).find_first_not_of(" \t\n") == std::string::npos) return;
  const int level = std::clamp(b.level, 1, 6);
  SpanStyle st;
  st.family = Family::Sans;
  st.bold = true;
  st.size = s_.heading_sizes[size_t(level - 1)] * scale_;
  st.color = s_.heading_color;
  st.color_links = false;
  space(s_.heading_space_before * (level <= 2 ? 1.2 : 1) * scale_);
  if (!b.id.empty()) {
    pending_anchors_.push_back(b.id);
    out_.outline.push_back({level, plain_text(b.inlines), b.id});
  }
  paragraph(b.inlines, box, st, Alignment::Left, 1.25, true);
  if (!out_.items.empty()) out_.items.back().keep_with_next = true;
  space(s_.heading_space_after * scale_);
}

// `box` moved right by `by`, as far as that leaves a third of the text width: past that,
// deeper lists and quotes stop indenting (their text is drawn, not squeezed to nothing).
Box Typesetter::indented(const Box& box, double by) const {
  Box inner = box;
  double step = std::max(0.0, std::min(by, box.w - width_ / 3));
  inner.x += step;
  inner.w -= step;
  return inner;
}

void Typesetter::list(const Block& b, const Box& box, int depth) {
  static const char* bullets[] = {"\u2022", "\u25E6", "\u25AA"};
  const double indent = s_.list_indent * (b.list.ordered ? 1.2 : 1) * scale_;
  Box inner = indented(box, indent);
  int number = b.list.start;
  for (const ListItem& item : b.items) {
    space(b.list.tight ? s_.list_item_space * scale_ : s_.paragraph_space * scale_);
    Op marker;
    marker.kind = Op::Text;
    marker.size = s_.body_size * scale_;
    marker.color = text_color_;
    std::string text;
    FontFace face = kSerif;
    if (item.task != TaskState::None) {
      text = item.task == TaskState::Checked ? "\u2611" : "\u2610";
      face = fonts_.pick(kSerif, 0x2610);
      if (face == kFaceCount) {
        face = kSerif;
        text = item.task == TaskState::Checked ? "[x]" : "[ ]";
      }
      marker.size *= 1.1;
    } else if (b.list.ordered) {
      text = std::to_string(number) + (b.list.delimiter == ')' ? ")" : ".");
    } else {
      text = bullets[depth % 3];
    }
    marker.font = fonts_.font(face);
    marker.text = text;
    marker.x = inner.x - fonts_.width(face, marker.size, text) - marker.size * 0.45;
    marker.y = 0;
    pending_marker_ = {marker};
    ++number;
    const bool saved_tight = tight_;
    tight_ = b.list.tight;
    for (const Block& child : item.blocks) {
      if (child.kind == BlockKind::List) list(child, inner, depth + 1);
      else block(child, inner);
    }
    tight_ = saved_tight;
    if (!pending_marker_.empty()) {  // an empty item still shows its marker
      Item empty;
      empty.height = s_.body_size * scale_ * s_.body_leading;
      const double baseline = (empty.height + s_.body_size * scale_ * 0.72) / 2;
      emit(std::move(empty), inner, baseline);
    }
  }
  space(tight_ ? s_.list_item_space * scale_ : s_.paragraph_space * scale_);
}

void Typesetter::code_block(const std::string& text, const Box& box) {
  const double size = s_.code_size * scale_;
  const double lh = size * s_.code_leading;
  const double pad = s_.code_padding;
  const FontFace face = kMono;
  const std::string mark = "\u21AA ";
  const double mark_w = fonts_.width(face, size, mark);
  const double avail = box.w - 2 * pad;
  // Expand tabs to stops of 4 and split into lines.
  std::vector<std::string> lines;
  {
    std::string line;
    size_t col = 0, i = 0;
    while (i < text.size()) {
      size_t start = i;
      char32_t cp = utf8_decode(text, i);
      if (cp == '\n') {
        lines.push_back(line);
        line.clear();
        col = 0;
      } else if (cp == '\t') {
        do {
          line += ' ';
          ++col;
        } while (col % 4);
      } else {
        line.append(text, start, i - start);
        ++col;
      }
    }
    if (!line.empty()) lines.push_back(line);
  }
  if (lines.empty()) lines.push_back("");
  // Wrap each line by measured width; continuation lines start with a visible mark.
  struct Row {
    std::vector<Word> words;  // one word per font run
    bool continued = false;
  };
  std::vector<Row> rows;
  SpanStyle st;
  st.family = Family::Mono;
  st.size = size;
  st.color = s_.code_color;
  for (const std::string& line : lines) {
    // Characters with their faces and widths.
    struct Ch {
      std::string bytes;
      FontFace face;
      double width;
      char32_t cp;
    };
    std::vector<Ch> chars;
    size_t i = 0;
    while (i < line.size()) {
      size_t start = i;
      char32_t cp = utf8_decode(line, i);
      if (ignorable(cp)) continue;
      if (cp == ' ') {
        chars.push_back({" ", face, fonts_.width(face, size, " "), cp});
        continue;
      }
      std::vector<Word> probe;
      bool open = false;
      add_text(line.substr(start, i - start), st, SourcePos{}, probe, open);
      if (probe.empty() || probe[0].frags.empty()) continue;
      const Frag& f = probe[0].frags[0];
      chars.push_back({f.text, f.face, fonts_.width(f.face, size, f.text), cp});
    }
    size_t start = 0;
    bool continued = false;
    do {
      const double limit = continued ? avail - mark_w : avail;
      double acc = 0;
      size_t end = start, good = 0;
      while (end < chars.size() && (acc + chars[end].width <= limit || end == start)) {
        acc += chars[end].width;
        ++end;
        char32_t cp = chars[end - 1].cp;
        if (end < chars.size() && (cp == ' ' || cp == '/' || cp == ',' || cp == '(' ||
                                   cp == '.' || cp == '='))
          good = end;
      }
      if (end < chars.size() && good > start && good - start > (end - start) / 2) end = good;
      Row row;
      row.continued = continued;
      Word w;
      for (size_t k = start; k < end; ++k) {
        if (w.frags.empty() || w.frags.back().face != chars[k].face) {
          Frag f;
          f.face = chars[k].face;
          f.size = size;
          f.color = s_.code_color;
          w.frags.push_back(f);
        }
        w.frags.back().text += chars[k].bytes;
        w.frags.back().width += chars[k].width;
        w.width += chars[k].width;
      }
      row.words.push_back(std::move(w));
      rows.push_back(std::move(row));
      start = end;
      continued = true;
    } while (start < chars.size());
  }
  space(s_.paragraph_space * scale_);
  const double baseline_in_line = (lh + size * 0.72) / 2;
  for (size_t r = 0; r < rows.size(); ++r) {
    const bool first = r == 0, last = r + 1 == rows.size();
    Item item;
    const double top = first ? pad : 0;
    item.height = lh + top + (last ? pad : 0);
    Op bg;
    bg.kind = Op::Fill;
    bg.x = box.x;
    bg.y = 0;
    bg.w = box.w;
    bg.h = item.height;
    bg.color = s_.code_background;
    item.ops.push_back(bg);
    double x = box.x + pad;
    const double baseline = top + baseline_in_line;
    if (rows[r].continued) {
      Op m;
      m.kind = Op::Text;
      m.font = fonts_.font(face);
      m.size = size;
      m.color = Rgb{0.55, 0.55, 0.55};
      m.text = mark.substr(0, mark.size() - 1);
      m.x = x;
      m.y = baseline;
      item.ops.push_back(m);
      x += mark_w;
    }
    for (const Frag& f : rows[r].words[0].frags) {
      Op op;
      op.kind = Op::Text;
      op.font = fonts_.font(f.face);
      op.size = size;
      op.color = f.color;
      op.text = f.text;
      op.x = x;
      op.y = baseline;
      item.ops.push_back(op);
      x += f.width;
    }
    // Short blocks stay whole; long ones may break, but not right after the first line
    // or right before the last.
    item.keep_with_next = rows.size() <= 6 || r == 0 || r + 2 == rows.size();
    emit(std::move(item), box, baseline);
  }
  space(s_.paragraph_space * scale_);
}

void Typesetter::table(const TableData& t, const Box& box) {
  const size_t ncols = std::max<size_t>(1, t.columns());
  const double size = s_.table_size * scale_;
  const double lh = size * 1.35;
  const double pad = s_.table_padding;
  // Words of every cell, and each column's narrowest and widest natural width.
  struct Cell {
    std::vector<Word> words;
    std::vector<LinkTarget> links;
    size_t col = 0, span = 1;
    bool header = false;
  };
  std::vector<std::vector<Cell>> rows;
  std::vector<double> min_w(ncols, 2 * pad + size), max_w(ncols, 2 * pad + size);
  for (const TableRow& row : t.rows) {
    std::vector<Cell> cells;
    size_t col = 0;
    for (const TableCell& tc : row.cells) {
      if (col >= ncols) break;
      Cell c;
      c.col = col;
      c.span = std::clamp<size_t>(size_t(std::max(1, tc.colspan)), 1, ncols - col);
      c.header = tc.header || row.header;
      SpanStyle st;
      st.size = size;
      st.color = text_color_;
      st.bold = c.header;
      links_.clear();
      collect_words(tc.inlines, st, c.words);
      measure(c.words);
      c.links = links_;
      if (c.span == 1) {
        double widest = 0, line = 0;
        for (const Word& w : c.words) {
          widest = std::max(widest, w.width);
          line += w.width + w.space;
          if (w.hard_break) {
            max_w[col] = std::max(max_w[col], line + 2 * pad);
            line = 0;
          }
        }
        min_w[col] = std::max(min_w[col], std::min(widest, box.w / 3) + 2 * pad);
        max_w[col] = std::max(max_w[col], line + 2 * pad);
      }
      col += c.span;
      cells.push_back(std::move(c));
    }
    rows.push_back(std::move(cells));
  }
  double sum_min = 0, sum_max = 0;
  for (size_t c = 0; c < ncols; ++c) {
    max_w[c] = std::max(max_w[c], min_w[c]);
    sum_min += min_w[c];
    sum_max += max_w[c];
  }
  std::vector<double> widths(ncols);
  if (sum_max <= box.w) {
    widths = max_w;
  } else if (sum_min <= box.w) {
    // Every column gets its narrowest width, then the room left is shared out fairly:
    // columns that want little more than that (labels, numbers) get all of it, the
    // wordy ones split the rest.
    widths = min_w;
    std::vector<size_t> order(ncols);
    for (size_t c = 0; c < ncols; ++c) order[c] = c;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return max_w[a] - min_w[a] < max_w[b] - min_w[b];
    });
    double room = box.w - sum_min;
    for (size_t k = 0; k < ncols; ++k) {
      const size_t c = order[k];
      const double grant = std::min(max_w[c] - min_w[c], room / double(ncols - k));
      widths[c] += grant;
      room -= grant;
    }
  } else {
    for (size_t c = 0; c < ncols; ++c) widths[c] = min_w[c] * box.w / sum_min;
  }
  double total = 0;
  for (double w : widths) total += w;
  // A table wider than half the measure fills it; a small one keeps its natural width.
  if (total > box.w * 0.5 && total < box.w) {
    for (double& w : widths) w *= box.w / total;
    total = box.w;
  }
  std::vector<double> col_x(ncols + 1, box.x);
  for (size_t c = 0; c < ncols; ++c) col_x[c + 1] = col_x[c] + widths[c];

  space(s_.paragraph_space * scale_ + 2);
  int header_group = -1;
  bool any_header = false;
  for (size_t r = 0; r < rows.size(); ++r) {
    const bool header = r < t.rows.size() && t.rows[r].header;
    Item item;
    double height = lh + 2 * pad;
    std::vector<std::vector<std::vector<Op>>> cell_lines;
    for (Cell& c : rows[r]) {
      const double w = col_x[c.col + c.span] - col_x[c.col] - 2 * pad;
      links_ = c.links;
      Alignment align = Alignment::Left;
      if (c.col < t.aligns.size()) {
        if (t.aligns[c.col] == Align::Center) align = Alignment::Center;
        else if (t.aligns[c.col] == Align::Right) align = Alignment::Right;
      }
      std::vector<Word> words = c.words;
      split_wide(words, w);
      std::vector<std::vector<Op>> lines;
      const double baseline = (lh + size * 0.72) / 2;
      for (auto [b, e] : break_lines(words, w)) {
        std::vector<Op> ops;
        set_line(words, b, e, true, w, align, 0, 0, baseline, lh, ops);
        lines.push_back(std::move(ops));
      }
      height = std::max(height, double(lines.size()) * lh + 2 * pad);
      cell_lines.push_back(std::move(lines));
    }
    const bool last = r + 1 == rows.size();
    if (!header && height > height_ / 3) {
      // A row taller than a third of a page is set line by line, so that it can go on
      // over a page break (with the head repeated) instead of running off the page.
      size_t nlines = 1;
      for (const auto& lines : cell_lines) nlines = std::max(nlines, lines.size());
      for (size_t li = 0; li < nlines; ++li) {
        Item slice;
        const double top = li == 0 ? pad : 0;
        slice.height = lh + top + (li + 1 == nlines ? pad : 0);
        for (size_t k = 0; k < rows[r].size(); ++k) {
          if (li >= cell_lines[k].size()) continue;
          for (Op op : cell_lines[k][li]) {
            op.x += col_x[rows[r][k].col] + pad;
            op.y += top;
            slice.ops.push_back(op);
          }
        }
        auto rule = [&](double y, double weight) {
          Op line;
          line.kind = Op::Line;
          line.x = box.x;
          line.y = y;
          line.w = total;
          line.size = weight;
          line.color = s_.table_rule_color;
          slice.ops.push_back(line);
        };
        if (r == 0 && li == 0) rule(0, 0.9);
        if (li + 1 == nlines) rule(slice.height, last ? 0.9 : 0.25);
        slice.keep_with_next = li == 0 || li + 2 == nlines;
        if (any_header) slice.header = header_group;
        emit(std::move(slice), box, top + (lh + size * 0.72) / 2);
      }
      continue;
    }
    if (header) {
      Op bg;
      bg.kind = Op::Fill;
      bg.x = box.x;
      bg.w = total;
      bg.h = height;
      bg.color = s_.table_header_background;
      item.ops.push_back(bg);
    }
    for (size_t k = 0; k < rows[r].size(); ++k) {
      const Cell& c = rows[r][k];
      for (size_t li = 0; li < cell_lines[k].size(); ++li)
        for (Op op : cell_lines[k][li]) {
          op.x += col_x[c.col] + pad;
          op.y += pad + double(li) * lh;
          item.ops.push_back(op);
        }
    }
    // Rules in the booktabs manner: heavier above and below the table and under the
    // head, hairlines between body rows, none between columns.
    auto rule = [&](double y, double weight) {
      Op line;
      line.kind = Op::Line;
      line.x = box.x;
      line.y = y;
      line.w = total;
      line.size = weight;
      line.color = s_.table_rule_color;
      item.ops.push_back(line);
    };
    const bool next_is_body = !last && !(r + 1 < t.rows.size() && t.rows[r + 1].header);
    if (r == 0) rule(0, 0.9);
    if (header && next_is_body) rule(height, 0.6);
    else if (last) rule(height, 0.9);
    else rule(height, 0.25);
    item.height = height;
    if (header) {
      any_header = true;
      item.keep_with_next = true;
      Item copy = item;
      copy.space_before = 0;
      if (header_group < 0) {
        out_.headers.emplace_back();
        header_group = int(out_.headers.size() - 1);
        if (r != 0) {  // the repeated head needs its own top rule
          Op line;
          line.kind = Op::Line;
          line.x = box.x;
          line.w = total;
          line.size = 0.9;
          line.color = s_.table_rule_color;
          copy.ops.push_back(line);
        }
      }
      out_.headers[size_t(header_group)].push_back(copy);
    } else if (any_header) {
      item.header = header_group;
    }
    emit(std::move(item), box, pad + (lh + size * 0.72) / 2);
  }
  space(s_.paragraph_space * scale_ + 2);
}

void Typesetter::alt_frame(const std::string& alt, const Box& box) {
  const double size = s_.body_size * scale_ * 0.9;
  const double lh = size * 1.35;
  const double pad = 6;
  SpanStyle st;
  st.size = size;
  st.italic = true;
  st.color = s_.meta_color;
  Inline text;
  text.literal = alt;
  links_.clear();
  std::vector<Word> words;
  collect_words({text}, st, words);
  auto lines = set_lines(std::move(words), box.w - 2 * pad, Alignment::Center, lh, size);
  Item item;
  item.height = double(lines.size()) * lh + 2 * pad;
  Op frame;
  frame.kind = Op::Stroke;
  frame.x = box.x;
  frame.w = box.w;
  frame.h = item.height;
  frame.size = 0.6;
  frame.color = s_.rule_color;
  item.ops.push_back(frame);
  for (size_t i = 0; i < lines.size(); ++i)
    for (Op op : lines[i]) {
      op.x += box.x + pad;
      op.y += pad + double(i) * lh;
      item.ops.push_back(op);
    }
  emit(std::move(item), box, pad + (lh + size * 0.72) / 2);
}

Typesetter::LoadedImage Typesetter::load_image(const Inline& img) {
  LoadedImage loaded;
  // Keyed by folder too: the chapters of a book each have their own image-1.png.
  const std::string key = chapter_->base_dir + '\n' + img.url;
  auto cached = images_.find(key);
  if (cached != images_.end()) {
    loaded = cached->second;
  } else {
    ResourceResult res = ctx_.resources.load_image(*chapter_, img.url, img.pos, ctx_.diag);
    if (res.status == ResourceStatus::Ok) {
      const Resource& r = res.resource;
      std::string error;
      if (r.media_type == "image/png") {
        DecodedImage d;
        if (decode_png(r.data, d, error)) {
          loaded.width = d.width;
          loaded.height = d.height;
          loaded.image = HPDF_LoadRawImageFromMem(
              pdf_, d.pixels.data(), HPDF_UINT(d.width), HPDF_UINT(d.height),
              d.gray ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
          if (loaded.image && !d.alpha.empty()) {
            HPDF_Image mask = HPDF_LoadRawImageFromMem(pdf_, d.alpha.data(), HPDF_UINT(d.width),
                                                       HPDF_UINT(d.height), HPDF_CS_DEVICE_GRAY, 8);
            if (mask) HPDF_Image_AddSMask(loaded.image, mask);
          }
        }
      } else if (r.media_type == "image/jpeg") {
        if (check_jpeg(r.data, loaded.width, loaded.height, error))
          loaded.image = HPDF_LoadJpegImageFromMem(
              pdf_, reinterpret_cast<const HPDF_BYTE*>(r.data.data()), HPDF_UINT(r.data.size()));
      } else {
        error = "PDF output cannot show " +
                (r.media_type.empty() ? std::string("this image format") : r.media_type) +
                " images";
      }
      if (!loaded.image) {
        if (errors_.code) {
          char buf[48];
          std::snprintf(buf, sizeof buf, "libharu error 0x%04X", unsigned(errors_.code));
          if (error.empty()) error = buf;
          HPDF_ResetError(pdf_);
          errors_ = HaruErrors{};
        }
        ctx_.diag.warning(img.pos, "image '" + img.url + "' cannot be embedded (" + error +
                                       "); its alt text is shown instead");
      }
    }
    images_[key] = loaded;
  }
  return loaded;
}

bool Typesetter::inline_sized(const Inline& img) {
  // Emoji and icons in the corpus are 72 px images written inline; anything up to about
  // twice that is set in the line rather than as a figure of its own.
  if (img.height > 0) return img.height <= 48;
  LoadedImage li = load_image(img);
  return !li.image || (li.height <= 150 && li.width <= 150);
}

void Typesetter::image(const Inline& img, const std::vector<Inline>& caption, const Box& box,
                       int link) {
  std::string alt = plain_text(img.children);
  LinkTarget link_target;
  if (link >= 0) link_target = links_[size_t(link)];
  LoadedImage loaded = load_image(img);
  if (!loaded.image) {
    alt_frame(alt.empty() ? "[image: " + img.url + "]" : alt, box);
  } else {
    // CSS pixels are 0.75 pt; the source's width/height attributes win over the file's.
    double w = (img.width > 0 ? img.width : loaded.width) * 0.75;
    double h = img.width > 0 && img.height <= 0 ? w * loaded.height / std::max(1, loaded.width)
               : (img.height > 0 ? img.height : loaded.height) * 0.75;
    const double max_h = height_ * 0.7;
    if (w > box.w) {
      h *= box.w / w;
      w = box.w;
    }
    if (h > max_h) {
      w *= max_h / h;
      h = max_h;
    }
    Item item;
    item.height = h;
    Op op;
    op.kind = Op::Image;
    op.image = loaded.image;
    op.text = alt;
    op.x = box.x + (box.w - w) / 2;
    op.w = w;
    op.h = h;
    item.ops.push_back(op);
    if (link >= 0) {
      Op l;
      l.kind = link_target.internal ? Op::GoTo : Op::Uri;
      l.text = link_target.target;
      l.x = op.x;
      l.w = w;
      l.h = h;
      item.ops.push_back(l);
    }
    if (!caption.empty()) item.keep_with_next = true;
    emit(std::move(item), box, h);
  }
  if (!caption.empty()) {
    space(4);
    SpanStyle st = body_style();
    st.size *= 0.9;
    st.italic = true;
    st.color = s_.meta_color;
    paragraph(caption, box, st, Alignment::Center, 1.35, true);
  }
  space(s_.paragraph_space * scale_);
}

void Typesetter::thematic_break(const Box& box) {
  Item item;
  item.height = s_.body_size * 2;
  item.space_before = s_.paragraph_space;
  Op line;
  line.kind = Op::Line;
  line.x = box.x + box.w * 0.35;
  line.y = item.height / 2;
  line.w = box.w * 0.3;
  line.size = 0.6;
  line.color = s_.rule_color;
  item.ops.push_back(line);
  const double height = item.height;
  emit(std::move(item), box, height);
  space(s_.paragraph_space);
}

void Typesetter::blocks(const std::vector<Block>& bs, const Box& box) {
  for (const Block& b : bs) block(b, box);
}

void Typesetter::block(const Block& b, const Box& box) {
  switch (b.kind) {
    case BlockKind::Paragraph: paragraph_with_images(b.inlines, box); break;
    case BlockKind::Heading: heading(b, box); break;
    case BlockKind::BlockQuote: {
      Box inner = indented(box, s_.quote_indent);
      inner.rules.push_back(box.x + s_.quote_rule_width / 2);
      Rgb saved = text_color_;
      text_color_ = s_.quote_color;
      space(s_.paragraph_space * scale_);
      ++quote_starts_;
      blocks(b.children, inner);
      if (quote_starts_) --quote_starts_;  // an empty quote drew nothing
      text_color_ = saved;
      space(s_.paragraph_space * scale_);
      break;
    }
    case BlockKind::List: list(b, box, 0); break;
    case BlockKind::CodeBlock: code_block(b.literal, box); break;
    case BlockKind::RawHtml: code_block(b.literal, box); break;
    case BlockKind::ThematicBreak: thematic_break(box); break;
    case BlockKind::Table:
      if (b.table) table(*b.table, box);
      break;
    case BlockKind::Figure: {
      space(s_.paragraph_space * scale_);
      for (const Inline& in : b.inlines) {
        if (in.kind == InlineKind::Image) image(in, b.caption, box);
        else if (image_only(in)) {
          links_.clear();
          int link = add_link(in.url);
          image(in.children[0], b.caption, box, link);
        }
      }
      break;
    }
    case BlockKind::DefinitionList: {
      for (const DefinitionItem& d : b.definitions) {
        SpanStyle st = body_style();
        st.bold = true;
        space(s_.paragraph_space * scale_);
        paragraph(d.term, box, st, Alignment::Left, s_.body_leading);
        if (!out_.items.empty()) out_.items.back().keep_with_next = true;
        Box inner = indented(box, s_.list_indent);
        for (const auto& def : d.definitions) {
          space(2);
          blocks(def, inner);
        }
      }
      break;
    }
    case BlockKind::Div: blocks(b.children, box); break;
  }
}

void Typesetter::title_block(const Metadata& meta, const std::string& anchor, int outline_level) {
  Box box{0, width_, {}};
  if (!anchor.empty()) {
    pending_anchors_.push_back(anchor);
    if (outline_level >= 0 && !meta.title.empty())
      out_.outline.push_back({outline_level, meta.title, anchor});
  }
  bool any = false;
  auto line_of = [&](const std::string& text, SpanStyle st, double leading) {
    Inline in;
    in.literal = text;
    paragraph({in}, box, st, Alignment::Left, leading, true);
    any = true;
  };
  if (!meta.title.empty()) {
    SpanStyle st;
    st.family = Family::Sans;
    st.bold = true;
    st.size = s_.title_size;
    st.color = s_.heading_color;
    line_of(meta.title, st, 1.2);
  }
  if (!meta.subtitle.empty()) {
    SpanStyle st;
    st.family = Family::Sans;
    st.size = s_.subtitle_size;
    st.color = s_.meta_color;
    space(4);
    line_of(meta.subtitle, st, 1.3);
  }
  std::string byline;
  for (size_t i = 0; i < meta.authors.size(); ++i) {
    if (i) byline += i + 1 == meta.authors.size() ? " and " : ", ";
    byline += meta.authors[i];
  }
  if (!meta.date.empty()) byline += (byline.empty() ? "" : "  \u00B7  ") + format_date(meta.date);
  if (!byline.empty()) {
    SpanStyle st;
    st.size = s_.meta_size;
    st.color = s_.meta_color;
    space(6);
    line_of(byline, st, 1.4);
  }
  if (any) {
    // A hairline under the title block separates it from the text.
    Item rule;
    rule.height = 1;
    rule.space_before = 8;
    Op line;
    line.kind = Op::Line;
    line.w = width_;
    line.size = 0.5;
    line.color = s_.rule_color;
    rule.ops.push_back(line);
    emit(std::move(rule), box, 0);
    space(s_.title_space_after);
  }
}

void Typesetter::toc() {
  struct Entry {
    int level;
    std::string title, anchor;
  };
  std::vector<Entry> entries;
  const bool book = ctx_.doc.is_book();
  for (const Chapter& ch : ctx_.doc.chapters) {
    if (book && !ch.meta.title.empty()) entries.push_back({0, ch.meta.title, ch.id});
    std::function<void(const std::vector<Block>&)> scan = [&](const std::vector<Block>& bs) {
      for (const Block& b : bs) {
        if (b.kind == BlockKind::Heading && b.level <= ctx_.options.toc_depth && !b.id.empty()) {
          std::string t = plain_text(b.inlines);
          if (t.find_first_not_of(" \t\n") != std::string::npos) entries.push_back({b.level, t, b.id});
        } else if (b.kind == BlockKind::Div) {
          scan(b.children);
        }
      }
    };
    scan(ch.blocks);
  }
  if (entries.empty()) return;
  int min_level = 6;
  for (const Entry& e : entries) min_level = std::min(min_level, e.level);
  Box box{0, width_, {}};
  {
    SpanStyle st;
    st.family = Family::Sans;
    st.bold = true;
    st.size = s_.heading_sizes[1];
    st.color = s_.heading_color;
    Inline in;
    in.literal = "Contents";
    space(s_.heading_space_before);
    paragraph({in}, box, st, Alignment::Left, 1.25, true);
    space(s_.heading_space_after + 4);
  }
  const double size = s_.body_size;
  const double lh = size * 1.5;
  const double number_w = fonts_.width(kSerif, size, "0000");
  for (const Entry& e : entries) {
    const double indent = (e.level - min_level) * 14.0;
    SpanStyle st;
    st.size = size;
    st.color = s_.body_color;
    st.bold = e.level == min_level && book;
    Inline in;
    in.literal = e.title;
    links_.clear();
    std::vector<Word> words;
    collect_words({in}, st, words);
    auto lines = set_lines(std::move(words), width_ - indent - number_w - 12, Alignment::Left, lh, size);
    Item item;
    item.height = double(lines.size()) * lh;
    item.space_before = e.level == min_level ? 3 : 0;
    for (size_t i = 0; i < lines.size(); ++i)
      for (Op op : lines[i]) {
        op.x += indent;
        op.y += double(i) * lh;
        item.ops.push_back(op);
      }
    // Dot leaders from the end of the title to the page number.
    double text_end = indent;
    for (const Op& op : lines.back()) {
      if (op.kind != Op::Text) continue;
      HPDF_TextWidth tw = HPDF_Font_TextWidth(op.font, reinterpret_cast<const HPDF_BYTE*>(op.text.data()),
                                              HPDF_UINT(op.text.size()));
      text_end = std::max(text_end, indent + op.x + tw.width * op.size / 1000.0);
    }
    const double lead_from = text_end + 6, lead_to = width_;
    if (lead_to - number_w - lead_from > 10) {
      Op dots;  // pdf.cpp ends them before the page number once it is known
      dots.kind = Op::Dots;
      dots.text = e.anchor;
      dots.h = size;
      dots.x = lead_from;
      dots.w = lead_to - lead_from;
      dots.y = double(lines.size() - 1) * lh + (lh + size * 0.72) / 2;
      dots.size = 0.9;
      dots.color = s_.meta_color;
      item.ops.push_back(dots);
    }
    Op number;
    number.kind = Op::PageRef;
    number.font = fonts_.font(kSerif);
    number.size = size;
    number.color = s_.body_color;
    number.text = e.anchor;
    number.x = width_;
    number.y = double(lines.size() - 1) * lh + (lh + size * 0.72) / 2;
    item.ops.push_back(number);
    Op link;
    link.kind = Op::GoTo;
    link.text = e.anchor;
    link.x = indent;
    link.w = width_ - indent;
    link.h = item.height;
    item.ops.push_back(link);
    emit(std::move(item), box, lh);
  }
  space(s_.title_space_after);
}

void Typesetter::footnotes(const Chapter& ch) {
  if (ch.footnotes.empty()) return;
  Box box{0, width_, {}};
  const double saved_scale = scale_;
  scale_ = s_.footnote_size / s_.body_size;
  Item rule;
  rule.height = 6;
  rule.space_before = s_.paragraph_space * 3;
  Op line;
  line.kind = Op::Line;
  line.w = width_ * 0.25;
  line.size = 0.5;
  line.color = s_.rule_color;
  rule.ops.push_back(line);
  rule.keep_with_next = true;
  emit(std::move(rule), box, 0);
  Box inner = indented(box, s_.list_indent);
  for (const Footnote& fn : ch.footnotes) {
    space(3);
    pending_anchors_.push_back(fn.id);
    Op marker;
    marker.kind = Op::Text;
    marker.font = fonts_.font(kSerif);
    marker.size = s_.footnote_size;
    marker.color = s_.link_color;
    marker.text = std::to_string(fn.number) + ".";
    marker.x = inner.x - fonts_.width(kSerif, marker.size, marker.text) - 4;
    Op back;
    back.kind = Op::GoTo;
    back.text = "ref-" + fn.id;
    back.x = marker.x;
    back.w = inner.x - marker.x;
    back.y = -s_.footnote_size;
    back.h = s_.footnote_size * 1.3;
    pending_marker_ = {marker, back};
    blocks(fn.blocks, inner);
    if (!pending_marker_.empty()) {
      Item empty;
      empty.height = s_.footnote_size * s_.body_leading;
      emit(std::move(empty), inner, s_.footnote_size);
    }
  }
  scale_ = saved_scale;
}

void Typesetter::chapter(const Chapter& ch, size_t index) {
  chapter_ = &ch;
  chapter_index_ = int(index);
  const bool book = ctx_.doc.is_book();
  if (book && !out_.items.empty()) pending_new_page_ = true;
  pending_space_ = 0;
  title_block(ch.meta, ch.id.empty() ? "chapter-" + std::to_string(index + 1) : ch.id,
              book ? 0 : -1);
  if (!book && index == 0 && ctx_.options.toc) toc();
  blocks(ch.blocks, Box{0, width_, {}});
  footnotes(ch);
}

Layout Typesetter::run() {
  text_color_ = s_.body_color;
  const Document& doc = ctx_.doc;
  for (const Chapter& ch : doc.chapters) {
    anchors_.insert(ch.id);
    for (const Footnote& fn : ch.footnotes) anchors_.insert(fn.id);
    std::function<void(const std::vector<Block>&)> scan = [&](const std::vector<Block>& bs) {
      for (const Block& b : bs) {
        if (!b.id.empty()) anchors_.insert(b.id);
        scan(b.children);
        for (const ListItem& it : b.items) scan(it.blocks);
      }
    };
    scan(ch.blocks);
    out_.running_titles.push_back(ch.meta.title);
  }
  if (doc.is_book()) {
    if (!doc.meta.title.empty()) title_block(doc.meta, "", -1);
    if (ctx_.options.toc) toc();
  }
  for (size_t i = 0; i < doc.chapters.size(); ++i) chapter(doc.chapters[i], i);
  return std::move(out_);
}

}  // namespace

Layout typeset(const RenderContext& ctx, const Style& style, Fonts& fonts, HPDF_Doc pdf,
               HaruErrors& errors) {
  Typesetter t(ctx, style, fonts, pdf, errors);
  return t.run();
}

}  // namespace relconv::pdf
