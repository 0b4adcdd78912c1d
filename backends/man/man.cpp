// The man page backend (see man.h). One Page object walks the model and writes roff;
// text goes through escape.h, markup is written here.
//
// Layout of a page:
//   '\" t                      only when the page has a table (tells man(1) to run tbl)
//   .TH NAME SECTION DATE SOURCE MANUAL
//   .ad l                      see Page::header
//   .if !c\[uXXXX] ...         fallbacks for characters the PostScript fonts may lack
//   .SH NAME                   from the source's NAME section, else generated
//   .SH DESCRIPTION            when the body does not start with a section of its own
//   ...                        the body; a book has one .SH per chapter
//   .SH NOTES                  the footnotes
#include "backends/man/man.h"

#include <algorithm>
#include <cstring>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <set>

#include <utf8proc.h>

#include "backends/man/escape.h"
#include "text/utf8.h"

namespace relconv::man {

namespace {

// Input text lines are kept under 80 bytes: `mandoc -T lint` reports longer lines that
// could have been broken (STYLE: "input text line longer than 80 bytes"), and it counts
// a line of exactly 80 that ends a sentence as longer (it adds the sentence space).
constexpr size_t kMaxLine = 79;

// Fonts as bits, so emphasis inside strong is bold italic and closing either restores the
// other (a font stack instead of \fP, which only remembers one previous font).
enum Font : unsigned { kRoman = 0, kItalic = 1, kBold = 2 };

const char* font_escape(unsigned font) {
  switch (font) {
    case kItalic: return "\\f[I]";
    case kBold: return "\\f[B]";
    case kItalic | kBold: return "\\f[BI]";
    default: return "\\f[R]";
  }
}

// Capitals of every letter, not only ASCII ones: mandoc's STYLE check "lower case
// character in document title" looks at accented letters too.
std::string upper_all(const std::string& s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) utf8_append(out, static_cast<char32_t>(utf8proc_toupper(
                                            static_cast<utf8proc_int32_t>(utf8_decode(s, i)))));
  return out;
}

std::string upper_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// Standard man page section names (man-pages(7), mdoc(7)); a heading that spells one of
// them in another case is written in capitals, as every man page reader expects.
bool is_standard_section(const std::string& upper) {
  static const std::set<std::string> names = {
      "NAME", "SYNOPSIS", "CONFIGURATION", "DESCRIPTION", "OPTIONS", "EXIT STATUS",
      "RETURN VALUE", "ERRORS", "ENVIRONMENT", "FILES", "VERSIONS", "ATTRIBUTES",
      "CONFORMING TO", "STANDARDS", "HISTORY", "NOTES", "CAVEATS", "BUGS", "EXAMPLE",
      "EXAMPLES", "AUTHORS", "AUTHOR", "SEE ALSO", "COMMANDS", "EXIT CODES", "COPYRIGHT",
      "SECURITY CONSIDERATIONS", "DIAGNOSTICS", "REPORTING BUGS"};
  return names.count(upper) != 0;
}

// A page name made from a title: "Python 3.12.4 released" -> "python-3.12.4".
std::string name_from_title(const std::string& title) {
  // Accents are dropped ("Ziadé" -> "ziade"): a page name is also a file name and what
  // people type after `man`, and mandoc's title check reads \[u00C9] as lower case.
  std::string ascii = title;
  utf8proc_uint8_t* folded = nullptr;
  if (utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(title.data()),
                   static_cast<utf8proc_ssize_t>(title.size()), &folded,
                   static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                                  UTF8PROC_STRIPMARK)) >= 0 &&
      folded) {
    ascii = reinterpret_cast<const char*>(folded);
  }
  std::free(folded);
  // Words are runs of letters, digits, '.', '_' and '+'; small words that say nothing
  // on their own ("the", "is", "now") are left out, so a long title keeps the words that
  // name it ("Announcing the Packaging Council ..." -> "announcing-packaging").
  static const std::set<std::string> small = {
      "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
      "is", "it", "its", "now", "of", "on", "or", "our", "the", "this", "to", "was",
      "we", "were", "will", "with", "you", "your"};
  std::vector<std::string> words;
  std::string word;
  for (size_t i = 0; i <= ascii.size(); ++i) {
    unsigned char c = i < ascii.size() ? static_cast<unsigned char>(ascii[i]) : ' ';
    if (std::isalnum(c) || c == '.' || c == '_' || c == '+' || c >= 0x80) {
      word += static_cast<char>(std::tolower(c));
      continue;
    }
    while (!word.empty() && word.back() == '.') word.pop_back();
    if (!word.empty()) words.push_back(word);
    word.clear();
  }
  std::string out;
  for (const std::string& w : words) {
    if (small.count(w) && words.size() > 1) continue;
    if (!out.empty()) out += '-';
    out += w;
  }
  // The name is printed twice in the header line, "NAME(7)  manual  NAME(7)"; past about
  // 20 characters the three overlap on an 80-column terminal in groff. Whole words are
  // kept; the NAME section still gives the full title.
  constexpr size_t kMaxName = 20;
  if (out.size() > kMaxName) {
    size_t cut = out.rfind('-', kMaxName);
    out.resize(cut == std::string::npos || cut == 0 ? kMaxName : cut);
  }
  while (!out.empty() && (out.back() == '.' || out.back() == '-')) out.pop_back();
  return out.empty() ? "untitled" : out;
}

// "2024-06-07T10:00:00Z" -> "2024-06-07". groff_man(7) recommends ISO 8601 dates in .TH
// and mandoc accepts them without a message. A month without a day ("2014-06", from
// "JUNE 2014") is written "June 2014": no form of it is one mandoc parses, and that is how
// such pages print it. A date the parser could not read is kept as written.
std::string page_date(const Metadata& meta, int64_t source_date_epoch) {
  static const char* months[] = {"January", "February", "March", "April", "May", "June", "July",
                                 "August", "September", "October", "November", "December"};
  std::string d = !meta.updated.empty() ? meta.updated : meta.date;
  auto digits = [&](size_t from, size_t n) {
    for (size_t k = from; k < from + n; ++k)
      if (k >= d.size() || !std::isdigit(static_cast<unsigned char>(d[k]))) return false;
    return true;
  };
  if (d.size() >= 10 && digits(0, 4) && d[4] == '-' && digits(5, 2) && d[7] == '-')
    return d.substr(0, 10);
  if (d.size() == 7 && digits(0, 4) && d[4] == '-' && digits(5, 2)) {
    int m = std::atoi(d.c_str() + 5);
    if (m >= 1 && m <= 12) return std::string(months[m - 1]) + " " + d.substr(0, 4);
  }
  if (!d.empty()) return d;
  if (!meta.date_text.empty()) return meta.date_text;
  if (source_date_epoch >= 0) {
    std::time_t t = static_cast<std::time_t>(source_date_epoch);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
  }
  return "";
}

// mandoc's names for the manuals of each section, used when the source names none, so
// groff and mandoc print the same header.
std::string default_manual(const std::string& section) {
  switch (section.empty() ? '7' : section[0]) {
    case '1': return "General Commands Manual";
    case '2': return "System Calls Manual";
    case '3': return "Library Functions Manual";
    case '4': return "Device Drivers Manual";
    case '5': return "File Formats Manual";
    case '6': return "Games Manual";
    case '8': return "System Manager's Manual";
    case '9': return "Kernel Developer's Manual";
    default: return "Miscellaneous Information Manual";
  }
}

std::string extra_string(const Metadata& meta, const char* key) {
  for (const auto& [k, v] : meta.extra)
    if (k == key && (v.kind == MetaValue::Kind::String || v.kind == MetaValue::Kind::Number))
      return v.string;
  return "";
}

// Parses "name(section)" (a `% name(1)` title line or a title of that form).
bool parse_name_section(const std::string& s, std::string& name, std::string& section) {
  size_t open = s.find('(');
  if (open == std::string::npos || open == 0 || s.empty() || s.back() != ')') return false;
  std::string sec = s.substr(open + 1, s.size() - open - 2);
  if (sec.empty() || !std::isdigit(static_cast<unsigned char>(sec[0])) || sec.size() > 8)
    return false;
  name = s.substr(0, open);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  if (name.empty() || name.find(' ') != std::string::npos) return false;
  section = sec;
  return true;
}

// Whether a written line is a macro after which text starts a new paragraph or line.
bool starts_paragraph(const std::string& line) {
  for (const char* m : {".PP", ".IP", ".TP", ".RS", ".SH", ".SS", ".br"})
    if (line.compare(0, 3, m) == 0) return true;
  return line.empty();
}

bool is_mailto(const std::string& url) {
  return url.size() > 7 && ascii_lower(url.substr(0, 7)) == "mailto:";
}

// A link from a man page reference to that page's source, `[git-lfs-fetch(1)](git-lfs-fetch.1.md)`
// (or its HTML, or the page): on a man page the reference itself is the link, and the
// source file's name would be noise.
bool man_reference(const std::string& text, const std::string& url) {
  const size_t open = text.find('(');
  if (open == 0 || open == std::string::npos || text.back() != ')' || text.size() < open + 3) return false;
  const std::string name = text.substr(0, open), section = text.substr(open + 1, text.size() - open - 2);
  if (!std::isdigit(static_cast<unsigned char>(section[0]))) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && !std::strchr("._+-", c)) return false;
  if (url.find("://") != std::string::npos || is_mailto(url)) return false;
  const size_t slash = url.find_last_of('/');
  const std::string file = slash == std::string::npos ? url : url.substr(slash + 1);
  return file.compare(0, name.size() + 1 + section.size(), name + "." + section) == 0;
}

// A line of text that starts like a command-line option: "-v", "--output".
bool looks_like_option(const std::string& text) {
  return text.size() > 1 && text[0] == '-' &&
         (std::isalnum(static_cast<unsigned char>(text[1])) || text[1] == '-');
}

// Whether an escaped line ends in sentence punctuation, possibly followed by closing
// quotes, parentheses or brackets (which roff treats as transparent).
bool ends_like_sentence(const std::string& line) {
  size_t end = line.size();
  while (end > 0) {
    char c = line[end - 1];
    if (c == ')' || c == ']' || c == '"' || c == '\'' || c == '*') {
      --end;
    } else if (end >= 4 && (line.compare(end - 4, 4, "\\(rq") == 0 ||
                            line.compare(end - 4, 4, "\\(cq") == 0 ||
                            line.compare(end - 4, 4, "\\(dq") == 0)) {
      end -= 4;
    } else if (end >= 5 && line[end - 5] == '\\' && line[end - 4] == 'f' &&
               line[end - 3] == '[') {
      end -= 5;  // \f[X]
    } else if (end >= 6 && line.compare(end - 6, 3, "\\f[") == 0) {
      end -= 6;  // \f[BI]
    } else {
      break;
    }
  }
  return end > 0 && (line[end - 1] == '.' || line[end - 1] == '?' || line[end - 1] == '!');
}

// Whether an escaped word can start a sentence: after font escapes and opening quotes,
// a capital, a digit or a character written as an escape. "e.g." before "the", or "..."
// before "--out-dir", is not the end of a sentence.
bool starts_sentence(std::string_view word) {
  size_t i = 0;
  for (;;) {
    if (word.compare(i, 3, "\\f[") == 0) {
      size_t close = word.find(']', i);
      if (close == std::string::npos) return true;
      i = close + 1;
    } else if (word.compare(i, 4, "\\(lq") == 0 || word.compare(i, 4, "\\(dq") == 0 ||
               word.compare(i, 4, "\\(oq") == 0) {
      i += 4;
    } else if (i < word.size() && (word[i] == '(' || word[i] == '[' || word[i] == '\'')) {
      ++i;
    } else {
      break;
    }
  }
  if (i >= word.size()) return true;
  char c = word[i];
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || word.compare(i, 3, "\\[u") == 0;
}

class Page {
 public:
  Page(const RenderContext& ctx) : ctx_(ctx) {}

  std::string render();

 private:
  // --- Output lines -------------------------------------------------------------------
  void write_line(std::string line);
  void macro(const std::string& line);
  void flush(bool join_next = false);
  void flush_tag();
  void close_ue();

  // --- Inline flow --------------------------------------------------------------------
  void put(const std::string& escaped);
  void space() {
    close_ue();
    buf_ += ' ';
  }
  void push_font(unsigned bits) {
    fonts_.push_back(want_);
    want_ |= bits;
  }
  void pop_font() {
    want_ = fonts_.back();
    fonts_.pop_back();
  }
  void set_base_font(unsigned font) {
    base_ = font;
    want_ = font;
    font_ = font;
  }
  void inlines(const std::vector<Inline>& list, bool plain = false);
  void inline_node(const Inline& in, bool plain);
  void link(const Inline& in, bool plain);

  // --- Blocks -------------------------------------------------------------------------
  void begin_block();
  void blocks(const std::vector<Block>& list);
  void block(const std::vector<Block>& list, size_t& i);
  void heading(const Block& b);
  void section_heading(const std::string& macro_name, const std::vector<Inline>& text);
  void paragraph(const Block& b);
  bool option_paragraph(const std::vector<Block>& list, size_t& i);
  bool option_heading(const Block& b, int level);
  // Whether the current section lists things with their text (options, commands, files,
  // variables, exit codes), so that its tag-like lines and headings become .TP.
  bool tagged_section() const {
    return section_.find("OPTIONS") != std::string::npos || section_ == "COMMANDS" || section_ == "ENVIRONMENT" ||
           section_ == "EXIT STATUS" || section_ == "FILES";
  }
  void name_paragraph(const Block& b);
  void code_block(const std::string& literal);
  void list_block(const Block& b);
  void set_tight(bool tight);
  void item_blocks(const std::vector<Block>& list, const std::string& indent);
  void definition_list(const Block& b);
  void table(const Block& b);
  std::string table_cell(const TableCell& cell, bool bold, int max_width);
  void footnotes(const Chapter& ch, bool as_subsection);
  void plan_sections(const std::vector<Block>& list);
  void authors(const Metadata& meta);
  void chapter_body(const Chapter& ch, size_t first);

  std::string header();

  const RenderContext& ctx_;
  std::string out_;             // the body, after the header
  std::set<char32_t> used_;     // code points needing a glyph fallback
  bool has_table_ = false;
  bool at_start_ = true;        // no .PP needed before the next block
  std::string section_;         // the current .SH, in capitals
  std::set<std::string> sections_;        // every .SH written, in capitals
  std::set<const Block*> demoted_;        // top-level headings written as .SS (plan_sections)
  bool source_has_name_ = false;          // the page's first section is NAME
  bool upper_sections_ = false;           // .SH headings in capitals (a page, not a book)
  bool option_body_ = false;              // in the text under an option heading (.IP, not .PP)
  int shift_ = 0;               // heading level - shift_: 1 = .SH, 2 = .SS, deeper = bold
  bool in_link_ = false;
  bool tight_ = false;          // .PD 0 is in effect
  bool in_tight_item_ = false;  // rendering the blocks of a tight list's item

  std::string last_line_;       // the line written last
  std::string buf_;             // escaped text not yet written; ' ' marks a break point
  bool ue_pending_ = false;     // a .UE/.ME waits for the punctuation that follows it
  std::string ue_macro_;
  unsigned base_ = kRoman;      // the font the surrounding macro sets
  unsigned font_ = kRoman;      // the font in effect in buf_
  unsigned want_ = kRoman;      // the font the next text needs
  std::vector<unsigned> fonts_;
};

// --- Output lines ---------------------------------------------------------------------

void Page::write_line(std::string line) {
  // A line that ends in "\ " (an escaped space) ends in white space as far as mandoc's
  // "whitespace at end of input line" check goes: end it with a zero-width \&.
  if (!line.empty() && line.back() == ' ') line += "\\&";
  out_ += line;
  out_ += '\n';
  last_line_ = std::move(line);
}

void Page::macro(const std::string& line) {
  flush();
  write_line(line);
}

// Writes the pending text as lines of at most kMaxLine bytes, broken at break points.
// With join_next, the text continues without a space after the macro that follows
// (`\c`, groff(7) and mandoc_char(7) "interrupt text").
void Page::flush(bool join_next) {
  close_ue();
  bool ends_in_space = buf_.empty() || (buf_.back() == ' ' && !(buf_.size() > 1 &&
                                                              buf_[buf_.size() - 2] == '\\'));
  if (font_ != base_ && !buf_.empty()) {
    // The font is closed before trailing spaces, at the end of the last word.
    size_t end = buf_.size();
    while (end > 0 && buf_[end - 1] == ' ' && !(end > 1 && buf_[end - 2] == '\\')) --end;
    buf_.insert(end, font_escape(base_));
  }
  font_ = base_;
  // The words are views into the text; each line is measured before it is built.
  const std::string text = std::move(buf_);
  buf_.clear();
  std::string line;
  bool any = false;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    const size_t start = i;
    // A break point is an unescaped space: "\ " is an unbreakable one.
    while (i < text.size() && !(text[i] == ' ' && (i == start || text[i - 1] != '\\'))) ++i;
    if (i == start) continue;
    const std::string_view w(text.data() + start, i - start);
    any = true;
    // The bytes the line would have when written: `\&` in front (protect_line), `\c` or
    // `\&` at the end.
    if (!line.empty() &&
        line.size() + 1 + w.size() + 2 + ((line[0] == '.' || line[0] == '\'') ? 2 : 0) > kMaxLine) {
      // groff and mandoc take a line that ends in '.', '?' or '!' for the end of a
      // sentence and put two spaces after it; "e.g." or "3.x..." before a lower-case
      // word is not one, and the zero-width \& says so (groff(7) "Sentences").
      if (ends_like_sentence(line) && !starts_sentence(w)) line += "\\&";
      write_line(protect_line(std::move(line)));
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += w;
  }
  if (!any) return;
  if (join_next && !ends_in_space) line += "\\c";
  write_line(protect_line(std::move(line)));
}

// The tag of .TP is exactly the next input line (groff_man(7) "next-line scope"), so it
// is written as one line whatever its length, with unbreakable spaces: mandoc's line
// length check only counts lines it could have broken.
void Page::flush_tag() {
  close_ue();
  if (font_ != base_ && !buf_.empty()) buf_ += font_escape(base_);
  font_ = base_;
  std::string line;
  bool space = false;
  for (size_t i = 0; i < buf_.size(); ++i) {
    bool brk = buf_[i] == ' ' && !(i > 0 && buf_[i - 1] == '\\');
    if (brk) {
      space = !line.empty();
      continue;
    }
    if (space) line += "\\ ";
    space = false;
    line += buf_[i];
  }
  buf_.clear();
  if (!line.empty()) write_line(protect_line(line));
}

void Page::close_ue() {
  if (!ue_pending_) return;
  ue_pending_ = false;
  write_line(ue_macro_);
}

// --- Inline flow ------------------------------------------------------------------------

void Page::put(const std::string& escaped) {
  if (escaped.empty()) return;
  std::string text = escaped;
  if (ue_pending_) {
    // Punctuation right after a link is the argument of .UE/.ME, which prints it without
    // a space after the URL (groff_man(7), "Hyperlink macros").
    ue_pending_ = false;
    size_t n = 0;
    if (text[0] != ' ') {
      while (n < text.size() && text[n] != ' ') ++n;
      // Keep an escape sequence whole: never split after a backslash.
      while (n > 0 && n < text.size() && text[n - 1] == '\\') --n;
    }
    std::string arg = text.substr(0, n);
    text.erase(0, n);
    // Inside emphasis the punctuation keeps the font, and the font is closed again in
    // the argument: each input line starts from the macro's font.
    if (!arg.empty() && want_ != base_) arg = font_escape(want_) + arg + font_escape(base_);
    write_line(ue_macro_ + (arg.empty() ? "" : " " + quote_arg(arg)));
    if (text.empty()) return;
  }
  if (want_ != font_) {
    // A font that adds a style starts after leading spaces, at the word it is for; one
    // that removes a style ends before them (an italic space is underlined on terminals).
    size_t spaces = 0;
    if ((want_ & ~font_) != 0) {
      spaces = text.find_first_not_of(' ');
      if (spaces == std::string::npos) spaces = text.size();
    }
    buf_.append(text, 0, spaces);
    text.erase(0, spaces);
    buf_ += font_escape(want_);
    font_ = want_;
  }
  buf_ += text;
}

void Page::inlines(const std::vector<Inline>& list, bool plain) {
  for (size_t i = 0; i < list.size(); ++i) {
    // A hard break that ends the paragraph would be an empty .br: leave it out.
    if (list[i].kind == InlineKind::HardBreak && i + 1 == list.size()) break;
    inline_node(list[i], plain);
  }
}

void Page::inline_node(const Inline& in, bool plain) {
  switch (in.kind) {
    case InlineKind::Text:
      put(escape(in.literal, TextMode::Prose, &used_));
      break;
    case InlineKind::SoftBreak:
      space();
      break;
    case InlineKind::HardBreak:
      if (plain) {
        space();
      } else if (!buf_.empty() || ue_pending_ || !starts_paragraph(last_line_)) {
        // (A break before any text of a paragraph would only add an empty line.)
        macro(".br");
      }
      break;
    case InlineKind::Emph:
      push_font(kItalic);
      inlines(in.children, plain);
      pop_font();
      break;
    case InlineKind::Strong:
      push_font(kBold);
      inlines(in.children, plain);
      pop_font();
      break;
    case InlineKind::Code:
    case InlineKind::Kbd: {
      // Literal text is bold in man pages (groff_man(7): "bold for literal portions of
      // syntax"); a constant-width font (\f[CR]) does not exist on terminals, where
      // groff would warn that it cannot find the font.
      push_font(kBold);
      if (in.kind == InlineKind::Kbd) {
        inlines(in.children, plain);
      } else {
        // Runs of spaces in code are kept, as unbreakable spaces after the first.
        std::string esc = escape(in.literal, TextMode::Code, &used_);
        std::string kept;
        for (size_t i = 0; i < esc.size(); ++i) {
          if (esc[i] == ' ' && i > 0 && esc[i - 1] == ' ' &&
              !(i > 1 && esc[i - 2] == '\\'))
            kept += "\\ ";
          else
            kept += esc[i];
        }
        put(kept);
      }
      pop_font();
      break;
    }
    case InlineKind::Superscript:
    case InlineKind::Subscript:
      // Terminals have no raised or lowered text: "e^ix", "H_2O", as the text backend
      // writes them, so that the parts stay apart.
      put(in.kind == InlineKind::Superscript ? "\\(ha" : "_");
      inlines(in.children, plain);
      break;
    case InlineKind::Strike:
    case InlineKind::Small:
      // roff for terminals has no such styles; the text itself is what matters.
      inlines(in.children, plain);
      break;
    case InlineKind::Link:
      link(in, plain);
      break;
    case InlineKind::Image: {
      std::string alt = plain_text(in.children);
      put(escape(alt.empty() ? "[image]" : "[image: " + alt + "]", TextMode::Prose, &used_));
      break;
    }
    case InlineKind::FootnoteRef:
      put("[" + std::to_string(in.note) + "]");
      break;
  }
}

void Page::link(const Inline& in, bool plain) {
  std::string text = plain_text(in.children);
  std::string url = in.url;
  // A link to a place in the document (a section, a footnote) is its text: a man page
  // has nowhere to go, and ".UR #name" would print the fragment as an address.
  if (plain || in_link_ || url.empty() || text.empty() || url[0] == '#') {
    inlines(in.children, plain);
    return;
  }
  if (man_reference(text, url)) {
    inlines(in.children, plain);
    return;
  }
  bool mail = is_mailto(url);
  std::string target = mail ? url.substr(7) : url;
  // An autolink shows its URL already; .UR with the same text would print it twice, and
  // with no text mandoc warns "empty block: UR".
  auto bare = [](std::string s) {
    while (!s.empty() && s.back() == '/') s.pop_back();
    return s;
  };
  if (bare(text) == bare(url) || bare(text) == bare(target)) {
    put(escape_url(target, &used_));
    return;
  }
  flush(/*join_next=*/true);
  write_line((mail ? ".MT " : ".UR ") + quote_arg(escape_url(target, nullptr)));
  in_link_ = true;
  inlines(in.children, plain);
  in_link_ = false;
  flush();
  ue_pending_ = true;
  ue_macro_ = mail ? ".ME" : ".UE";
}

// --- Blocks -------------------------------------------------------------------------------

// Starts a block that needs vertical space before it. A .PP right after .SH/.SS/.TP/.IP
// is what mandoc reports as "skipping paragraph macro", so it is only written when
// something other than a heading or list tag came before.
void Page::begin_block() {
  flush();
  if (!at_start_) write_line(option_body_ ? ".IP" : ".PP");
  at_start_ = false;
}

void Page::blocks(const std::vector<Block>& list) {
  for (size_t i = 0; i < list.size();) block(list, i);
}

void Page::block(const std::vector<Block>& list, size_t& i) {
  const Block& b = list[i];
  switch (b.kind) {
    case BlockKind::Paragraph:
      if (option_paragraph(list, i)) return;
      if (section_ == "NAME") {
        name_paragraph(b);
      } else {
        paragraph(b);
      }
      break;
    case BlockKind::Heading:
      heading(b);
      break;
    case BlockKind::BlockQuote:
      // An empty .RS/.RE is a mandoc warning ("empty block") and shows nothing.
      if (b.children.empty()) break;
      begin_block();
      write_line(".RS 4");
      at_start_ = true;
      blocks(b.children);
      macro(".RE");
      at_start_ = false;
      break;
    case BlockKind::List:
      list_block(b);
      break;
    case BlockKind::CodeBlock:
      if (!b.literal.empty()) code_block(b.literal);
      break;
    case BlockKind::ThematicBreak:
      begin_block();
      write_line(".ce 1");
      write_line("* * *");
      break;
    case BlockKind::Table:
      table(b);
      break;
    case BlockKind::Figure:
      begin_block();
      inlines(b.inlines);
      if (!b.caption.empty()) {
        macro(".br");
        inlines(b.caption);
      }
      flush();
      break;
    case BlockKind::DefinitionList:
      definition_list(b);
      break;
    case BlockKind::Div:
      blocks(b.children);
      break;
    case BlockKind::RawHtml:
      // HTML that could not be interpreted is shown as it was written.
      if (!b.literal.empty()) code_block(b.literal);
      break;
  }
  ++i;
}

// A heading is written on the macro line (`.SH SEE ALSO`), as in hand-written pages.
// The next-line form (.SH alone, the heading on the following line) takes exactly one
// input line, so a long heading would either spill into the body when wrapped or draw
// mandoc's line length warning when not; macro lines have no such limit. .SH and .SS
// set bold themselves, so fonts inside are relative to bold.
void Page::section_heading(const std::string& macro_name, const std::vector<Inline>& text) {
  flush();
  option_body_ = false;
  std::string upper = upper_ascii(plain_text(text));
  set_base_font(kBold);
  if (macro_name == ".SH" && upper_sections_) {
    // Section names are capitals (man-pages(7)): `## Options` is OPTIONS. Fonts stay;
    // code keeps its case (`--output` is not `--OUTPUT`).
    std::vector<Inline> upper_text = text;
    std::function<void(std::vector<Inline>&)> raise = [&](std::vector<Inline>& list) {
      for (Inline& in : list) {
        if (in.kind == InlineKind::Text) in.literal = upper_all(in.literal);
        raise(in.children);
      }
    };
    raise(upper_text);
    inlines(upper_text, /*plain=*/true);
  } else if (macro_name == ".SH" && is_standard_section(upper)) {
    put(escape(upper, TextMode::Prose, &used_));
  } else {
    inlines(text, /*plain=*/true);
  }
  if (font_ != base_ && !buf_.empty()) buf_ += font_escape(base_);
  std::string line = macro_name;
  bool space = true;
  for (size_t i = 0; i < buf_.size(); ++i) {
    if (buf_[i] == ' ' && !(i > 0 && buf_[i - 1] == '\\')) {
      space = true;
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += buf_[i];
  }
  buf_.clear();
  set_base_font(kRoman);
  write_line(line);
  if (macro_name == ".SH") {
    section_ = upper;
    sections_.insert(upper);
  }
  at_start_ = true;
}

void Page::heading(const Block& b) {
  // `# [](https://...)` anchors in the corpus have no text: an empty .SH is a mandoc
  // warning and shows nothing, so such headings are left out.
  if (plain_text(b.inlines).empty()) return;
  int level = b.level - shift_;
  if (level <= 1 && demoted_.count(&b)) level = 2;
  option_body_ = false;
  if (level >= 2 && option_heading(b, level)) return;
  if (level <= 1) {
    section_heading(".SH", b.inlines);
  } else if (level == 2) {
    section_heading(".SS", b.inlines);
  } else {
    // man(7) has two heading levels; deeper ones are bold paragraphs of their own.
    begin_block();
    push_font(kBold);
    inlines(b.inlines, /*plain=*/true);
    pop_font();
    flush();
    write_line(".br");
    at_start_ = true;
  }
}

// go-md2man sources give each option a heading (podman's `#### **--archive**, **-a**`)
// and its text after it; go-md2man sets the option off as a tag, and so does this: .TP
// with the heading as its tag, the paragraphs up to the next heading indented under it
// (.IP instead of .PP, see begin_block). A heading below .SS level that starts with an
// option, or a .SS one in an options section, is such a heading.
bool Page::option_heading(const Block& b, int level) {
  if (b.inlines.empty()) return false;
  const Inline& first = b.inlines.front();
  if (first.kind != InlineKind::Strong && first.kind != InlineKind::Code && first.kind != InlineKind::Emph &&
      first.kind != InlineKind::Text)
    return false;
  std::string text = first.kind == InlineKind::Code || first.kind == InlineKind::Text ? first.literal
                                                                                         : plain_text(first.children);
  if (!looks_like_option(text)) return false;
  if (level == 2 && !tagged_section()) return false;
  flush();
  write_line(".TP");
  inlines(b.inlines, /*plain=*/true);
  flush_tag();
  at_start_ = true;
  option_body_ = true;
  return true;
}

void Page::paragraph(const Block& b) {
  begin_block();
  inlines(b.inlines);
  flush();
}

// Man page sources write options as a bold option and an indented description:
//   **--output**=*FILE*
//     Write to FILE.
// which is one paragraph with a soft break. It becomes .TP with the first line as the
// tag. In an OPTIONS or COMMANDS section, a paragraph that is only such a line followed
// by a paragraph is the same thing written with a blank line between, and so is a line
// of plain text that is an option or a placeholder (ronn's sources).
bool Page::option_paragraph(const std::vector<Block>& list, size_t& i) {
  const Block& b = list[i];
  if (b.inlines.empty()) return false;
  const Inline& first = b.inlines.front();
  const bool option_section = tagged_section();
  if (first.kind == InlineKind::Text) {
    // Unmarked, as ronn's sources write them: a paragraph of one short line that is an
    // option or a placeholder ("-a, --all", "<file>") before its text, in an options
    // section.
    const std::string line = plain_text(b.inlines);
    const bool placeholder = line.size() > 2 && line.front() == '<' && line.back() == '>';
    if (!option_section || line.size() > 60 || (!looks_like_option(line) && !placeholder)) return false;
    for (const Inline& in : b.inlines)
      if (in.kind == InlineKind::SoftBreak || in.kind == InlineKind::HardBreak) return false;
  } else if (first.kind != InlineKind::Strong && first.kind != InlineKind::Code &&
             first.kind != InlineKind::Emph) {
    return false;
  }
  std::string first_text = first.kind == InlineKind::Code || first.kind == InlineKind::Text
                               ? first.literal : plain_text(first.children);
  if (!looks_like_option(first_text) && !option_section) return false;
  size_t brk = 0;
  while (brk < b.inlines.size() && b.inlines[brk].kind != InlineKind::SoftBreak &&
         b.inlines[brk].kind != InlineKind::HardBreak)
    ++brk;
  std::vector<Inline> tag(b.inlines.begin(), b.inlines.begin() + brk);
  std::vector<Inline> body;
  if (brk < b.inlines.size()) body.assign(b.inlines.begin() + brk + 1, b.inlines.end());
  bool next_is_body = body.empty() && option_section && i + 1 < list.size() &&
                      list[i + 1].kind == BlockKind::Paragraph;
  if (body.empty() && !next_is_body) return false;
  flush();
  write_line(".TP");
  inlines(tag, /*plain=*/true);
  flush_tag();
  at_start_ = true;
  if (next_is_body) {
    ++i;
    inlines(list[i].inlines);
  } else {
    inlines(body);
  }
  flush();
  at_start_ = false;
  ++i;
  return true;
}

// The NAME section's line is what whatis(1) and apropos(1) index: "name \- summary",
// plain text with the separator as \- (man-pages(7), groff_man(7) "NAME").
void Page::name_paragraph(const Block& b) {
  std::string text = plain_text(b.inlines);
  static const char* separators[] = {" \\- ", " -- ", " - ", " \u2014 ", " \u2013 "};
  for (const char* sep : separators) {
    size_t at = text.find(sep);
    if (at == std::string::npos) continue;
    begin_block();
    put(escape(text.substr(0, at), TextMode::Code, &used_));
    put(" \\- ");
    put(escape(text.substr(at + std::string(sep).size()), TextMode::Prose, &used_));
    flush();
    return;
  }
  paragraph(b);
}

// Code is kept verbatim in an indented example (.EX/.EE, groff_man(7) and mandoc's
// man(7)), one input line per source line. Tabs are expanded to 8 columns because roff's
// tab stops are every half inch, not every 8 characters. An empty line is `\&`: mandoc
// accepts blank lines in no-fill mode, but a page without blank lines is simpler to check.
void Page::code_block(const std::string& literal) {
  // Under an option heading the .IP indent is the example's (an .RS right after .IP
  // leaves the .IP empty: mandoc "skipping paragraph macro").
  bool indented = !option_body_;
  begin_block();
  if (indented) write_line(".RS 4");
  write_line(".EX");
  size_t start = 0;
  std::string text = literal;
  if (!text.empty() && text.back() == '\n') text.pop_back();
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string raw = text.substr(start, end - start);
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    std::string expanded;
    int col = 0;
    for (size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] == '\t') {
        do {
          expanded += ' ';
          ++col;
        } while (col % 8 != 0);
      } else {
        expanded += raw[k];
        if ((static_cast<unsigned char>(raw[k]) & 0xC0) != 0x80) ++col;
      }
    }
    while (!expanded.empty() && expanded.back() == ' ') expanded.pop_back();
    std::string line = escape(expanded, TextMode::Code, &used_);
    // In no-fill mode a leading space is kept as it is; only control characters need \&.
    if (line.empty()) line = "\\&";
    else if (line[0] == '.' || line[0] == '\'') line.insert(0, "\\&");
    write_line(line);
    if (end == text.size()) break;
    start = end + 1;
  }
  write_line(".EE");
  if (indented) write_line(".RE");
}

void Page::list_block(const Block& b) {
  flush();
  option_body_ = false;  // a list's .IP sets its own indent
  bool any_task = false;
  for (const ListItem& item : b.items) any_task |= item.task != TaskState::None;
  int width = 2;
  if (b.list.ordered) {
    int last = b.list.start + static_cast<int>(b.items.size()) - 1;
    width = static_cast<int>(std::to_string(std::max(last, b.list.start)).size()) + 2;
  }
  if (any_task) width = std::max(width, 4);
  // A tight list has no space between its items, as in the source: `.PD 0` before the
  // second item's .IP and `.PD` after the list (groff_man(7), mandoc's man(7)). A list
  // nested in a tight item starts without space too.
  bool nested_in_tight = in_tight_item_;
  int number = b.list.start;
  for (size_t i = 0; i < b.items.size(); ++i) {
    const ListItem& item = b.items[i];
    std::string tag;
    if (item.task == TaskState::Checked) tag = "[x]";
    else if (item.task == TaskState::Unchecked) tag = "[ ]";
    else if (b.list.ordered) tag = std::to_string(number) + b.list.delimiter;
    else tag = "\\(bu";
    ++number;
    flush();
    set_tight(b.list.tight && (i > 0 || nested_in_tight));
    write_line(".IP " + quote_arg(tag) + " " + std::to_string(width));
    at_start_ = true;
    in_tight_item_ = b.list.tight;
    item_blocks(item.blocks, std::to_string(width));
  }
  in_tight_item_ = nested_in_tight;
  if (!nested_in_tight) set_tight(false);
  at_start_ = false;
}

void Page::set_tight(bool tight) {
  if (tight == tight_) return;
  flush();
  write_line(tight ? ".PD 0" : ".PD");
  tight_ = tight;
}

// The blocks of a list item or definition after its tag: a first paragraph continues the
// tag's paragraph; the rest are indented to the same column with .RS/.RE.
void Page::item_blocks(const std::vector<Block>& list, const std::string& indent) {
  size_t i = 0;
  if (!list.empty() && list[0].kind == BlockKind::Paragraph) {
    inlines(list[0].inlines);
    flush();
    i = 1;
    at_start_ = false;
  }
  if (i < list.size()) {
    flush();
    write_line(indent.empty() ? ".RS" : ".RS " + indent);
    while (i < list.size()) block(list, i);
    macro(".RE");
  }
  at_start_ = false;
}

void Page::definition_list(const Block& b) {
  for (const DefinitionItem& item : b.definitions) {
    flush();
    write_line(".TP");
    inlines(item.term, /*plain=*/true);
    flush_tag();
    at_start_ = true;
    std::vector<Block> body;
    for (const auto& def : item.definitions) body.insert(body.end(), def.begin(), def.end());
    item_blocks(body, "");
  }
  at_start_ = false;
}

// A cell's text, on one line, or in a T{ T} text block (tbl(1)) when it is longer than
// `max_width` columns: a text block is filled to the column width instead of widening
// the table. Header cells are bold through the font stack, so the bold is closed before
// the line length is counted.
std::string Page::table_cell(const TableCell& cell, bool bold, int max_width) {
  std::string saved;
  saved.swap(out_);
  if (bold) push_font(kBold);
  inlines(cell.inlines, /*plain=*/true);
  if (bold) pop_font();
  flush();
  std::string lines;
  lines.swap(out_);
  out_.swap(saved);
  if (lines.empty()) return "";
  bool one_line = lines.find('\n') == lines.size() - 1;
  if (one_line && display_width(plain_text(cell.inlines)) <= max_width) {
    lines.pop_back();
    // A cell that is only "_" or "=" draws a rule, and "\^" spans the cell above.
    if (lines == "_" || lines == "=" || lines == "\\^") lines.insert(0, "\\&");
    return lines;
  }
  return "T{\n" + lines + "T}";
}

// The display width of the longest word of some text.
int longest_word(const std::string& text) {
  int longest = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    longest = std::max(longest, display_width(std::string_view(text).substr(start, end - start)));
    start = end + 1;
  }
  return longest;
}

// Column widths for tbl: none (tbl decides) when the table fits in kTableWidth columns
// as it is. Otherwise each column gets its longest word, and the room left is shared in
// proportion to how much longer its longest cell is, so tbl does not warn "table wider
// than line width" on an 80-column terminal and no word is wider than its column
// (groff: "can't break line"). Cells longer than their column become text blocks.
std::vector<int> table_widths(const TableData& t) {
  constexpr int kTableWidth = 70;  // an 80-column terminal less man's 7-column indent
  constexpr int kGap = 3;          // tbl's default column separation
  size_t cols = t.columns();
  std::vector<int> natural(cols, 1), minimum(cols, 1);
  for (const TableRow& row : t.rows) {
    size_t col = 0;
    for (const TableCell& cell : row.cells) {
      if (col >= cols) break;
      std::string text = plain_text(cell.inlines);
      if (cell.colspan <= 1) {
        natural[col] = std::max(natural[col], display_width(text));
        // Widths are in ens; in the proportional (and bold) fonts of PostScript output
        // a word is wider than its count of characters (capitals are about 1.4 ens;
        // groff may still hyphenate a long word).
        minimum[col] = std::max(minimum[col], longest_word(text) * 5 / 4 + 1);
      }
      col += static_cast<size_t>(std::max(cell.colspan, 1));
    }
  }
  int room = kTableWidth - kGap * static_cast<int>(cols - 1);
  int as_is = 0;
  for (int w : natural) as_is += w;
  if (as_is <= room) return {};
  int total = 0, least = 0;
  for (size_t c = 0; c < cols; ++c) {
    natural[c] = std::max(natural[c], minimum[c]);
    total += natural[c];
    least += minimum[c];
  }
  // Too many columns for the line: widths would only make it wider; tbl's own layout
  // is the best there is (and tbl says so when it does not fit).
  if (least >= room) return {};
  std::vector<int> widths = minimum;
  int spare = room - least;
  int wanted = total - least;
  for (size_t c = 0; c < cols; ++c)
    widths[c] += static_cast<int>(static_cast<long>(natural[c] - minimum[c]) * spare / wanted);
  return widths;
}

void Page::table(const Block& b) {
  const TableData& t = *b.table;
  size_t cols = t.columns();
  if (cols == 0 || t.rows.empty()) return;
  begin_block();
  has_table_ = true;
  std::vector<int> widths = table_widths(t);
  std::vector<std::string> formats;
  std::vector<std::string> data;
  bool header_done = false;
  for (const TableRow& row : t.rows) {
    if (!row.header && !header_done && !data.empty()) {
      data.push_back("_");
      header_done = true;
    }
    if (!row.header) header_done = true;
    std::string fmt;
    std::string line;
    size_t col = 0;
    for (const TableCell& cell : row.cells) {
      if (col >= cols) break;
      Align a = col < t.aligns.size() ? t.aligns[col] : Align::None;
      if (!fmt.empty()) fmt += ' ';
      fmt += a == Align::Center ? "c" : a == Align::Right ? "r" : "l";
      int max_width = 30;
      if (!widths.empty()) {
        fmt += "w(" + std::to_string(widths[col]) + "n)";
        max_width = widths[col];
        for (int s = 1; s < cell.colspan && col + s < cols; ++s) max_width += 3 + widths[col + s];
      }
      std::string text = table_cell(cell, cell.header || row.header, max_width);
      if (col > 0) line += '\t';
      line += text;
      ++col;
      for (int s = 1; s < cell.colspan && col < cols; ++s, ++col) {
        fmt += " s";
        line += '\t';
      }
    }
    for (; col < cols; ++col) {
      if (!fmt.empty()) fmt += ' ';
      fmt += "l";
      if (!widths.empty()) fmt += "w(" + std::to_string(widths[col]) + "n)";
    }
    // Missing and empty cells at the end of a row are left out: tbl fills them, and a
    // line must not end in white space. A row with no text at all is `\&`, not a blank
    // line.
    while (!line.empty() && line.back() == '\t') line.pop_back();
    if (line.empty()) line = "\\&";
    formats.push_back(fmt);
    data.push_back(line);
  }
  // tbl applies the last format line to every row after it: drop repeats at the end.
  while (formats.size() > 1 && formats[formats.size() - 2] == formats.back()) formats.pop_back();
  write_line(".TS");
  for (size_t k = 0; k < formats.size(); ++k)
    write_line(formats[k] + (k + 1 == formats.size() ? "." : ""));
  for (const std::string& d : data) {
    // Text blocks hold several lines; each was written through write_line already.
    out_ += d;
    out_ += '\n';
  }
  write_line(".TE");
}

void Page::footnotes(const Chapter& ch, bool as_subsection) {
  if (ch.footnotes.empty()) return;
  flush();
  write_line(as_subsection ? ".SS Notes" : ".SH NOTES");
  at_start_ = true;
  int width = static_cast<int>(std::to_string(ch.footnotes.size()).size()) + 3;
  for (const Footnote& fn : ch.footnotes) {
    flush();
    write_line(".IP [" + std::to_string(fn.number) + "] " + std::to_string(width));
    at_start_ = true;
    item_blocks(fn.blocks, std::to_string(width));
  }
  at_start_ = false;
}

int min_heading_level(const std::vector<Block>& list, size_t first) {
  int min = 7;
  for (size_t i = first; i < list.size(); ++i)
    if (list[i].kind == BlockKind::Heading && !plain_text(list[i].inlines).empty())
      min = std::min(min, list[i].level);
  return min;
}

// Which top-level headings of a page are sections (.SH). The source's NAME section counts
// only as its first section: npm's pages document package.json fields under headings
// like `### name` and `### bugs`, at the level of their real sections. A heading written
// all in lower case among capitalised ones is such a sub-heading, and so is a NAME
// heading anywhere but first: they become .SS, so whatis reads the right NAME line and
// the page has each standard section once.
void Page::plan_sections(const std::vector<Block>& list) {
  std::vector<const Block*> top;
  for (const Block& b : list)
    if (b.kind == BlockKind::Heading && b.level - shift_ <= 1 && !plain_text(b.inlines).empty())
      top.push_back(&b);
  auto has_upper = [](const std::string& t) {
    for (char c : t)
      if (c >= 'A' && c <= 'Z') return true;
    return false;
  };
  auto has_letter = [](const std::string& t) {
    for (char c : t)
      if (std::isalpha(static_cast<unsigned char>(c))) return true;
    return false;
  };
  bool any_capitalised = false;
  for (const Block* b : top) any_capitalised |= has_upper(plain_text(b->inlines));
  source_has_name_ = !top.empty() && upper_ascii(plain_text(top.front()->inlines)) == "NAME";
  for (size_t k = 0; k < top.size(); ++k) {
    std::string text = plain_text(top[k]->inlines);
    bool lower_only = has_letter(text) && !has_upper(text);
    if ((any_capitalised && lower_only) || (k > 0 && upper_ascii(text) == "NAME")) demoted_.insert(top[k]);
  }
}

// Authors from the front matter or a title block, when the page has no AUTHORS section of
// its own: man pages name theirs at the end (man-pages(7) "AUTHORS").
void Page::authors(const Metadata& meta) {
  if (meta.authors.empty() || sections_.count("AUTHORS") || sections_.count("AUTHOR")) return;
  flush();
  write_line(".SH AUTHORS");
  section_ = "AUTHORS";
  at_start_ = true;
  for (size_t k = 0; k < meta.authors.size(); ++k) {
    if (k > 0) macro(".br");
    put(escape(meta.authors[k], TextMode::Prose, &used_));
  }
  flush();
  at_start_ = false;
}

void Page::chapter_body(const Chapter& ch, size_t first) {
  for (size_t i = first; i < ch.blocks.size();) block(ch.blocks, i);
}

std::string Page::render() {
  const Document& doc = ctx_.doc;
  const Metadata& meta = doc.meta;
  std::string name = page_name(meta);
  std::string section_number = page_section(meta);

  if (!doc.is_book() && !doc.chapters.empty()) {
    const Chapter& ch = doc.chapters.front();
    // (Title lines of every dialect are read by the parser into the metadata.)
    size_t first = 0;
    // Headings are shifted so that the highest level used is .SH: a post written with
    // `##` sections reads the same as one written with `#`.
    int min = min_heading_level(ch.blocks, first);
    shift_ = min <= 6 ? min - 1 : 0;
    upper_sections_ = true;
    plan_sections(ch.blocks);
    bool has_name = source_has_name_;
    size_t body = first;
    while (body < ch.blocks.size() && ch.blocks[body].kind == BlockKind::Heading &&
           plain_text(ch.blocks[body].inlines).empty())
      ++body;
    if (!has_name) {
      write_line(".SH NAME");
      section_ = "NAME";
      sections_.insert("NAME");
      // A man-page source (it names its page or section) summarises itself in its
      // description; a post is known by its title, and its description is often its
      // cut-off first paragraph ("...").
      bool man_source = !meta.man_name.empty() || !meta.man_section.empty();
      std::string summary = man_source ? meta.description : meta.title;
      if (summary.empty() || summary.size() > 100 ||
          (summary.size() >= 3 && summary.compare(summary.size() - 3, 3, "...") == 0))
        summary = meta.title.empty() ? name : meta.title;
      if (man_source && summary == meta.title && !meta.description.empty() && meta.description.size() <= 100)
        summary = meta.description;
      put(escape(name, TextMode::Code, &used_));
      put(" \\- ");
      put(escape(summary, TextMode::Prose, &used_));
      flush();
      bool starts_with_section = body < ch.blocks.size() &&
                                 ch.blocks[body].kind == BlockKind::Heading &&
                                 ch.blocks[body].level - shift_ == 1 && !demoted_.count(&ch.blocks[body]);
      if (!starts_with_section) {
        write_line(".SH DESCRIPTION");
        section_ = "DESCRIPTION";
        sections_.insert("DESCRIPTION");
      }
      at_start_ = true;
    }
    chapter_body(ch, first);
    authors(meta);
    footnotes(ch, false);
  } else {
    // A book is one page: NAME from the book's metadata, then one .SH per chapter with
    // the chapter's own sections as .SS. A reader pages through it like any long man
    // page (bash(1), perlfunc(1)), and the chapter titles show in the section index.
    write_line(".SH NAME");
    section_ = "NAME";
    put(escape(name, TextMode::Code, &used_));
    put(" \\- ");
    put(escape(meta.title.empty() ? name : meta.title, TextMode::Prose, &used_));
    flush();
    for (const Chapter& ch : doc.chapters) {
      size_t first = 0;
      std::vector<Inline> title;
      if (!ch.meta.title.empty()) {
        Inline t;
        t.literal = ch.meta.title;
        title.push_back(t);
      }
      // A chapter without a title in its front matter takes its first heading.
      while (first < ch.blocks.size() && ch.blocks[first].kind == BlockKind::Heading &&
             plain_text(ch.blocks[first].inlines).empty())
        ++first;
      if (title.empty() && first < ch.blocks.size() &&
          ch.blocks[first].kind == BlockKind::Heading) {
        title = ch.blocks[first].inlines;
        ++first;
      }
      if (title.empty()) {
        Inline t;
        t.literal = ch.id;
        title.push_back(t);
      }
      int min = min_heading_level(ch.blocks, first);
      shift_ = min <= 6 ? min - 2 : 0;
      section_heading(".SH", title);
      chapter_body(ch, first);
      footnotes(ch, true);
    }
  }
  flush();
  return header() + out_;
}

// The lines before the body. `.ad l` sets ragged-right text: blog posts are full of long
// URLs and code that cannot be broken, and with justified text groff reports every line
// it cannot stretch ("cannot adjust line" under -ww) and spreads the other words apart.
// mandoc never justifies, so both formatters now agree.
std::string Page::header() {
  const Document& doc = ctx_.doc;
  const Metadata& meta = doc.meta;
  std::string name = page_name(meta);
  std::string section = page_section(meta);
  std::string date = page_date(meta, ctx_.options.source_date_epoch);
  if (date.empty()) {
    SourcePos pos;
    if (!doc.chapters.empty()) pos.file = doc.chapters.front().source.get();
    ctx_.diag.warning(pos, "no date in the front matter: the man page has an empty date "
                           "(add `date:` or set SOURCE_DATE_EPOCH)");
  }
  std::string source = extra_string(meta, "source");
  if (source.empty()) source = extra_string(meta, "footer");
  std::string manual = extra_string(meta, "manual");
  if (manual.empty()) manual = extra_string(meta, "header");
  if (manual.empty()) manual = default_manual(section);

  std::string h;
  if (has_table_) h += "'\\\" t\n";
  // The page title is the name in capitals (man-pages(7); mandoc STYLE "lower case
  // character in document title").
  h += ".TH " + quote_arg(escape(upper_all(name), TextMode::Code, &used_)) + " " +
       quote_arg(escape(section, TextMode::Code, &used_)) + " " +
       quote_arg(escape(date, TextMode::Prose, &used_)) + " " +
       quote_arg(escape(source, TextMode::Prose, &used_)) + " " +
       quote_arg(escape(manual, TextMode::Prose, &used_)) + "\n";
  h += ".ad l\n";
  h += glyph_fallbacks(used_);
  return h;
}

class ManBackend final : public Backend {
 public:
  const char* name() const override { return "man"; }
  std::vector<std::string> aliases() const override { return {"roff"}; }
  std::vector<std::string> extensions() const override {
    return {".man", ".1", ".2", ".3", ".4", ".5", ".6", ".7", ".8", ".9"};
  }
  std::string extension_for(const Document& doc) const override {
    return "." + page_section(doc.meta);
  }
  const char* description() const override {
    return "man page (roff with the man(7) macros, for man, groff and mandoc)";
  }
  void render(const RenderContext& ctx, std::string& out) const override {
    Page page(ctx);
    out = page.render();
  }
};

}  // namespace

std::string page_name(const Metadata& meta) {
  if (!meta.man_name.empty()) return meta.man_name;
  std::string name, section;
  if (parse_name_section(meta.title, name, section)) return name;
  return name_from_title(meta.title);
}

// Section 7 ("Miscellaneous: overviews, conventions, ...", man-pages(7)) is where prose
// that documents no command, call or file belongs: release notes and articles are
// overviews. Section 1 would make `man` list them among commands.
std::string page_section(const Metadata& meta) {
  if (!meta.man_section.empty()) return meta.man_section;
  std::string name, section;
  if (parse_name_section(meta.title, name, section)) return section;
  return "7";
}

const Backend& backend() {
  static const ManBackend instance;
  return instance;
}

}  // namespace relconv::man
