// Markdown to model: runs cmark-gfm and converts its tree once into relconv's model.
//
// What this fixes up on the way, because real posts need it:
// - front matter is split off first (cmark-gfm would read it as a rule and a heading), and
//   positions are shifted back to lines of the original file, columns counted in
//   characters (cmark-gfm counts bytes);
// - a link with no text (`# [](https://…)`, an anchor left by blog exports) is dropped from
//   headings, and a heading left empty is dropped; elsewhere such a link shows its URL;
// - raw HTML goes to the HTML interpreter (html.cpp); text that only looks like a tag
//   (`<module>`) comes back as literal text;
// - containers nested deeper than ParseOptions::max_nesting are flattened (their content
//   kept), so no backend recurses without bound;
// - a line with more table cells than ParseOptions::max_table_columns has its pipes escaped
//   before cmark-gfm sees it (its table code is quadratic in the cells of a row: 15,000
//   columns take 20 s), so it shows as text, with a warning.
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/modules.h"
#include "parse/cmark_arena.h"
#include "parse/definitions.h"
#include "parse/front_matter.h"
#include "parse/html.h"
#include "parse/inlines.h"
#include "parse/parse.h"
#include "parse/title.h"
#include "text/utf8.h"

// Exported by libcmark-gfm-extensions but declared in no installed header.
extern "C" {
extern cmark_node_type CMARK_NODE_TABLE;
extern cmark_node_type CMARK_NODE_TABLE_ROW;
extern cmark_node_type CMARK_NODE_TABLE_CELL;
extern cmark_node_type CMARK_NODE_STRIKETHROUGH;
}

extern "C" void relconv_cmark_tables_unchanged(cmark_parser*, int);
// Defined in the relconv program when it links cmark-gfm statically (src/cli/cmark_static.cpp).
extern "C" void relconv_cmark_fix_tables() __attribute__((weak));

// Defined in html.cpp: in relconv_core, or in the module relconv-html.so.
extern "C" const relconv::detail::HtmlInterpreter* relconv_html_interpreter() __attribute__((weak));

namespace relconv {

const detail::HtmlInterpreter& detail::html_interpreter() {
  using Entry = const HtmlInterpreter* (*)();
  static const HtmlInterpreter* const interpreter =
      relconv_html_interpreter ? relconv_html_interpreter()
                               : reinterpret_cast<Entry>(load_module("html", "relconv_html_interpreter"))();
  return *interpreter;
}

using detail::has_visible_content;
using detail::is_active_url;
using detail::is_blank_text;
using detail::merge_texts;
using detail::trim_inlines;

namespace {

// The lines of the body whose table pipes were escaped (bound_table_cells): the line as
// written and the offsets, in the escaped line, of the backslashes put in.
struct EscapedLine {
  std::string original;
  std::vector<size_t> inserted;
};
using EscapedLines = std::map<size_t, EscapedLine>;  // by 0-based line of the body

// Counts the cells a GFM table row on this line would have: the pipes that are not
// escaped by a backslash, plus one, less a leading and a trailing pipe.
size_t table_cells(std::string_view line, std::vector<size_t>* pipes = nullptr) {
  size_t count = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
    } else if (line[i] == '|') {
      ++count;
      if (pipes) pipes->push_back(i);
    }
  }
  if (count == 0) return 0;
  size_t b = line.find_first_not_of(" \t>");
  size_t e = line.find_last_not_of(" \t");
  size_t cells = count + 1;
  if (b != std::string_view::npos && line[b] == '|') --cells;
  if (e != std::string_view::npos && line[e] == '|' && e != b) --cells;
  return cells;
}

// cmark-gfm 0.29's table extension takes time quadratic in the cells of a row (about 20 s
// for one row of 15,000 cells, whether it is the header, the delimiter row or a body row;
// the fixes of CVE-2023-37463 and friends came later). A line with more cells than the
// limit gets a backslash before each of its pipes, so cmark-gfm reads it as text (in a
// paragraph) or as one cell (in a table): linear, and no word is lost. Returns the body to
// parse: `body` itself when no line was too wide, else `storage` filled with the escaped
// copy. Code blocks put their original lines back in Converter (undo_escapes).
std::string_view bound_table_cells(std::string_view body, int max_cells, const std::string* file,
                                   uint32_t first_line, Diagnostics& diag, std::string& storage,
                                   EscapedLines& escaped) {
  if (max_cells <= 0) return body;
  size_t start = 0, line = 0, copied = 0;
  size_t limit = static_cast<size_t>(max_cells);
  while (start < body.size()) {
    size_t eol = body.find('\n', start);
    size_t end = eol == std::string_view::npos ? body.size() : eol;
    std::string_view l = body.substr(start, end - start);
    // Fast path: a line with fewer pipes than the limit cannot be too wide.
    if (static_cast<size_t>(std::count(l.begin(), l.end(), '|')) > limit) {
      std::vector<size_t> pipes;
      size_t cells = table_cells(l, &pipes);
      if (cells > limit) {
        if (escaped.empty()) storage.reserve(body.size() + pipes.size());
        storage.append(body.substr(copied, start - copied));
        EscapedLine e;
        e.original = std::string(l);
        std::string out;
        out.reserve(l.size() + pipes.size());
        size_t from = 0;
        for (size_t p : pipes) {
          out.append(l.substr(from, p - from));
          e.inserted.push_back(out.size());
          out += '\\';
          from = p;
        }
        out.append(l.substr(from));
        storage += out;
        copied = end;
        if (escaped.size() < 10)
          diag.warning(SourcePos{file, first_line + static_cast<uint32_t>(line), 1},
                       "a table row of " + std::to_string(cells) + " cells is more than the limit of " +
                           std::to_string(limit) + " (see --max-table-columns); it is shown as text");
        else if (escaped.size() == 10)
          diag.warning(SourcePos{file, first_line + static_cast<uint32_t>(line), 1},
                       "more table rows over the limit of " + std::to_string(limit) + " cells are shown as text");
        escaped.emplace(line, std::move(e));
      }
    }
    if (eol == std::string_view::npos) break;
    start = eol + 1;
    ++line;
  }
  if (escaped.empty()) return body;
  storage.append(body.substr(copied));
  return storage;
}

cmark_parser* new_parser(cmark_mem* mem = cmark_get_default_mem_allocator()) {
  cmark_parser* parser = cmark_parser_new_with_mem(CMARK_OPT_FOOTNOTES, mem);
  for (const char* ext : {"table", "strikethrough", "autolink", "tagfilter", "tasklist"})
    if (cmark_syntax_extension* e = cmark_find_syntax_extension(ext)) cmark_parser_attach_syntax_extension(parser, e);
  return parser;
}

// cmark-gfm 0.29 keeps the characters that start an extension's inlines ('~' for
// strikethrough, ':' and 'w' for autolinks) in process-wide tables, which each parser sets
// when it starts on inlines (in cmark_parser_finish) and clears when it is done, through
// cmark_manage_extensions_special_characters. Two parsers at once on different threads
// cleared each other's characters: a book or batch made on several threads missed a
// `~a~` now and then. Every parser here has the same extensions, so the tables are set
// once, and this program's version of that function (below) makes the library's
// set-and-clear do nothing. Where the library is linked statically its own version stays
// in use: the relconv program then routes the calls beneath it (src/cli/cmark_static.cpp);
// any other program linking a static cmark-gfm takes turns at inline parsing instead.
bool tables_are_shared() {
  static const bool shared = [] {
    cmark_gfm_core_extensions_ensure_registered();
    if (relconv_cmark_fix_tables) {
      cmark_parser* parser = new_parser();
      cmark_manage_extensions_special_characters(parser, 1);
      cmark_parser_free(parser);
      relconv_cmark_fix_tables();
      return true;
    }
    using Manage = void (*)(cmark_parser*, int);
    void* active = dlsym(RTLD_DEFAULT, "cmark_manage_extensions_special_characters");
    auto library = reinterpret_cast<Manage>(dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters"));
    if (active != reinterpret_cast<void*>(&relconv_cmark_tables_unchanged) || !library) return false;
    cmark_parser* parser = new_parser();
    library(parser, 1);
    cmark_parser_free(parser);
    return true;
  }();
  return shared;
}

// Runs cmark-gfm with the GFM extensions and footnotes, allocating with `mem`; the caller
// frees the tree (or its arena).
cmark_node* run_cmark(std::string_view text, cmark_mem* mem) {
  const bool shared = tables_are_shared();
  cmark_parser* parser = new_parser(mem);
  cmark_parser_feed(parser, text.data(), text.size());
  cmark_node* root;
  if (shared) {
    root = cmark_parser_finish(parser);
  } else {
    static std::mutex inline_tables;
    std::lock_guard<std::mutex> lock(inline_tables);
    root = cmark_parser_finish(parser);
  }
  cmark_parser_free(parser);
  return root;
}

// Maps cmark-gfm's (line, byte column) in the body to the original file's (line, char
// column).
class LineIndex {
 public:
  LineIndex(std::string_view body, uint32_t first_line, const EscapedLines& escaped)
      : body_(body), first_line_(first_line), escaped_(escaped) {
    starts_.push_back(0);
    for (size_t i = 0; i < body.size(); ++i)
      if (body[i] == '\n') starts_.push_back(i + 1);
  }

  SourcePos at(const std::string* file, int line, int byte_col) const {
    SourcePos p;
    p.file = file;
    if (line <= 0) return p;
    p.line = first_line_ + static_cast<uint32_t>(line) - 1;
    p.col = static_cast<uint32_t>(byte_col > 0 ? byte_col : 1);
    size_t idx = static_cast<size_t>(line) - 1;
    if (idx < starts_.size() && byte_col > 1) {
      size_t start = starts_[idx];
      size_t len = std::min(static_cast<size_t>(byte_col - 1), body_.size() - start);
      p.col = static_cast<uint32_t>(utf8_length(body_.substr(start, len))) + 1;
      // Backslashes bound_table_cells() put in are not in the file.
      auto e = escaped_.find(idx);
      if (e != escaped_.end())
        for (size_t at : e->second.inserted)
          if (at < len && p.col > 1) --p.col;
    }
    return p;
  }

  // A code block's text as written: lines that bound_table_cells() escaped are put back.
  // `first` is the 0-based body line of the literal's first line.
  std::string undo_escapes(const std::string& literal, int first_line) const {
    if (escaped_.empty() || first_line < 1) return literal;
    std::string out;
    size_t start = 0;
    size_t idx = static_cast<size_t>(first_line) - 1;
    while (start < literal.size()) {
      size_t eol = literal.find('\n', start);
      size_t end = eol == std::string::npos ? literal.size() : eol;
      std::string_view l(literal.data() + start, end - start);
      auto e = escaped_.find(idx);
      size_t line_start = idx < starts_.size() ? starts_[idx] : body_.size();
      size_t line_end = body_.find('\n', line_start);
      std::string_view src = body_.substr(line_start, line_end == std::string_view::npos ? body_.npos : line_end - line_start);
      if (e != escaped_.end() && src.size() >= l.size() && src.substr(src.size() - l.size()) == l) {
        // The literal is the escaped line less a prefix (indentation, container markers).
        size_t k = src.size() - l.size(), before = 0;
        for (size_t at : e->second.inserted)
          if (at < k) ++before;
        out += e->second.original.substr(k - before);
      } else {
        out += l;
      }
      if (eol == std::string::npos) break;
      out += '\n';
      start = eol + 1;
      ++idx;
    }
    return out;
  }

 private:
  std::string_view body_;
  uint32_t first_line_;
  const EscapedLines& escaped_;
  std::vector<size_t> starts_;
};

class Converter {
 public:
  Converter(const std::string* file, const LineIndex& index, Diagnostics& diag, const ParseOptions& options,
            const std::string& base_dir)
      : file_(file), index_(index), diag_(diag), options_(options), base_dir_(base_dir) {}

  void document(cmark_node* root, Chapter& chapter) {
    // Footnote definitions come last, in order of first reference; reference n points at
    // the nth of them (cmark-gfm keeps labels private).
    for (cmark_node* n = cmark_node_first_child(root); n; n = cmark_node_next(n))
      if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) footnote_defs_.push_back(n);
    // Each top-level block's cmark-gfm nodes are freed once converted: the tree takes
    // about 30 bytes per byte of input, and the model as much again, so holding both
    // whole nearly doubled the peak memory of a large document.
    for (cmark_node* n = cmark_node_first_child(root); n;) {
      cmark_node* next = cmark_node_next(n);
      block(n, chapter.blocks, 0);
      if (!in_arena_ && cmark_node_get_type(n) != CMARK_NODE_FOOTNOTE_DEFINITION) cmark_node_free(n);
      n = next;
    }
    for (size_t i = 0; i < footnote_defs_.size(); ++i) {
      Footnote fn;
      fn.pos = pos(footnote_defs_[i]);
      fn.number = static_cast<int>(i + 1);
      const char* label = cmark_node_get_literal(footnote_defs_[i]);
      fn.label = label && *label ? label : std::to_string(i + 1);
      blocks(footnote_defs_[i], fn.blocks, 1);
      chapter.footnotes.push_back(std::move(fn));
    }
  }

 private:
  SourcePos pos(cmark_node* n) const {
    return index_.at(file_, cmark_node_get_start_line(n), cmark_node_get_start_column(n));
  }

  void warn_depth(cmark_node* n) {
    if (warned_depth_) return;
    warned_depth_ = true;
    diag_.warning(pos(n), "content nested deeper than " + std::to_string(options_.max_nesting) +
                              " levels is flattened (see --max-nesting)");
  }

  void blocks(cmark_node* parent, std::vector<Block>& out, int depth) {
    for (cmark_node* n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) block(n, out, depth);
  }

  // Calls `leaf` on each descendant of `root` for which `is_leaf` holds, without
  // recursion and without entering the leaves.
  template <class IsLeaf, class Leaf>
  static void for_each_leaf(cmark_node* root, IsLeaf is_leaf, Leaf leaf) {
    cmark_iter* it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
      cmark_node* n = cmark_iter_get_node(it);
      if (ev != CMARK_EVENT_ENTER || n == root || !is_leaf(cmark_node_get_type(n))) continue;
      leaf(n);
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
    }
    cmark_iter_free(it);
  }

  // Past the nesting limit: keep the subtree's leaf blocks, flat.
  void flatten(cmark_node* root, std::vector<Block>& out) {
    warn_depth(root);
    for_each_leaf(
        root,
        [](cmark_node_type t) {
          return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING || t == CMARK_NODE_CODE_BLOCK ||
                 t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_THEMATIC_BREAK || t == CMARK_NODE_TABLE;
        },
        [&](cmark_node* n) { block(n, out, 0); });
  }

  void block(cmark_node* n, std::vector<Block>& out, int depth) {
    cmark_node_type type = cmark_node_get_type(n);
    if (type == CMARK_NODE_FOOTNOTE_DEFINITION) return;  // collected in document()
    bool container = type == CMARK_NODE_BLOCK_QUOTE || type == CMARK_NODE_LIST || type == CMARK_NODE_ITEM;
    if (container && depth >= options_.max_nesting) {
      flatten(n, out);
      return;
    }
    Block b;
    b.pos = pos(n);
    if (type == CMARK_NODE_PARAGRAPH) {
      b.kind = BlockKind::Paragraph;
      inlines(n, b.inlines, 0);
      trim_inlines(b.inlines);
      if (b.inlines.empty()) return;
      make_figure(b);
    } else if (type == CMARK_NODE_HEADING) {
      b.kind = BlockKind::Heading;
      b.level = cmark_node_get_heading_level(n);
      heading_ = true;
      inlines(n, b.inlines, 0);
      heading_ = false;
      trim_inlines(b.inlines);
      // A heading whose only content was an empty link is an anchor, not a heading.
      if (!has_visible_content(b.inlines)) return;
    } else if (type == CMARK_NODE_BLOCK_QUOTE) {
      b.kind = BlockKind::BlockQuote;
      blocks(n, b.children, depth + 1);
    } else if (type == CMARK_NODE_LIST) {
      b.kind = BlockKind::List;
      b.list.ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
      b.list.start = b.list.ordered ? cmark_node_get_list_start(n) : 1;
      b.list.tight = cmark_node_get_list_tight(n) != 0;
      b.list.delimiter = cmark_node_get_list_delim(n) == CMARK_PAREN_DELIM ? ')' : '.';
      for (cmark_node* item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
        ListItem li;
        li.pos = pos(item);
        cmark_syntax_extension* ext = cmark_node_get_syntax_extension(item);
        if (ext && ext == cmark_find_syntax_extension("tasklist"))
          li.task = cmark_gfm_extensions_get_tasklist_item_checked(item) ? TaskState::Checked : TaskState::Unchecked;
        if (depth + 1 >= options_.max_nesting)
          flatten(item, li.blocks);
        else
          blocks(item, li.blocks, depth + 2);
        b.items.push_back(std::move(li));
      }
    } else if (type == CMARK_NODE_CODE_BLOCK) {
      b.kind = BlockKind::CodeBlock;
      const char* lit = cmark_node_get_literal(n);
      b.literal = lit ? lit : "";
      // A fenced block's text starts on the line after its fence.
      int fence_length = 0, fence_offset = 0;
      char fence_char = 0;
      bool fenced = cmark_node_get_fenced(n, &fence_length, &fence_offset, &fence_char) != 0;
      b.literal = index_.undo_escapes(b.literal, cmark_node_get_start_line(n) + (fenced ? 1 : 0));
      const char* info = cmark_node_get_fence_info(n);
      std::string s = info ? info : "";
      b.info = s.substr(0, s.find_first_of(" \t{"));
    } else if (type == CMARK_NODE_HTML_BLOCK) {
      const char* lit = cmark_node_get_literal(n);
      html_block(lit ? lit : "", b.pos, out);
      return;
    } else if (type == CMARK_NODE_THEMATIC_BREAK) {
      b.kind = BlockKind::ThematicBreak;
    } else if (type == CMARK_NODE_TABLE) {
      table(n, b);
    } else if (type == CMARK_NODE_CUSTOM_BLOCK || type == CMARK_NODE_DOCUMENT) {
      blocks(n, out, depth);
      return;
    } else {
      // An extension block relconv does not know: keep its content.
      blocks(n, out, depth);
      return;
    }
    out.push_back(std::move(b));
  }

  // A paragraph holding one image (alone or as the only content of a link) is a figure.
  void make_figure(Block& b) {
    if (b.inlines.size() != 1) return;
    const Inline* img = &b.inlines[0];
    if (img->kind == InlineKind::Link && img->children.size() == 1) img = &img->children[0];
    if (img->kind != InlineKind::Image) return;
    Inline image = *img;
    b.kind = BlockKind::Figure;
    b.inlines.clear();
    b.inlines.push_back(std::move(image));
  }

  void table(cmark_node* n, Block& b) {
    b.kind = BlockKind::Table;
    auto data = std::make_shared<TableData>();
    uint16_t cols = cmark_gfm_extensions_get_table_columns(n);
    uint8_t* aligns = cmark_gfm_extensions_get_table_alignments(n);
    for (uint16_t i = 0; i < cols; ++i) {
      uint8_t a = aligns ? aligns[i] : 0;
      data->aligns.push_back(a == 'l' ? Align::Left : a == 'c' ? Align::Center : a == 'r' ? Align::Right : Align::None);
    }
    for (cmark_node* row = cmark_node_first_child(n); row; row = cmark_node_next(row)) {
      TableRow r;
      r.header = cmark_gfm_extensions_get_table_row_is_header(row) != 0;
      for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
        TableCell c;
        c.pos = pos(cell);
        c.header = r.header;
        inlines(cell, c.inlines, 0);
        trim_inlines(c.inlines);
        r.cells.push_back(std::move(c));
      }
      // GFM rows may be short; pad them so every row has one cell per column.
      while (r.cells.size() < cols) r.cells.push_back(TableCell{pos(row), {}, 1, r.header});
      data->rows.push_back(std::move(r));
    }
    b.table = std::move(data);
  }

  void html_block(const std::string& literal, const SourcePos& p, std::vector<Block>& out) {
    detail::HtmlContext ctx{file_, base_dir_, diag_, options_, {}, 0};
    ctx.reparse_depth = reparse_depth_;
    ctx.parse_markdown = [this](const std::string& md, uint32_t first_line, std::vector<Block>& blocks) {
      // Markdown found inside HTML gets the same table bound as the body.
      std::string bounded;
      EscapedLines escaped;
      std::string_view text =
          bound_table_cells(md, options_.max_table_columns, file_, first_line, diag_, bounded, escaped);
      std::optional<detail::CmarkArena> arena;
      if (text.size() <= detail::CmarkArena::kMaxArenaInput) arena.emplace();
      cmark_node* root = run_cmark(text, arena ? detail::CmarkArena::mem() : cmark_get_default_mem_allocator());
      LineIndex index(text, first_line, escaped);
      Converter sub(file_, index, diag_, options_, base_dir_);
      sub.reparse_depth_ = reparse_depth_ + 1;
      sub.warned_depth_ = warned_depth_;
      sub.blocks(root, blocks, 0);
      if (!arena) cmark_node_free(root);
    };
    detail::html_interpreter().block(literal, p, ctx, out);
  }

  void inlines(cmark_node* parent, std::vector<Inline>& out, int depth) {
    for (cmark_node* n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) inline_node(n, out, depth);
    merge_texts(out);
    if (!detail::has_raw_html(out)) return;
    detail::HtmlContext ctx{file_, base_dir_, diag_, options_, {}, 0};
    detail::html_interpreter().inlines(out, ctx);
  }

  void flatten_inlines(cmark_node* root, std::vector<Inline>& out) {
    warn_depth(root);
    for_each_leaf(
        root,
        [](cmark_node_type t) {
          return t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK;
        },
        [&](cmark_node* n) { inline_node(n, out, 0); });
  }

  void inline_node(cmark_node* n, std::vector<Inline>& out, int depth) {
    cmark_node_type type = cmark_node_get_type(n);
    Inline in;
    in.pos = pos(n);
    auto literal = [&]() -> std::string {
      const char* s = cmark_node_get_literal(n);
      return s ? s : "";
    };
    auto children = [&](InlineKind kind) {
      in.kind = kind;
      if (depth >= options_.max_nesting)
        flatten_inlines(n, in.children);
      else
        inlines(n, in.children, depth + 1);
    };
    if (type == CMARK_NODE_TEXT) {
      in.kind = InlineKind::Text;
      in.literal = literal();
    } else if (type == CMARK_NODE_SOFTBREAK) {
      in.kind = InlineKind::SoftBreak;
    } else if (type == CMARK_NODE_LINEBREAK) {
      in.kind = InlineKind::HardBreak;
    } else if (type == CMARK_NODE_CODE) {
      in.kind = InlineKind::Code;
      in.literal = literal();
    } else if (type == CMARK_NODE_HTML_INLINE) {
      // One tag at a time; interpret_inline_html() reassembles them after the walk.
      in.kind = InlineKind::Text;
      in.literal = literal();
      in.url = detail::kRawHtmlMarker;
    } else if (type == CMARK_NODE_EMPH) {
      children(InlineKind::Emph);
    } else if (type == CMARK_NODE_STRONG) {
      children(InlineKind::Strong);
    } else if (type == CMARK_NODE_STRIKETHROUGH) {
      children(InlineKind::Strike);
    } else if (type == CMARK_NODE_LINK) {
      children(InlineKind::Link);
      const char* url = cmark_node_get_url(n);
      const char* title = cmark_node_get_title(n);
      in.url = url ? url : "";
      in.title = title ? title : "";
      merge_texts(in.children);
      if (is_active_url(in.url)) {
        // The link goes; its text stays (as html.cpp does for <a href="javascript:…">).
        diag_.warning(in.pos, "link to '" + in.url.substr(0, 40) + "' removed (it would run code)");
        for (Inline& c : in.children) out.push_back(std::move(c));
        return;
      }
      if (!has_visible_content(in.children)) {
        if (heading_ || in.url.empty()) return;  // an anchor: nothing to show
        in.children.clear();
        Inline text;
        text.kind = InlineKind::Text;
        text.pos = in.pos;
        text.literal = in.url;
        in.children.push_back(std::move(text));
      }
    } else if (type == CMARK_NODE_IMAGE) {
      children(InlineKind::Image);
      const char* url = cmark_node_get_url(n);
      const char* title = cmark_node_get_title(n);
      in.url = url ? url : "";
      in.title = title ? title : "";
      if (is_active_url(in.url)) {
        diag_.warning(in.pos, "image '" + in.url.substr(0, 40) + "' removed (it would run code); showing its alt text");
        for (Inline& c : in.children) out.push_back(std::move(c));
        return;
      }
    } else if (type == CMARK_NODE_FOOTNOTE_REFERENCE) {
      in.kind = InlineKind::FootnoteRef;
      in.note = std::atoi(literal().c_str());
      in.literal = literal();
      if (in.note <= 0 || static_cast<size_t>(in.note) > footnote_defs_.size()) {
        in.kind = InlineKind::Text;
        in.literal = "[^" + in.literal + "]";
      }
    } else {
      // An inline extension relconv does not know: keep its text.
      children(InlineKind::Emph);
      for (Inline& c : in.children) out.push_back(std::move(c));
      return;
    }
    out.push_back(std::move(in));
  }

  const std::string* file_;
  const LineIndex& index_;
  Diagnostics& diag_;
  const ParseOptions& options_;
  const std::string& base_dir_;
  std::vector<cmark_node*> footnote_defs_;
  bool heading_ = false;
  bool warned_depth_ = false;
  int reparse_depth_ = 0;
  bool in_arena_ = false;  // the tree goes with its arena, not node by node

 public:
  void tree_in_arena(bool yes) { in_arena_ = yes; }
};

// Reports invalid UTF-8 and NUL bytes at their line and column in the original bytes.
void report_bad_bytes(std::string_view bytes, const std::vector<size_t>& bad, const std::string* file,
                      Diagnostics& diag) {
  uint32_t line = 1;
  size_t line_start = 0, scanned = 0;
  size_t shown = 0;
  for (size_t off : bad) {
    for (; scanned < off; ++scanned)
      if (bytes[scanned] == '\n') {
        ++line;
        line_start = scanned + 1;
      }
    if (shown++ == 10) {
      diag.warning(SourcePos{file, line, 0}, std::to_string(bad.size() - 10) + " more invalid bytes replaced");
      break;
    }
    uint32_t col = static_cast<uint32_t>(utf8_length(bytes.substr(line_start, off - line_start))) + 1;
    diag.warning(SourcePos{file, line, col}, bytes[off] == '\0' ? "NUL byte replaced with U+FFFD"
                                                                : "invalid UTF-8 replaced with U+FFFD");
  }
}

std::string too_large_message(size_t size, size_t limit, bool at_least);

}  // namespace

Chapter parse_markdown(std::string_view bytes, const std::string& name, const std::string& base_dir,
                       Diagnostics& diag, const ParseOptions& options) {
  Chapter chapter;
  chapter.source = std::make_shared<const std::string>(name);
  chapter.base_dir = base_dir;
  const std::string* file = chapter.source.get();

  if (bytes.size() > options.max_input_bytes)
    throw Error(SourcePos{file, 0, 0}, too_large_message(bytes.size(), options.max_input_bytes, false));

  // A byte order mark is not content.
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xEF\xBB\xBF") == 0) bytes.remove_prefix(3);

  // Valid UTF-8 with LF line endings (nearly every input) is read where it lies; anything
  // else is cleaned into a copy.
  std::string cleaned;
  std::string_view text = bytes;
  if (!utf8_is_clean(bytes) || bytes.find('\r') != std::string_view::npos) {
    std::vector<size_t> bad;
    if (!utf8_sanitize(bytes, cleaned, &bad)) report_bad_bytes(bytes, bad, file, diag);
    // CRLF and lone CR line endings become LF (line numbers stay the same).
    if (cleaned.find('\r') != std::string::npos) {
      std::string lf;
      lf.reserve(cleaned.size());
      for (size_t i = 0; i < cleaned.size(); ++i) {
        if (cleaned[i] == '\r') {
          if (i + 1 < cleaned.size() && cleaned[i + 1] == '\n') continue;
          lf += '\n';
        } else {
          lf += cleaned[i];
        }
      }
      cleaned.swap(lf);
    }
    text = cleaned;
  }

  detail::FrontMatter fm = detail::split_front_matter(text, file);
  detail::parse_front_matter(fm, file, chapter.meta, diag, options);
  std::string_view body = std::string_view(text).substr(fm.body_offset);
  uint32_t body_line = fm.body_line;
  // Title lines of man-page dialects (pandoc, go-md2man, ronn: parse/title.h), then the
  // page name and section from a file name like `podman-run.1.md`.
  bool ronn = name.size() > 5 && name.compare(name.size() - 5, 5, ".ronn") == 0;
  size_t skip = detail::read_title_lines(body, file, body_line, chapter.meta, diag, &ronn);
  body.remove_prefix(skip);
  detail::name_from_file_name(name, file, chapter.meta, diag);

  std::string bounded;
  EscapedLines escaped;
  body = bound_table_cells(body, options.max_table_columns, file, body_line, diag, bounded, escaped);
  // A document's tree lives in an arena (parse/cmark_arena.h), but a large one is freed a
  // top-level block at a time as it is converted, which bounds the peak memory.
  std::optional<detail::CmarkArena> arena;
  if (body.size() <= detail::CmarkArena::kMaxArenaInput) arena.emplace();
  cmark_node* root = run_cmark(body, arena ? detail::CmarkArena::mem() : cmark_get_default_mem_allocator());
  LineIndex index(body, body_line, escaped);
  Converter conv(file, index, diag, options, chapter.base_dir);
  conv.tree_in_arena(arena.has_value());
  conv.document(root, chapter);
  if (!arena) cmark_node_free(root);
  detail::read_definition_lists(chapter.blocks);
  if (ronn) detail::read_ronn_conventions(chapter.blocks);
  for (Footnote& fn : chapter.footnotes) detail::read_definition_lists(fn.blocks);
  return chapter;
}

namespace {

std::string too_large_message(size_t size, size_t limit, bool at_least) {
  std::string how_big = at_least ? "" : std::to_string((size + (1u << 20) - 1) >> 20) + " MiB, ";
  return "input is " + how_big + "more than the limit of " + std::to_string(limit >> 20) +
         " MiB (raise it with --max-input-size)";
}

// Reads a whole input, but never more than `limit` bytes: standard input, a pipe or
// /dev/zero could otherwise fill the memory before the size is known. A folder is an
// error of its own (an ifstream "reads" it as empty).
std::string read_bounded(const std::string& path, const std::string& name, size_t limit) {
  int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(name, std::string("cannot read input: ") + std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() {
      if (fd > 0) ::close(fd);
    }
  } closer{fd};
  struct stat st;
  if (fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode))
      throw Error(name, "cannot read input: it is a folder (--out-dir converts the Markdown files in folders)");
    if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > limit)
      throw Error(name, too_large_message(static_cast<size_t>(st.st_size), limit, false));
  }
  std::string data;
  if (S_ISREG(st.st_mode)) data.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(name, std::string("cannot read input: ") + std::strerror(errno));
    }
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > limit) throw Error(name, too_large_message(limit, limit, true));
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

}  // namespace

Chapter parse_file(const std::string& path, Diagnostics& diag, const ParseOptions& options) {
  std::string name = path == "-" ? "<stdin>" : path;
  std::string data = read_bounded(path, name, options.max_input_bytes);
  std::string base_dir = ".";
  if (path != "-") {
    size_t slash = path.rfind('/');
    base_dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  }
  return parse_markdown(data, name, base_dir, diag, options);
}

Document single_document(Chapter chapter) {
  Document doc;
  doc.meta = chapter.meta;
  doc.chapters.push_back(std::move(chapter));
  assign_ids(doc);
  return doc;
}

void set_metadata(Metadata& meta, const std::string& key, const std::string& yaml_value, Diagnostics& diag,
                  const SourcePos& pos) {
  // Without a position, messages name the option: "-M tags:1:5: error: …", the column
  // counted in the value.
  const std::string name = "-M " + key;
  SourcePos at = pos.file ? pos : SourcePos{&name, 1, 1};
  detail::apply_meta_value(meta, key, detail::parse_yaml_value(yaml_value, at, "the value of -M " + key), at, diag);
  // `name` dies here: keep no pointer to it.
  if (!pos.file) meta.positions[key] = pos;
}

void read_metadata_file(Metadata& meta, const std::string& path, Diagnostics& diag, const ParseOptions& options) {
  auto name = std::make_shared<const std::string>(path);
  std::string text = read_bounded(path, path, options.max_input_bytes);
  // Metadata files may be YAML documents with or without --- fences.
  std::string_view yaml = text;
  uint32_t first_line = 1;
  if (yaml.rfind("---\n", 0) == 0) {
    yaml.remove_prefix(4);
    first_line = 2;
    size_t end = yaml.find("\n---");
    if (end != std::string_view::npos) yaml = yaml.substr(0, end + 1);
  }
  detail::parse_yaml_metadata(yaml, first_line, name.get(), meta, diag, options, "metadata file");
  // Positions point at `name`, which dies here: forget them rather than dangle.
  meta.positions.clear();
}

}  // namespace relconv

// See tables_are_shared() above: the library's own calls, at the start and end of each
// parser's inline parsing, do nothing; the tables were set once for every parser. Weak, so
// that a static cmark-gfm's own definition wins at link time instead of clashing.
extern "C" void relconv_cmark_tables_unchanged(cmark_parser*, int) {}
extern "C" void cmark_manage_extensions_special_characters(cmark_parser*, int)
    __attribute__((weak, alias("relconv_cmark_tables_unchanged")));
