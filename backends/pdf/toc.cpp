// The table of contents: an entry per chapter and heading, with dot leaders and page
// numbers filled in once the pages are known (pdf.cpp).
#include <algorithm>

#include "backends/pdf/typesetter.h"
#include "text/utf8.h"

namespace relconv::pdf {

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
  std::vector<Op> probe;
  const double number_w = label("0000", kSerif, size, Rgb{}, 0, 0, probe);
  for (const Entry& e : entries) {
    const double indent = (e.level - min_level) * 14.0;
    SpanStyle st;
    st.size = size;
    st.color = s_.body_color;
    st.bold = e.level == min_level && book;
    Inline in;
    in.literal = e.title;
    links_.clear();
    SetText t;
    collect({in}, st, t.text);
    t.text.direction = Direction::Ltr;  // the leaders and numbers run left to right
    auto lines = set_lines(t, width_ - indent - number_w - 12, Alignment::Left, lh, size);
    if (lines.empty()) lines.emplace_back();
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
      text_end = std::max(text_end, indent + op.x + op.glyphs.width);
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
    number.face = kSerif;
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

}  // namespace relconv::pdf
