// Code blocks: each source line shaped left to right, wrapped at the measure with a mark on
// continuation lines, on a shaded background.
#include <algorithm>

#include "backends/pdf/typesetter.h"
#include "text/utf8.h"

namespace relconv::pdf {

void Typesetter::code_block(const std::string& text, const Box& box) {
  const double size = s_.code_size * scale_;
  const double lh = size * s_.code_leading;
  const double pad = s_.code_padding;
  const FontFace face = kMono;
  std::vector<Op> probe;
  const double mark_w = label("\u21AA ", face, size, Rgb{}, 0, 0, probe);
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
  // Each line shaped on its own, left to right (a string in Hebrew inside it still reads
  // right to left), and wrapped at cluster boundaries by measured width, preferring to break
  // after a space or punctuation; continuation lines start with a visible mark.
  struct Row {
    size_t line, begin, end;
    bool continued;
  };
  std::vector<SetText> texts(lines.size());
  std::vector<Row> rows;
  TextStyle st;
  st.face = face;
  st.size = size;
  st.color = s_.code_color;
  for (size_t li = 0; li < lines.size(); ++li) {
    SetText& t = texts[li];
    std::string clean;
    for (size_t i = 0; i < lines[li].size();) {
      const size_t start = i;
      const char32_t cp = utf8_decode(lines[li], i);
      if (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0)) clean.append(lines[li], start, i - start);
    }
    t.text.append(clean, st);
    t.text.direction = Direction::Ltr;
    t.shaped = shape_paragraph(t.text, fonts_, ctx_.diag, lang_, nullptr);  // broken below, by width
    const std::string& s = t.text.text;
    const ShapedParagraph& sp = t.shaped;
    size_t start = 0;
    bool continued = false;
    do {
      const double limit = continued ? avail - mark_w : avail;
      size_t end = start, good = 0;
      for (size_t b = start + 1; b <= s.size(); ++b) {
        if (b < s.size() && !sp.cluster_start[b]) continue;
        if (sp.width(start, b) > limit && end > start) break;
        end = b;
        const char c = s[b - 1];
        if (b < s.size() && (c == ' ' || c == '/' || c == ',' || c == '(' || c == '.' || c == '=')) good = b;
      }
      if (end < s.size() && good > start && good - start > (end - start) / 2) end = good;
      rows.push_back({li, start, end, continued});
      start = end;
      continued = true;
    } while (start < s.size());
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
      label("\u21AA", face, size, Rgb{0.55, 0.55, 0.55}, x, baseline, item.ops);
      x += mark_w;
    }
    set_glyphs(fonts_, texts[rows[r].line], rows[r].begin, rows[r].end, x, baseline, 0, {}, nullptr, item.ops);
    // Short blocks stay whole; long ones may break, but not right after the first line
    // or right before the last.
    item.keep_with_next = rows.size() <= 6 || r == 0 || r + 2 == rows.size();
    emit(std::move(item), box, baseline);
  }
  space(s_.paragraph_space * scale_);
}

}  // namespace relconv::pdf
