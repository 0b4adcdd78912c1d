// Plain text: a document to read in a terminal or an email.
//
// Wrapped at --columns by display width (LineWriter), never inside a word or URL. The
// conventions are the ones people use in plain-text mail: a title block, headings
// underlined ('=' and '-', "###" deeper), _emphasis_, *strong*, `code`, "- " bullets,
// "> " quotes, code indented by four spaces, tables as text grids, links as numbered
// references listed at the end of each chapter ("[1] https://…"), footnotes as [^n] with
// their text at the end of the chapter, images as [image: alt].
#include <algorithm>
#include <map>

#include "backend/backend.h"
#include "doc/model.h"
#include "text/line_writer.h"
#include "text/utf8.h"

namespace relconv::text {

namespace {

std::string repeat(char c, int n) { return std::string(static_cast<size_t>(std::max(n, 0)), c); }

std::string pad(const std::string& s, int width, Align align) {
  int w = display_width(s);
  int extra = std::max(0, width - w);
  switch (align) {
    case Align::Right: return repeat(' ', extra) + s;
    case Align::Center: return repeat(' ', extra / 2) + s + repeat(' ', extra - extra / 2);
    default: return s + repeat(' ', extra);
  }
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Links of one chapter, numbered in order of first use.
class LinkTable {
 public:
  int number(const std::string& url) {
    auto it = numbers_.find(url);
    if (it != numbers_.end()) return it->second;
    urls_.push_back(url);
    return numbers_[url] = static_cast<int>(urls_.size());
  }
  const std::vector<std::string>& urls() const { return urls_; }

 private:
  std::map<std::string, int> numbers_;
  std::vector<std::string> urls_;
};

class Renderer {
 public:
  Renderer(const RenderContext& ctx, std::string& out) : ctx_(ctx), out_(out) {}

  void document() {
    const Document& doc = ctx_.doc;
    if (doc.is_book() && !doc.meta.title.empty()) {
      LineWriter w(out_, ctx_.options.columns);
      title_block(w, doc.meta, '#');
      w.finish();
    }
    bool first = true;
    for (const Chapter& ch : doc.chapters) {
      if (!first) out_ += "\n\n";
      if (doc.is_book() && !doc.meta.title.empty() && first) out_ += "\n";
      first = false;
      chapter(ch);
    }
  }

 private:
  void chapter(const Chapter& ch) {
    LineWriter w(out_, ctx_.options.columns);
    links_ = LinkTable();
    if (!ch.meta.title.empty()) title_block(w, ch.meta, '=');
    blocks(w, ch.blocks, false);
    if (!ch.footnotes.empty()) {
      w.verbatim(repeat('-', 8));
      w.end_block();
      for (const Footnote& fn : ch.footnotes) {
        std::string mark = "[^" + std::to_string(fn.number) + "] ";
        w.push_prefix(mark, repeat(' ', display_width(mark)));
        blocks(w, fn.blocks, false);
        w.pop_prefix();
        w.end_block();
      }
    }
    if (!links_.urls().empty()) {
      int width = static_cast<int>(std::to_string(links_.urls().size()).size()) + 3;
      for (size_t i = 0; i < links_.urls().size(); ++i) {
        std::string mark = pad("[" + std::to_string(i + 1) + "]", width - 1, Align::Left) + " ";
        w.push_prefix(mark, repeat(' ', width));
        w.glue(links_.urls()[i]);
        w.pop_prefix();
      }
      w.end_block();
    }
    w.finish();
  }

  void title_block(LineWriter& w, const Metadata& m, char rule) {
    int title_w = std::min(display_width(m.title), ctx_.options.columns);
    w.verbatim(repeat(rule, title_w));
    w.text(m.title);
    w.line_break();
    w.verbatim(repeat(rule, title_w));
    if (!m.subtitle.empty()) {
      w.text(m.subtitle);
      w.line_break();
    }
    std::string byline;
    for (size_t i = 0; i < m.authors.size(); ++i) byline += (i ? ", " : "") + m.authors[i];
    // An ISO date loses its time; a date the parser could not read is shown as written.
    std::string date = m.date.empty() ? m.date_text : m.date.substr(0, 10);
    if (!date.empty()) byline += (byline.empty() ? "" : ", ") + date;
    std::string updated = m.updated.substr(0, 10);
    if (!updated.empty() && updated != date) byline += " (updated " + updated + ")";
    if (!byline.empty()) {
      w.text(byline);
      w.line_break();
    }
    w.end_block();
  }

  void blocks(LineWriter& w, const std::vector<Block>& bs, bool tight) {
    for (const Block& b : bs) block(w, b, tight);
  }

  void end(LineWriter& w, bool tight) {
    if (tight)
      w.line_break();
    else
      w.end_block();
  }

  void block(LineWriter& w, const Block& b, bool tight) {
    switch (b.kind) {
      case BlockKind::Paragraph:
        inlines(w, b.inlines);
        end(w, tight);
        break;
      case BlockKind::Heading:
        heading(w, b);
        break;
      case BlockKind::BlockQuote:
        w.push_prefix("> ", "> ");
        blocks(w, b.children, false);
        w.pop_prefix();
        w.end_block();
        break;
      case BlockKind::List:
        list(w, b, tight);
        break;
      case BlockKind::CodeBlock:
        code(w, b.literal);
        w.end_block();
        break;
      case BlockKind::ThematicBreak:
        w.verbatim("    * * *");
        w.end_block();
        break;
      case BlockKind::Table:
        table(w, *b.table);
        w.end_block();
        break;
      case BlockKind::Figure:
        inlines(w, b.inlines);
        if (!b.caption.empty()) {
          w.line_break();
          inlines(w, b.caption);
        }
        end(w, tight);
        break;
      case BlockKind::DefinitionList:
        for (const DefinitionItem& item : b.definitions) {
          inlines(w, item.term);
          w.line_break();
          for (const auto& def : item.definitions) {
            w.push_prefix("    ", "    ");
            blocks(w, def, false);
            w.pop_prefix();
          }
          w.end_block();
        }
        break;
      case BlockKind::Div:
        blocks(w, b.children, tight);
        break;
      case BlockKind::RawHtml:
        code(w, b.literal);
        w.end_block();
        break;
    }
  }

  void heading(LineWriter& w, const Block& b) {
    if (b.level <= 2) {
      std::string text;
      LineWriter hw(text, w.columns() - w.prefix_width());
      inlines(hw, b.inlines);
      hw.finish();
      int width = 0;
      for (const auto& line : split_lines(text)) {
        w.verbatim(line);
        width = std::max(width, display_width(line));
      }
      w.verbatim(repeat(b.level == 1 ? '=' : '-', width));
    } else {
      std::string mark = repeat('#', b.level) + " ";
      w.push_prefix(mark, repeat(' ', display_width(mark)));
      inlines(w, b.inlines);
      w.pop_prefix();
    }
    w.end_block();
  }

  // `in_tight`: the list sits in an item of a tight list, so no blank line follows it.
  void list(LineWriter& w, const Block& b, bool in_tight) {
    int last = b.list.start + static_cast<int>(b.items.size()) - 1;
    int number_width = static_cast<int>(std::to_string(std::max(last, b.list.start)).size()) + 2;
    int n = b.list.start;
    static const char* const bullets[] = {"-", "*", "+"};
    for (const ListItem& item : b.items) {
      std::string mark;
      if (b.list.ordered)
        mark = pad(std::to_string(n++) + b.list.delimiter, number_width - 1, Align::Left) + " ";
      else
        mark = std::string(bullets[bullet_depth_ % 3]) + " ";
      int indent = display_width(mark);
      if (item.task == TaskState::Checked) mark += "[x] ";
      if (item.task == TaskState::Unchecked) mark += "[ ] ";
      w.push_prefix(mark, repeat(' ', indent));
      ++bullet_depth_;
      if (item.blocks.empty()) w.glue("");
      blocks(w, item.blocks, b.list.tight);
      --bullet_depth_;
      w.pop_prefix();
      if (!b.list.tight) w.end_block();
    }
    end(w, in_tight);
  }

  void code(LineWriter& w, const std::string& literal) {
    w.push_prefix("    ", "    ");
    for (const std::string& line : split_lines(literal)) {
      // Tabs to spaces (stops every 8 columns), so the code keeps its shape when indented.
      std::string expanded;
      int col = 0;
      size_t i = 0;
      while (i < line.size()) {
        if (line[i] == '\t') {
          int n = 8 - col % 8;
          expanded.append(static_cast<size_t>(n), ' ');
          col += n;
          ++i;
        } else {
          size_t start = i;
          char32_t cp = utf8_decode(line, i);
          expanded.append(line, start, i - start);
          col += display_width(cp);
        }
      }
      w.verbatim(expanded);
    }
    w.pop_prefix();
  }

  // One cell's inlines as lines no wider than `width` (a word longer than that overflows).
  std::vector<std::string> cell_lines(const TableCell& cell, int width) {
    std::string text;
    LineWriter cw(text, std::max(width, 1));
    inlines(cw, cell.inlines);
    cw.finish();
    return split_lines(text);
  }

  void table(LineWriter& w, const TableData& t) {
    const size_t ncols = t.columns();
    if (ncols == 0) return;
    // Natural width (all on one line) and minimum width (longest word) of each column,
    // from the cells that span one column.
    std::vector<int> natural(ncols, 1), minimum(ncols, 1);
    const int huge = 1 << 20;
    for (const TableRow& row : t.rows) {
      size_t col = 0;
      for (const TableCell& cell : row.cells) {
        if (col >= ncols) break;
        if (cell.colspan <= 1) {
          for (const auto& line : cell_lines(cell, huge)) natural[col] = std::max(natural[col], display_width(line));
          for (const auto& line : cell_lines(cell, 1)) minimum[col] = std::max(minimum[col], display_width(line));
        }
        col += static_cast<size_t>(std::max(cell.colspan, 1));
      }
    }
    const int available = w.columns() - w.prefix_width() - static_cast<int>(3 * ncols + 1);
    std::vector<int> widths = natural;
    int total = 0;
    for (int x : natural) total += x;
    if (total > available) {
      int min_total = 0, slack = 0;
      for (size_t c = 0; c < ncols; ++c) {
        min_total += minimum[c];
        slack += natural[c] - minimum[c];
      }
      int spare = std::max(0, available - min_total);
      for (size_t c = 0; c < ncols; ++c) {
        int share = slack > 0 ? static_cast<int>(static_cast<long>(natural[c] - minimum[c]) * spare / slack) : 0;
        widths[c] = minimum[c] + share;
      }
    }
    auto border = [&](char fill) {
      std::string line = "+";
      for (int width : widths) line += repeat(fill, width + 2) + "+";
      w.verbatim(line);
    };
    border('-');
    bool header_done = false;
    for (size_t r = 0; r < t.rows.size(); ++r) {
      const TableRow& row = t.rows[r];
      // Lay out each cell of the row in its (possibly spanned) width.
      struct Laid {
        std::vector<std::string> lines;
        int width;
        Align align;
      };
      std::vector<Laid> laid;
      size_t col = 0;
      size_t height = 1;
      for (const TableCell& cell : row.cells) {
        if (col >= ncols) break;
        size_t span = std::min(static_cast<size_t>(std::max(cell.colspan, 1)), ncols - col);
        int width = 0;
        for (size_t k = 0; k < span; ++k) width += widths[col + k];
        width += static_cast<int>(3 * (span - 1));
        Laid l{cell_lines(cell, width), width, t.aligns[col]};
        height = std::max(height, l.lines.size());
        laid.push_back(std::move(l));
        col += span;
      }
      while (col < ncols) laid.push_back(Laid{{}, widths[col++], Align::None});
      for (size_t i = 0; i < height; ++i) {
        std::string line = "|";
        for (const Laid& l : laid) line += " " + pad(i < l.lines.size() ? l.lines[i] : "", l.width, l.align) + " |";
        w.verbatim(line);
      }
      bool next_is_body = r + 1 < t.rows.size() && !t.rows[r + 1].header;
      if (row.header && next_is_body && !header_done) {
        border('=');
        header_done = true;
      } else {
        border('-');
      }
    }
  }

  void inlines(LineWriter& w, const std::vector<Inline>& ins) {
    for (const Inline& in : ins) inline_(w, in);
  }

  void wrapped(LineWriter& w, const char* open, const std::vector<Inline>& children, const char* close) {
    w.glue(open);
    inlines(w, children);
    w.glue(close);
  }

  void inline_(LineWriter& w, const Inline& in) {
    switch (in.kind) {
      case InlineKind::Text: w.text(in.literal); break;
      case InlineKind::Emph: wrapped(w, "_", in.children, "_"); break;
      case InlineKind::Strong: wrapped(w, "*", in.children, "*"); break;
      case InlineKind::Strike: wrapped(w, "~~", in.children, "~~"); break;
      case InlineKind::Superscript: wrapped(w, "^", in.children, ""); break;
      case InlineKind::Subscript: wrapped(w, "_", in.children, ""); break;
      case InlineKind::Small: inlines(w, in.children); break;
      case InlineKind::Kbd: wrapped(w, "[", in.children, "]"); break;
      case InlineKind::Code:
        w.glue("`");
        w.text(in.literal);
        w.glue("`");
        break;
      case InlineKind::Link: {
        inlines(w, in.children);
        std::string text = plain_text(in.children);
        std::string url = in.url;
        bool same = text == url || "mailto:" + text == url || url.empty() || url[0] == '#';
        if (!same) w.glue("[" + std::to_string(links_.number(url)) + "]");
        break;
      }
      case InlineKind::Image: {
        std::string alt = plain_text(in.children);
        if (alt.empty()) {
          w.glue("[image]");
        } else {
          w.glue("[image: ");
          inlines(w, in.children);
          w.glue("]");
        }
        break;
      }
      case InlineKind::SoftBreak: w.space(); break;
      case InlineKind::HardBreak: w.line_break(); break;
      case InlineKind::FootnoteRef: w.glue("[^" + std::to_string(in.note) + "]"); break;
    }
  }

  const RenderContext& ctx_;
  std::string& out_;
  LinkTable links_;
  int bullet_depth_ = 0;
};

class TextBackend final : public Backend {
 public:
  const char* name() const override { return "txt"; }
  std::vector<std::string> aliases() const override { return {"plain", "text"}; }
  std::vector<std::string> extensions() const override { return {".txt"}; }
  const char* description() const override { return "plain text, wrapped for terminals and email"; }
  void render(const RenderContext& ctx, std::string& out) const override {
    Renderer r(ctx, out);
    r.document();
  }
};

}  // namespace

const Backend& backend() {
  static const TextBackend instance;
  return instance;
}

}  // namespace relconv::text
