// The document model: the one typed tree that the parser builds and every backend reads.
//
// Nothing here knows about cmark-gfm, yaml-cpp or any output format. A Document holds
// book-level metadata and one or more Chapters; a single input file is a Document with
// one Chapter whose metadata is also the book's. Blocks and inlines carry a kind enum and
// the fields that kind uses (documented per kind below), so a backend is a switch over a
// fixed set of kinds and the compiler's -Wswitch points at every backend when a kind is
// added. Every node carries its source position for diagnostics.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace relconv {

// Where a node came from: the file, a 1-based line, and a 1-based column counted in
// characters (code points), not bytes. line == 0 means "unknown" (for example a node made
// by a program rather than parsed). `file` points at the owning Chapter's source name,
// which lives as long as the Chapter (it is held by a shared_ptr there).
struct SourcePos {
  const std::string* file = nullptr;
  uint32_t line = 0;
  uint32_t col = 0;
};

// ---------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------

// A front-matter value kept with its YAML type, for keys the model has no field for.
struct MetaValue {
  enum class Kind { Null, Bool, Number, String, List, Map };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  std::string string;  // String; also the literal text of Number
  std::vector<MetaValue> list;
  std::vector<std::pair<std::string, MetaValue>> map;  // in source order
};

struct Metadata {
  std::string title;
  std::string subtitle;
  std::vector<std::string> authors;
  std::string date;     // ISO 8601 ("2024-06-07", "2014-06"), empty when unknown; written
                        // forms ("June 15, 2006") are read into it by the parser
  std::string date_text;  // a date as written when it reads as no date ("Q3 2021"); shown as is
  std::string updated;  // ISO 8601 date of the last update, empty when unknown
  std::string description;
  std::vector<std::string> tags;
  std::string language;    // BCP 47 tag; empty means "not given" (backends default to "en")
  std::string identifier;  // e.g. a URN or URL; empty means "derive one"
  bool published = true;
  std::string source_url;  // canonical or legacy URL of the post (`legacyUrl`, `url`)
  std::string man_name;     // man page name (from `title: name(1)` or `% name(1)`)
  std::string man_section;  // man section, e.g. "1", "7"; empty means "not given"
  // Every other front-matter key, in source order, with its typed value.
  std::vector<std::pair<std::string, MetaValue>> extra;
  // Where each key was written, for messages about it.
  std::map<std::string, SourcePos> positions;
};

// ---------------------------------------------------------------------------------------
// Inlines
// ---------------------------------------------------------------------------------------

enum class InlineKind {
  Text,         // literal
  Emph,         // children
  Strong,       // children
  Strike,       // children
  Superscript,  // children
  Subscript,    // children
  Small,        // children (HTML <small>)
  Kbd,          // children: keyboard input
  Code,         // literal
  Link,         // url, title, children (never empty after parsing)
  Image,        // url, title, children = alt text; width/height in CSS px when known
  SoftBreak,    // a line break in the source: a space when reflowed
  HardBreak,    // a forced line break
  FootnoteRef,  // note = 1-based number of the chapter's footnote; literal = its label
};

struct Inline {
  InlineKind kind = InlineKind::Text;
  SourcePos pos;
  std::string literal;
  std::string url;
  std::string title;
  std::vector<Inline> children;
  int note = 0;
  int width = 0;   // Image: intrinsic width in CSS px if the source said, else 0
  int height = 0;  // Image: likewise
};

// ---------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------

enum class BlockKind {
  Paragraph,      // inlines
  Heading,        // level (1-6), id (unique in the Document), inlines
  BlockQuote,     // children
  List,           // list (ordered, start, tight), items
  CodeBlock,      // literal (ends with '\n' unless empty), info (the language word)
  ThematicBreak,  //
  Table,          // table
  Figure,         // inlines = { one Image }, caption (may be empty)
  DefinitionList, // definitions
  Div,            // children: a group with no meaning of its own (HTML div, details);
                  // dir: "rtl" or "ltr" when its HTML said so
  RawHtml,        // literal: HTML that could not be interpreted (shown as text)
};

struct Block;

enum class TaskState { None, Unchecked, Checked };

struct ListItem {
  SourcePos pos;
  TaskState task = TaskState::None;
  std::vector<Block> blocks;
};

enum class Align { None, Left, Center, Right };

struct TableCell {
  SourcePos pos;
  std::vector<Inline> inlines;
  int colspan = 1;
  bool header = false;  // a <th>, or any cell of a header row
};

struct TableRow {
  std::vector<TableCell> cells;
  bool header = false;  // part of the table head
};

struct TableData {
  std::vector<Align> aligns;  // one per column
  std::vector<TableRow> rows; // header rows first
  size_t columns() const { return aligns.size(); }
};

struct ListData {
  bool ordered = false;
  int start = 1;
  bool tight = true;
  char delimiter = '.';  // '.' or ')' for ordered lists
};

struct DefinitionItem {
  SourcePos pos;
  std::vector<Inline> term;
  std::vector<std::vector<Block>> definitions;
};

struct Block {
  BlockKind kind = BlockKind::Paragraph;
  SourcePos pos;
  std::vector<Inline> inlines;
  std::vector<Block> children;
  int level = 0;
  std::string id;
  std::string literal;
  std::string info;
  ListData list;
  std::vector<ListItem> items;
  std::shared_ptr<TableData> table;  // Table only (shared so copies of a Block stay cheap)
  std::vector<Inline> caption;
  std::vector<DefinitionItem> definitions;
  std::string dir;  // Div: the text direction its HTML gave ("rtl", "ltr"), else empty
};

struct Footnote {
  SourcePos pos;
  std::string label;  // as written in the source ("1", "note")
  int number = 0;     // 1-based, in order of first reference
  std::string id;     // unique id in the Document, e.g. "fn-3" or "c2-fn-3"
  std::vector<Block> blocks;
};

// ---------------------------------------------------------------------------------------
// Chapters and documents
// ---------------------------------------------------------------------------------------

struct Chapter {
  std::shared_ptr<const std::string> source;  // the input's name as given ("-" for stdin)
  std::string base_dir;  // folder that relative resource paths resolve against
  std::string id;        // unique id in the Document ("c1", or the slug of its title)
  Metadata meta;
  std::vector<Block> blocks;
  std::vector<Footnote> footnotes;  // in number order
};

struct Document {
  Metadata meta;  // the book's metadata; for a single input, a copy of its chapter's
  std::vector<Chapter> chapters;
  bool book = false;  // assembled from several inputs (even if filtering left one chapter)
  bool is_book() const { return book || chapters.size() > 1; }
};

// Plain text of inlines, as a reader would see it (alt text for images, no markup);
// used for ids, navigation labels, PDF outlines and man headers.
std::string plain_text(const std::vector<Inline>& inlines);

// A GitHub-style slug of `text` ("Major new features" -> "major-new-features"); never
// empty ("section" when nothing is left).
std::string slugify(const std::string& text);

// Gives every heading, chapter and footnote an id unique within the whole document,
// deterministically. Called by the parser and again after chapters are combined into a
// book.
void assign_ids(Document& doc);

// Calls `f` on every list of inlines in `blocks` (paragraphs, headings, captions, table
// cells, definition terms), at any depth, so a pass over all inlines is written once.
void for_each_inline_list(std::vector<Block>& blocks, const std::function<void(std::vector<Inline>&)>& f);
// The same, read-only, over one block or a list of them.
void for_each_inline_list(const Block& block, const std::function<void(const std::vector<Inline>&)>& f);
void for_each_inline_list(const std::vector<Block>& blocks,
                          const std::function<void(const std::vector<Inline>&)>& f);
// The same over a chapter's blocks and footnotes.
void for_each_inline_list(Chapter& chapter, const std::function<void(std::vector<Inline>&)>& f);

// Human-readable names of kinds, for dumps and messages.
const char* kind_name(BlockKind kind);
const char* kind_name(InlineKind kind);

}  // namespace relconv
