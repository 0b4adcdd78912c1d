// Definition lists (see definitions.h).
#include "parse/definitions.h"

#include <set>
#include <string>

#include "text/utf8.h"

namespace relconv::detail {

namespace {

using Line = std::vector<Inline>;

// The paragraph's lines, split at its soft and hard breaks.
std::vector<Line> lines_of(const std::vector<Inline>& inlines) {
  std::vector<Line> lines(1);
  for (const Inline& in : inlines) {
    if (in.kind == InlineKind::SoftBreak || in.kind == InlineKind::HardBreak)
      lines.emplace_back();
    else
      lines.back().push_back(in);
  }
  return lines;
}

// Whether a line starts with `:` and white space (or is a lone `:` with text after it).
bool opens_definition(const Line& line) {
  if (line.empty() || line[0].kind != InlineKind::Text) return false;
  const std::string& t = line[0].literal;
  if (t.empty() || t[0] != ':') return false;
  if (t.size() == 1) return line.size() > 1;
  return t[1] == ' ' || t[1] == '\t';
}

// The line less its `: `.
Line definition_text(Line line) {
  std::string& t = line[0].literal;
  size_t from = t.find_first_not_of(" \t", 1);
  if (from == std::string::npos) {
    line.erase(line.begin());
  } else {
    t.erase(0, from);
    line[0].pos.col += static_cast<uint32_t>(from);
  }
  return line;
}

// Lines from `first` on as definitions: each `: ` line opens one, the others continue it
// (joined by the soft break they had).
void add_definitions(const std::vector<Line>& lines, size_t first, const SourcePos& pos, DefinitionItem& item) {
  Block* para = nullptr;
  for (size_t k = first; k < lines.size(); ++k) {
    if (opens_definition(lines[k]) || !para) {
      Block p;
      p.kind = BlockKind::Paragraph;
      p.pos = lines[k].empty() ? pos : lines[k][0].pos;
      p.inlines = opens_definition(lines[k]) ? definition_text(lines[k]) : lines[k];
      item.definitions.push_back({std::move(p)});
      para = &item.definitions.back().back();
    } else {
      Inline brk;
      brk.kind = InlineKind::SoftBreak;
      para->inlines.push_back(brk);
      para->inlines.insert(para->inlines.end(), lines[k].begin(), lines[k].end());
    }
  }
  // A definition that was only `:` has no text: leave it out.
  for (size_t d = item.definitions.size(); d-- > 0;)
    if (item.definitions[d].back().inlines.empty()) item.definitions.erase(item.definitions.begin() + static_cast<long>(d));
}

// Whether a line of the paragraph starts with ':' (its first line only, when
// `first_only`): looked at before the lines are copied, since almost no paragraph has one.
bool colon_line(const std::vector<Inline>& inlines, bool first_only) {
  bool at_start = true;
  for (const Inline& in : inlines) {
    if (in.kind == InlineKind::SoftBreak || in.kind == InlineKind::HardBreak) {
      if (first_only) return false;
      at_start = true;
      continue;
    }
    if (at_start && in.kind == InlineKind::Text && !in.literal.empty() && in.literal[0] == ':') return true;
    at_start = false;
  }
  return false;
}

void recurse(Block& b) {
  read_definition_lists(b.children);
  for (ListItem& item : b.items) read_definition_lists(item.blocks);
  for (DefinitionItem& item : b.definitions)
    for (auto& def : item.definitions) read_definition_lists(def);
}

}  // namespace

void read_definition_lists(std::vector<Block>& blocks) {
  for (Block& b : blocks) recurse(b);
  std::vector<Block> out;
  out.reserve(blocks.size());
  bool open_list = false;  // out.back() is a definition list made here
  for (size_t i = 0; i < blocks.size(); ++i) {
    Block& b = blocks[i];
    const bool next_opens = i + 1 < blocks.size() && blocks[i + 1].kind == BlockKind::Paragraph &&
                            colon_line(blocks[i + 1].inlines, true);
    if (b.kind != BlockKind::Paragraph || (!next_opens && !colon_line(b.inlines, false))) {
      out.push_back(std::move(b));
      open_list = false;
      continue;
    }
    std::vector<Line> lines = lines_of(b.inlines);
    DefinitionItem item;
    item.pos = b.pos;
    bool made = false;
    if (lines.size() > 1 && !opens_definition(lines[0]) && opens_definition(lines[1])) {
      item.term = lines[0];
      add_definitions(lines, 1, b.pos, item);
      made = true;
    } else if (lines.size() == 1 && !opens_definition(lines[0]) && i + 1 < blocks.size() &&
               blocks[i + 1].kind == BlockKind::Paragraph && opens_definition(lines_of(blocks[i + 1].inlines)[0])) {
      item.term = lines[0];
      ++i;
      add_definitions(lines_of(blocks[i].inlines), 0, blocks[i].pos, item);
      made = true;
    } else if (open_list && opens_definition(lines[0])) {
      // `: another definition` after a blank line: the same term's.
      add_definitions(lines, 0, b.pos, out.back().definitions.back());
      continue;
    }
    if (!made) {
      out.push_back(std::move(b));
      open_list = false;
      continue;
    }
    if (!open_list) {
      Block list;
      list.kind = BlockKind::DefinitionList;
      list.pos = b.pos;
      out.push_back(std::move(list));
      open_list = true;
    }
    out.back().definitions.push_back(std::move(item));
  }
  blocks = std::move(out);
}

namespace {

// The first line of an item's first paragraph, when it ends in `:` after code or bold
// text: how many inlines it has (the `:` removed from the last), else 0.
size_t ronn_term_length(const ListItem& item) {
  if (item.blocks.empty() || item.blocks[0].kind != BlockKind::Paragraph) return 0;
  const std::vector<Inline>& in = item.blocks[0].inlines;
  size_t end = 0;
  bool marked = false;
  while (end < in.size() && in[end].kind != InlineKind::SoftBreak && in[end].kind != InlineKind::HardBreak) {
    marked |= in[end].kind == InlineKind::Code || in[end].kind == InlineKind::Strong ||
              in[end].kind == InlineKind::Emph;
    ++end;
  }
  if (!marked || end == 0 || in[end - 1].kind != InlineKind::Text) return 0;
  std::string t = in[end - 1].literal;
  while (!t.empty() && t.back() == ' ') t.pop_back();
  return !t.empty() && t.back() == ':' ? end : 0;
}

// `` `-I` <paths>: Specify… `` on one line (the raw-HTML reading of `<paths>` joins the
// line after it): the term ends at the first `: ` after code or bold text, so it is split
// there into the term's line and the text's.
void split_term_line(ListItem& item) {
  if (item.blocks.empty() || item.blocks[0].kind != BlockKind::Paragraph) return;
  std::vector<Inline>& in = item.blocks[0].inlines;
  bool marked = false;
  for (size_t j = 0; j < in.size(); ++j) {
    const Inline& x = in[j];
    if (x.kind == InlineKind::SoftBreak || x.kind == InlineKind::HardBreak) return;
    if (x.kind == InlineKind::Code || x.kind == InlineKind::Strong || x.kind == InlineKind::Emph) marked = true;
    if (x.kind != InlineKind::Text || !marked) continue;
    size_t colon = x.literal.find(": ");
    if (colon == std::string::npos) continue;
    size_t text = x.literal.find_first_not_of(' ', colon + 1);
    if (text == std::string::npos && j + 1 == in.size()) return;  // nothing after the term
    Inline rest = x;
    rest.literal = text == std::string::npos ? "" : x.literal.substr(text);
    Inline brk;
    brk.kind = InlineKind::SoftBreak;
    in[j].literal.resize(colon + 1);
    if (rest.literal.empty())
      in.insert(in.begin() + static_cast<long>(j) + 1, brk);
    else
      in.insert(in.begin() + static_cast<long>(j) + 1, {brk, rest});
    return;
  }
}

// A bullet list whose every item starts with an option and a ':' becomes a definition
// list (ronn's option lists).
void ronn_option_list(Block& b) {
  if (b.kind != BlockKind::List || b.list.ordered || b.items.empty()) return;
  bool all = true;
  for (ListItem& item : b.items) {
    if (ronn_term_length(item) == 0) split_term_line(item);
    all &= ronn_term_length(item) > 0;
  }
  if (!all) return;
  Block list;
  list.kind = BlockKind::DefinitionList;
  list.pos = b.pos;
  for (ListItem& item : b.items) {
    size_t n = ronn_term_length(item);
    std::vector<Inline>& in = item.blocks[0].inlines;
    DefinitionItem d;
    d.pos = item.pos;
    d.term.assign(in.begin(), in.begin() + static_cast<long>(n));
    std::string& last = d.term.back().literal;
    while (!last.empty() && last.back() == ' ') last.pop_back();
    last.pop_back();  // the ':'
    while (!last.empty() && last.back() == ' ') last.pop_back();
    if (last.empty()) d.term.pop_back();
    std::vector<Block> def;
    if (n + 1 < in.size()) {
      Block p = item.blocks[0];
      p.inlines.assign(in.begin() + static_cast<long>(n) + 1, in.end());
      p.pos = p.inlines.front().pos;
      def.push_back(std::move(p));
    }
    for (size_t k = 1; k < item.blocks.size(); ++k) def.push_back(std::move(item.blocks[k]));
    if (!def.empty()) d.definitions.push_back(std::move(def));
    list.definitions.push_back(std::move(d));
  }
  b = std::move(list);
}

// A name as a section reference matches it: compared without case.
std::string section_key(const std::string& name) { return utf8_casefold(name); }

void collect_sections(const std::vector<Block>& blocks, std::set<std::string>& out) {
  for (const Block& b : blocks) {
    if (b.kind == BlockKind::Heading) out.insert(section_key(plain_text(b.inlines)));
    collect_sections(b.children, out);
    for (const ListItem& item : b.items) collect_sections(item.blocks, out);
  }
}

// `[NAME][]` -> a link to the section NAME (its text where the format has no links), or
// `NAME` when the page has no such section.
void ronn_text(std::vector<Inline>& inlines, const std::set<std::string>& sections) {
  std::vector<Inline> out;
  out.reserve(inlines.size());
  for (Inline& in : inlines) {
    ronn_text(in.children, sections);
    if (in.kind != InlineKind::Text || in.literal.find("][]") == std::string::npos) {
      out.push_back(std::move(in));
      continue;
    }
    const std::string t = in.literal;
    // A piece of the text from byte `at` of it (a text node holds no line break).
    auto piece = [&](size_t at, std::string literal) {
      Inline p = in;
      p.literal = std::move(literal);
      if (p.pos.col) p.pos.col += uint32_t(at);
      return p;
    };
    auto text = [&](size_t at, std::string literal) {
      if (!literal.empty()) out.push_back(piece(at, std::move(literal)));
    };
    size_t start = 0, at = 0;
    while ((at = t.find("][]", at)) != std::string::npos) {
      const size_t open = t.rfind('[', at);
      if (open == std::string::npos || open < start || t.find(']', open) != at || at == open + 1) {
        at += 3;
        continue;
      }
      const std::string name = t.substr(open + 1, at - open - 1);
      text(start, t.substr(start, open - start));
      if (sections.count(section_key(name))) {
        Inline link = piece(open, "");
        link.kind = InlineKind::Link;
        link.url = "#" + slugify(name);
        link.children.push_back(piece(open + 1, name));
        out.push_back(std::move(link));
      } else {
        text(open + 1, name);
      }
      start = at = at + 3;
    }
    text(start, t.substr(start));
  }
  inlines = std::move(out);
}

void read_ronn_conventions(std::vector<Block>& blocks, const std::set<std::string>& sections) {
  for (Block& b : blocks) {
    read_ronn_conventions(b.children, sections);
    for (ListItem& item : b.items) read_ronn_conventions(item.blocks, sections);
    for (DefinitionItem& item : b.definitions)
      for (auto& def : item.definitions) read_ronn_conventions(def, sections);
    ronn_text(b.inlines, sections);
    for (DefinitionItem& item : b.definitions) ronn_text(item.term, sections);
    ronn_option_list(b);
  }
}

}  // namespace

void read_ronn_conventions(std::vector<Block>& blocks) {
  std::set<std::string> sections;
  collect_sections(blocks, sections);
  read_ronn_conventions(blocks, sections);
}

}  // namespace relconv::detail
