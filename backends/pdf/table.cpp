// Tables: column widths from the cells' narrowest and widest natural widths, rows of
// set cells, booktabs rules, header rows repeated on each page.
#include <algorithm>

#include "backends/pdf/typesetter.h"
#include "text/utf8.h"

namespace relconv::pdf {

void Typesetter::table(const TableData& t, const Box& box, double fit) {
  const size_t ncols = std::max<size_t>(1, t.columns());
  const double size = s_.table_size * scale_ * fit;
  const double lh = size * 1.35;
  const double pad = s_.table_padding;
  // Words of every cell, and each column's narrowest and widest natural width.
  struct Cell {
    SetText text;
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
      collect(tc.inlines, st, c.text.text);
      c.text.text.direction = direction_of(tc.inlines);
      prepare(c.text);
      c.links = links_;
      if (c.span == 1) {
        double widest = 0, line = 0;
        for (const Word& w : c.text.words) {
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
  // A table whose longest words do not fit side by side is set smaller, down to three
  // quarters of its size, before its columns are made narrower than their words (which
  // then break inside, where a reader, and text extraction, loses them).
  if (fit == 1 && sum_min > box.w) {
    const double pads = 2 * pad * double(ncols);
    const double factor = std::max(0.75, (box.w - pads) / std::max(1.0, sum_min - pads));
    if (factor < 0.999) {
      links_.clear();
      table(t, box, factor);
      return;
    }
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
  // A right-to-left table (its first cell's text, or the document's direction, says)
  // has its first column on the right.
  bool rtl = doc_direction_ == Direction::Rtl;
  for (const auto& row : rows)
    for (const Cell& c : row)
      if (!c.text.text.empty()) {
        rtl = c.text.shaped.rtl;
        goto decided;
      }
decided:
  const double right = box.rtl ? box.x + box.w : box.x + total;
  const double table_x = rtl ? right - total : box.x;
  auto cell_x = [&](size_t col, size_t span) {
    return rtl ? table_x + total - (col_x[col + span] - box.x) : col_x[col];
  };

  // Rules in the booktabs manner: heavier above and below the table and under the head,
  // hairlines between body rows, none between columns.
  auto rule = [&](std::vector<Op>& ops, double y, double weight) {
    Op line;
    line.kind = Op::Line;
    line.x = table_x;
    line.y = y;
    line.w = total;
    line.size = weight;
    line.color = s_.table_rule_color;
    ops.push_back(line);
  };
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
      split_wide(c.text, w);
      std::vector<std::vector<Op>> lines;
      const double baseline = (lh + size * 0.72) / 2;
      if (!c.text.words.empty())
        for (auto [b, e] : break_lines(c.text.words, w)) {
          std::vector<Op> ops;
          set_line(c.text, b, e, true, w, align, 0, 0, baseline, lh, ops);
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
            op.x += cell_x(rows[r][k].col, rows[r][k].span) + pad;
            op.y += top;
            slice.ops.push_back(op);
          }
        }
        if (r == 0 && li == 0) rule(slice.ops, 0, 0.9);
        if (li + 1 == nlines) rule(slice.ops, slice.height, last ? 0.9 : 0.25);
        slice.keep_with_next = li == 0 || li + 2 == nlines;
        if (any_header) slice.header = header_group;
        emit(std::move(slice), box, top + (lh + size * 0.72) / 2);
      }
      continue;
    }
    if (header) {
      Op bg;
      bg.kind = Op::Fill;
      bg.x = table_x;
      bg.w = total;
      bg.h = height;
      bg.color = s_.table_header_background;
      item.ops.push_back(bg);
    }
    for (size_t k = 0; k < rows[r].size(); ++k) {
      const Cell& c = rows[r][k];
      for (size_t li = 0; li < cell_lines[k].size(); ++li)
        for (Op op : cell_lines[k][li]) {
          op.x += cell_x(c.col, c.span) + pad;
          op.y += pad + double(li) * lh;
          item.ops.push_back(op);
        }
    }
    const bool next_is_body = !last && !(r + 1 < t.rows.size() && t.rows[r + 1].header);
    if (r == 0) rule(item.ops, 0, 0.9);
    if (header && next_is_body) rule(item.ops, height, 0.6);
    else if (last) rule(item.ops, height, 0.9);
    else rule(item.ops, height, 0.25);
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
          line.x = table_x;
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

}  // namespace relconv::pdf
