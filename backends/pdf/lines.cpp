// Inline text to lines: the inline walker builds a paragraph's logical text with its
// styles, shape.cpp shapes it, and this file cuts it into words at the break
// opportunities, chooses the lines (optimal fit) and sets each line in visual order.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <string_view>

#include "backends/pdf/typesetter.h"
#include "text/utf8.h"

namespace relconv::pdf {

namespace {

// Characters that are not drawn at all: controls, the soft hyphen (relconv does not
// hyphenate), the byte-order mark, and the line and paragraph separators (taken as spaces).
bool dropped(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD || cp == 0xFEFF ||
         (cp >= 0xFFF9 && cp <= 0xFFFB);
}

bool is_break_space(unsigned char c) { return c == ' '; }

std::string reverse_code_points(const std::string& s) {
  std::vector<std::pair<size_t, size_t>> cps;
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    utf8_decode(s, i);
    cps.push_back({start, i - start});
  }
  if (cps.size() < 2) return s;
  std::string out;
  for (auto it = cps.rbegin(); it != cps.rend(); ++it) out.append(s, it->first, it->second);
  return out;
}

}  // namespace

double set_glyphs(Fonts& fonts, const SetText& t, size_t begin, size_t end, double x0, double baseline,
                  double extra, const std::vector<size_t>& stretch, const std::vector<LinkTarget>* links,
                  std::vector<Op>& ops);

TextStyle Typesetter::text_style(const SpanStyle& st, const SourcePos& pos) const {
  TextStyle t;
  t.face = st.face();
  t.size = st.size;
  t.color = st.link >= 0 && st.color_links ? s_.link_color : st.color;
  t.link = st.link;
  t.rise = st.rise;
  t.strike = st.strike;
  t.pos = pos;
  return t;
}

void Typesetter::add_text(const std::string& text, const SpanStyle& st, const SourcePos& pos,
                          ParagraphText& out) {
  TextStyle style = text_style(st, pos);
  std::string piece;
  auto flush = [&]() {
    if (piece.empty()) return;
    // A superscript set right after text starts a little away from it (TeX's italic
    // correction does the same), which also lets a reader, and pdftotext, see "e" and
    // "iπ" in e^iπ, or "note" and "1" in note¹, as two words.
    if (pending_kern_ > 0 && !out.text.empty() && out.text.back() != ' ') style.kern = pending_kern_;
    pending_kern_ = 0;
    out.append(piece, style);
    style.kern = 0;
    piece.clear();
  };
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const char32_t cp = c < 0x80 ? (++i, c) : utf8_decode(text, i);
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029) {
      // Runs of white space are one space; none at the start of a paragraph or line.
      const bool after_space = piece.empty() ? out.text.empty() || out.text.back() == ' ' ||
                                                   (!out.hard_breaks.empty() && out.hard_breaks.back() + 3 == out.text.size())
                                             : piece.back() == ' ';
      if (!after_space) piece += ' ';
      continue;
    }
    if (dropped(cp)) continue;
    utf8_append(piece, cp);
  }
  flush();
}

void Typesetter::collect(const std::vector<Inline>& inlines, SpanStyle st, ParagraphText& out) {
  for (const Inline& in : inlines) {
    SpanStyle s = st;
    switch (in.kind) {
      case InlineKind::Text: add_text(in.literal, s, in.pos, out); break;
      case InlineKind::Emph: s.italic = !s.italic; collect(in.children, s, out); break;
      case InlineKind::Strong: s.bold = true; collect(in.children, s, out); break;
      case InlineKind::Strike: s.strike = true; collect(in.children, s, out); break;
      case InlineKind::Superscript:
      case InlineKind::Subscript:
        pending_kern_ = s.size * 0.12;
        s.rise += in.kind == InlineKind::Superscript ? s.size * 0.33 : -s.size * 0.15;
        s.size *= 0.7;
        collect(in.children, s, out);
        pending_kern_ = 0;
        break;
      case InlineKind::Small: s.size *= 0.85; collect(in.children, s, out); break;
      case InlineKind::Kbd:
      case InlineKind::Code:
        s.family = Family::Mono;
        s.size *= 0.9;
        s.bold = in.kind == InlineKind::Kbd ? true : s.bold;
        if (s.link < 0) s.color = s_.inline_code_color;
        if (in.kind == InlineKind::Code) add_text(in.literal, s, in.pos, out);
        else collect(in.children, s, out);
        break;
      case InlineKind::Link: {
        const int link = add_link(in.url);
        // Two links that touch ("[a](x)[b](y)") get a hair space between them, so that
        // a reader (and text extraction) sees where one ends and the next begins.
        if (link >= 0 && !out.spans.empty() && out.spans.back().style.link >= 0 &&
            out.spans.back().end == out.text.size() && out.text.back() != ' ') {
          SpanStyle plain = st;
          plain.link = -1;
          out.append("\u200A", text_style(plain, in.pos));
        }
        if (link >= 0) s.link = link;
        collect(in.children, s, out);
        break;
      }
      case InlineKind::Image: {
        // An image inside running text sits on the baseline at the height of the text
        // (block images are taken out of paragraphs before this); one that cannot be
        // shown leaves its alt text.
        LoadedImage li = chapter_ ? load_image(in) : LoadedImage{};
        if (li.image < 0) {
          s.italic = true;
          collect(in.children, s, out);
          break;
        }
        ParagraphText::Object o;
        o.image = li.image;
        o.height = s.size * 1.15;
        o.width = o.height * li.width / std::max(1, li.height);
        o.alt = plain_text(in.children);
        TextStyle style = text_style(s, in.pos);
        style.rise = s.rise;
        o.at = out.text.size();
        out.append("\uFFFC", style);
        out.objects.push_back(std::move(o));
        break;
      }
      case InlineKind::SoftBreak: add_text(" ", s, in.pos, out); break;
      case InlineKind::HardBreak:
        if (!out.text.empty() && out.text.back() == ' ') {
          out.text.pop_back();
          out.spans.back().end = out.text.size();
          if (out.spans.back().end == 0 || (out.spans.size() > 1 && out.spans.back().end == out.spans[out.spans.size() - 2].end))
            out.spans.pop_back();
        }
        out.hard_breaks.push_back(out.text.size());
        out.append("\u2028", text_style(s, in.pos));
        break;
      case InlineKind::FootnoteRef: {
        const Chapter* ch = chapter_;
        if (!ch || in.note < 1 || size_t(in.note) > ch->footnotes.size()) {
          add_text("[" + in.literal + "]", s, in.pos, out);
          break;
        }
        const Footnote& fn = ch->footnotes[size_t(in.note) - 1];
        SpanStyle sup = s;
        sup.rise += s.size * 0.33;
        sup.size *= 0.7;
        links_.push_back(LinkTarget{true, fn.id});
        sup.link = int(links_.size() - 1);
        pending_kern_ = s.size * 0.12;
        out.anchors.push_back({out.text.size(), "ref-" + fn.id});
        add_text(std::to_string(in.note), sup, in.pos, out);
        break;
      }
    }
  }
}

Direction Typesetter::direction_of(const std::vector<Inline>& inlines) const {
  if (block_direction_ != Direction::Auto) return block_direction_;
  Direction d = first_strong(plain_text(inlines));
  return d == Direction::Auto ? doc_direction_ : d;
}

bool Typesetter::block_rtl(const Block& b) const {
  if (block_direction_ != Direction::Auto) return block_direction_ == Direction::Rtl;
  // The first strong character of the block's first text decides.
  Direction d = Direction::Auto;
  std::function<void(const Block&)> scan = [&](const Block& x) {
    if (d != Direction::Auto) return;
    if (!x.inlines.empty()) d = first_strong(plain_text(x.inlines));
    for (const Block& c : x.children) scan(c);
    for (const ListItem& it : x.items)
      for (const Block& c : it.blocks) scan(c);
  };
  scan(b);
  if (d == Direction::Auto) d = doc_direction_;
  return d == Direction::Rtl;
}

void Typesetter::prepare(SetText& t) {
  t.shaped = shape_paragraph(t.text, fonts_, ctx_.diag, lang_, &breaker_);
  const std::string& text = t.text.text;
  const size_t len = text.size();
  t.words.clear();
  size_t start = 0;
  for (size_t b = 1; b <= len; ++b) {
    if (b < len && !t.shaped.breaks[b]) continue;
    Word w;
    w.begin = start;
    w.next = b;
    size_t end = b;
    while (end > start && is_break_space(static_cast<unsigned char>(text[end - 1]))) --end;
    if (end >= start + 3 && text.compare(end - 3, 3, "\u2028") == 0) {
      end -= 3;
      w.hard_break = true;
    }
    w.end = end;
    w.hard_break = w.hard_break || (b < len && t.shaped.breaks[b] == 2);
    w.width = t.shaped.width(start, end);
    w.space = t.shaped.width(end, b);
    t.words.push_back(w);
    start = b;
  }
  if (!t.words.empty()) t.words.back().space = 0;  // the last word's spaces mean nothing
}

void Typesetter::split_wide(SetText& t, double width) {
  bool any = false;
  for (const Word& w : t.words) any = any || w.width > width + kFit;
  if (!any) return;
  const std::string& text = t.text.text;
  const ShapedParagraph& sp = t.shaped;
  std::vector<Word> out;
  out.reserve(t.words.size());
  for (const Word& w : t.words) {
    if (w.width <= width + kFit) {
      out.push_back(w);
      continue;
    }
    size_t start = w.begin;
    while (start < w.end) {
      size_t end = start, good = 0;
      // The longest run of whole clusters that fits (at least one cluster).
      for (size_t b = start + 1; b <= w.end; ++b) {
        if (b < w.end && !sp.cluster_start[b]) continue;
        if (sp.width(start, b) > width + kFit && end > start) break;
        end = b;
        const unsigned char c = static_cast<unsigned char>(text[b - 1]);
        // Not after '-': pdftotext joins a line that ends in a hyphen to the next.
        if (b < w.end && std::strchr("/._?&=,:#()[]", c) && c) good = b;
      }
      if (end < w.end && good > start && sp.width(start, good) > sp.width(start, end) / 3) end = good;
      Word piece;
      piece.begin = start;
      piece.end = piece.next = end;
      piece.width = sp.width(start, end);
      if (end == w.end) {
        piece.next = w.next;
        piece.space = w.space;
        piece.hard_break = w.hard_break;
      }
      out.push_back(piece);
      start = end;
    }
  }
  t.words = std::move(out);
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

double set_glyphs(Fonts& fonts, const SetText& t, size_t begin, size_t end, double x0, double baseline,
                  double extra, const std::vector<size_t>& stretch, const std::vector<LinkTarget>* links,
                  std::vector<Op>& ops) {
  const ShapedParagraph& sp = t.shaped;
  const ParagraphText& src = t.text;
  struct Piece {
    const ShapedRun* run;
    size_t g0, g1;
  };
  std::vector<Piece> pieces;
  for (const ShapedRun& run : sp.runs) {
    if (run.end <= begin || run.begin >= end) continue;
    if (run.object >= 0) {
      pieces.push_back({&run, 0, 0});
      continue;
    }
    // HarfBuzz's clusters are monotonic (its default cluster level): rising in a
    // left-to-right run, falling in a right-to-left one.
    const auto& info = run.info;
    auto first = [&](auto pred) {
      return size_t(std::partition_point(info.begin(), info.end(), pred) - info.begin());
    };
    size_t g0, g1;
    if (run.level & 1) {
      g0 = first([&](const hb_glyph_info_t& gi) { return gi.cluster >= end; });
      g1 = first([&](const hb_glyph_info_t& gi) { return gi.cluster >= begin; });
    } else {
      g0 = first([&](const hb_glyph_info_t& gi) { return gi.cluster < begin; });
      g1 = first([&](const hb_glyph_info_t& gi) { return gi.cluster < end; });
    }
    if (g0 < g1) pieces.push_back({&run, g0, g1});
  }
  // Visual order (UAX #9, L2): from the highest level down to the lowest odd one, every
  // sequence of pieces at that level or higher is reversed.
  uint8_t top = 0, low_odd = 255;
  for (const Piece& p : pieces) {
    top = std::max(top, p.run->level);
    if (p.run->level & 1) low_odd = std::min(low_odd, p.run->level);
  }
  for (int lvl = top; lvl >= int(low_odd) && lvl > 0; --lvl)
    for (size_t i = 0; i < pieces.size();) {
      if (pieces[i].run->level < lvl) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < pieces.size() && pieces[j].run->level >= lvl) ++j;
      std::reverse(pieces.begin() + long(i), pieces.begin() + long(j));
      i = j;
    }

  double x = x0;
  int link_op = -1;
  for (const Piece& p : pieces) {
    const ShapedRun& run = *p.run;
    const TextStyle& st = src.spans[size_t(run.span)].style;
    const bool span_start = run.begin == (run.span == 0 ? 0 : src.spans[size_t(run.span) - 1].end);
    if (st.kern > 0 && span_start && run.begin >= begin) x += st.kern;
    const double start_x = x;
    if (run.object >= 0) {
      const ParagraphText::Object& o = src.objects[size_t(run.object)];
      Op img;
      img.kind = Op::Image;
      img.image = o.image;
      img.x = x;
      img.w = o.width;
      img.h = o.height;
      img.y = baseline - st.rise + st.size * 0.22 - o.height;
      img.text = o.alt;  // laid over it by the typesetter (alt_text)
      ops.push_back(std::move(img));
      x += o.width;
    } else {
      Op op;
      op.kind = Op::Text;
      op.x = x;
      op.y = baseline - st.rise;
      op.size = st.size;
      op.color = st.color;
      Glyphs& g = op.glyphs;
      g.font = run.font_id;
      const bool rtl = run.level & 1;
      g.rtl = rtl;
      auto& known = fonts.used()[size_t(run.font_id)].glyphs;
      g.ids.reserve(p.g1 - p.g0);
      g.x.reserve(p.g1 - p.g0);
      bool off_baseline = false;
      double pen = 0;
      for (size_t k = p.g0; k < p.g1;) {
        // One cluster: glyphs [k, e) with the same cluster value, standing for the text up
        // to the next cluster of the run in logical order.
        const uint32_t cluster = run.info[k].cluster;
        size_t e = k + 1;
        while (e < p.g1 && run.info[e].cluster == cluster) ++e;
        size_t cend = run.end;
        if (!rtl) {
          for (size_t j = e; j < run.info.size(); ++j)
            if (run.info[j].cluster != cluster) {
              cend = run.info[j].cluster;
              break;
            }
        } else {
          for (size_t j = k; j-- > 0;)
            if (run.info[j].cluster != cluster) {
              cend = run.info[j].cluster;
              break;
            }
        }
        cend = std::min(cend, end);
        std::string_view ctext(src.text.data() + cluster, cend - cluster);
        // The text of a right-to-left cluster of several characters (Arabic lam-alef, a
        // letter with its vowel marks) in visual order: extraction orders the characters
        // of a right-to-left line by their position, those of one glyph (or one
        // ActualText) among them, and would give back "al" for "la".
        std::string reversed;
        if (rtl && ctext.size() > 1) {
          reversed = reverse_code_points(std::string(ctext));
          ctext = reversed;
        }
        bool plain = e - k == 1;
        for (size_t j = k; j < e; ++j) {
          auto it = known.find(run.info[j].codepoint);
          if (it == known.end()) known.emplace(run.info[j].codepoint, std::string(ctext));
          else if (it->second != ctext) plain = false;
        }
        if (!plain) g.actual.push_back({uint32_t(g.ids.size()), uint32_t(e - k), std::string(ctext)});
        for (size_t j = k; j < e; ++j) {
          const hb_glyph_position_t& pos = run.pos[j];
          g.ids.push_back(run.info[j].codepoint);
          g.x.push_back(float(pen + pos.x_offset * run.scale));
          g.y.push_back(float(pos.y_offset * run.scale));
          off_baseline = off_baseline || pos.y_offset != 0;
          pen += pos.x_advance * run.scale;
        }
        // Stretch after a stretchable cluster.
        if (extra != 0 && std::binary_search(stretch.begin(), stretch.end(), size_t(cluster))) pen += extra;
        k = e;
      }
      if (!off_baseline) std::vector<float>().swap(g.y);
      g.width = pen;
      x += pen;
      if (st.strike) {
        Op line;
        line.kind = Op::Line;
        line.x = op.x;
        line.y = baseline - st.rise - st.size * 0.3;
        line.w = pen;
        line.size = st.size * 0.06;
        line.color = st.color;
        ops.push_back(line);
      }
      ops.push_back(std::move(op));
    }
    if (links && st.link >= 0 && size_t(st.link) < links->size()) {
      const LinkTarget& target = (*links)[size_t(st.link)];
      if (link_op >= 0 && ops[size_t(link_op)].text == target.target &&
          std::abs(ops[size_t(link_op)].x + ops[size_t(link_op)].w - start_x) < 0.01 + std::abs(extra)) {
        ops[size_t(link_op)].w = x - ops[size_t(link_op)].x;
      } else {
        Op l;
        l.kind = target.internal ? Op::GoTo : Op::Uri;
        l.text = target.target;
        l.x = start_x;
        l.w = x - start_x;
        ops.push_back(l);
        link_op = int(ops.size() - 1);
      }
    } else {
      link_op = -1;
    }
  }
  for (const auto& [at, name] : src.anchors)
    if (at >= begin && at < std::max(end, begin + 1)) {
      Op a;
      a.kind = Op::Anchor;
      a.text = name;
      ops.push_back(a);
    }
  return x - x0;
}

void Typesetter::set_line(const SetText& t, size_t b, size_t e, bool last, double width,
                          Alignment align, double x0, double top, double baseline, double height,
                          std::vector<Op>& ops) {
  const std::vector<Word>& words = t.words;
  const size_t begin = words[b].begin, end = words[e - 1].end;
  const std::string& text = t.text.text;
  const double natural = t.shaped.width(begin, end);
  // Where the line may stretch: after its spaces, or, in a line without spaces (Chinese,
  // Japanese, Thai), between its words.
  std::vector<size_t> stretch;
  for (size_t k = b; k + 1 < e; ++k)
    for (size_t i = words[k].end; i < words[k].next; ++i)
      if (is_break_space(static_cast<unsigned char>(text[i]))) stretch.push_back(i);
  if (stretch.empty() && align == Alignment::Justify)
    for (size_t k = b; k + 1 < e; ++k) {
      size_t c = words[k].end;
      while (c > words[k].begin && !t.shaped.cluster_start[c - 1]) --c;
      if (c > words[k].begin) stretch.push_back(c - 1);
    }
  if (t.shaped.rtl) {
    if (align == Alignment::Left) align = Alignment::Right;
    else if (align == Alignment::Right) align = Alignment::Left;
  }
  double x = x0, extra = 0;
  const double slack = width - natural;
  const size_t glue = stretch.size();
  if (align == Alignment::Center) x += std::max(0.0, slack / 2);
  else if (align == Alignment::Right || (align == Alignment::Justify && last && t.shaped.rtl))
    x += std::max(0.0, slack);
  else if (align == Alignment::Justify && glue > 0 && slack < 0) {
    extra = slack / double(glue);  // the breaker chose to shrink this line's spaces
  } else if (align == Alignment::Justify && !last && glue > 0 && slack > 0) {
    extra = slack / double(glue);
    // Spaces stretched to more than about twice their width leave rivers of white; such
    // a line (a short list item without a hyphenation point) is better left ragged.
    const double size = t.text.spans.empty() ? 10 : t.text.spans.front().style.size;
    if (extra > size * 0.4) extra = 0;
    if (extra == 0 && t.shaped.rtl) x += slack;
  }
  const size_t first = ops.size();
  set_glyphs(fonts_, t, begin, end, x, baseline, extra, stretch, &links_, ops);
  const size_t set = ops.size();
  for (size_t i = first; i < set; ++i)
    if (ops[i].kind == Op::Image) alt_text(ops, i);
  for (size_t i = first; i < set; ++i) {
    Op& op = ops[i];
    if (op.kind == Op::Uri || op.kind == Op::GoTo) {
      op.y = top;
      op.h = height;
    } else if (op.kind == Op::Anchor) {
      op.y = top;
    }
  }
}

std::vector<std::vector<Op>> Typesetter::set_lines(SetText& t, double width, Alignment align,
                                                   double line_height, double size) {
  prepare(t);
  split_wide(t, width);
  std::vector<std::vector<Op>> out;
  const double baseline = (line_height + size * 0.72) / 2;
  for (auto [b, e] : break_lines(t.words, width, align == Alignment::Justify)) {
    std::vector<Op> ops;
    const bool last = e == t.words.size() || t.words[e - 1].hard_break;
    set_line(t, b, e, last, width, align, 0, 0, baseline, line_height, ops);
    out.push_back(std::move(ops));
  }
  return out;
}

double Typesetter::label(const std::string& text, FontFace face, double size, const Rgb& color,
                         double x, double y, std::vector<Op>& ops, bool invisible) {
  return shape_label(fonts_, ctx_.diag, lang_, face, size, color, text, x, y, ops, invisible);
}

void Typesetter::alt_text(std::vector<Op>& ops, size_t image) {
  // The alt text, invisible over the image: found by search, copied and extracted, the way
  // OCR layers are. Sized to the image's width where it can be, so that it does not run
  // into the text beside an inline image. (Squeezing it with Tz instead makes poppler
  // drop letters it takes for overprinted duplicates.)
  const Op img = ops[image];
  if (img.text.empty()) return;
  double size = std::min(8.0, std::max(1.0, img.h * 0.8));
  std::vector<Op> probe;
  const double natural = label(img.text, kSerif, size, s_.body_color, 0, 0, probe, true);
  if (natural > img.w && natural > 0) size = std::max(1.0, size * img.w / natural);
  label(img.text, kSerif, size, s_.body_color, img.x, img.y + size, ops, true);
}

double shape_label(Fonts& fonts, Diagnostics& diag, const std::string& lang, FontFace face, double size,
                   const Rgb& color, const std::string& text, double x, double y, std::vector<Op>& ops,
                   bool invisible) {
  SetText t;
  TextStyle st;
  st.face = face;
  st.size = size;
  st.color = color;
  std::string clean;
  utf8_sanitize(text, clean);
  for (char& c : clean)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  t.text.append(clean, st);
  t.shaped = shape_paragraph(t.text, fonts, diag, lang, nullptr);  // one line
  const size_t first = ops.size();
  const double w = set_glyphs(fonts, t, 0, t.text.text.size(), x, y, 0, {}, nullptr, ops);
  for (size_t i = first; i < ops.size(); ++i) ops[i].invisible = invisible;
  return w;
}

}  // namespace relconv::pdf
