#include "parse/front_matter.h"
#include "parse/title.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <set>

#include "text/utf8.h"

namespace relconv::detail {

namespace {

bool is_fence(std::string_view line, bool closing) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line == "---" || (closing && line == "...");
}

// A line that starts a YAML mapping: a key (a name, or a quoted string) and a colon that
// ends the line or is followed by a space.
bool looks_like_key(std::string_view line) {
  size_t i = 0;
  if (line.empty()) return false;
  if (line[0] == '"' || line[0] == '\'') {
    i = line.find(line[0], 1);
    if (i == std::string_view::npos) return false;
    ++i;
  } else {
    if (!(std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_')) return false;
    while (i < line.size() &&
           (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' || line[i] == '-' || line[i] == '.'))
      ++i;
  }
  return i < line.size() && line[i] == ':' && (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t');
}

SourcePos pos_at(const std::string* file, uint32_t first_line, const YAML::Mark& mark) {
  SourcePos p;
  p.file = file;
  if (mark.line >= 0) {
    p.line = first_line + static_cast<uint32_t>(mark.line);
    p.col = static_cast<uint32_t>(mark.column) + 1;
  } else {
    p.line = first_line > 1 ? first_line - 1 : 1;
    p.col = 1;
  }
  return p;
}

// A scalar's value: quoted ones are always text; a plain one may be true/false or a number.
MetaValue scalar_value(std::string s, bool plain) {
  MetaValue v;
  v.kind = MetaValue::Kind::String;
  v.string = std::move(s);
  if (!plain) return v;
  const std::string& t = v.string;
  if (t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE") {
    v.kind = MetaValue::Kind::Bool;
    v.boolean = t[0] == 't' || t[0] == 'T';
    return v;
  }
  if (!t.empty()) {
    char* end = nullptr;
    double d = std::strtod(t.c_str(), &end);
    if (end && *end == '\0' &&
        (std::isdigit(static_cast<unsigned char>(t[0])) || t[0] == '-' || t[0] == '+' || t[0] == '.')) {
      v.kind = MetaValue::Kind::Number;
      v.number = d;
    }
  }
  return v;
}

class Converter {
 public:
  // `what` names the YAML's source in messages: "front matter", "metadata file", …
  Converter(const std::string* file, uint32_t first_line, size_t budget, std::string what)
      : file_(file), first_line_(first_line), budget_(budget), what_(std::move(what)) {}

  MetaValue value(const YAML::Node& node, int depth = 0) {
    if (++count_ > budget_ || depth > 64)
      throw Error(pos_at(file_, first_line_, node.Mark()),
                  what_ + " expands to more than " + std::to_string(budget_) +
                      " values or nests deeper than 64 levels (aliases used as a YAML bomb?)");
    MetaValue v;
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        v.kind = MetaValue::Kind::Null;
        break;
      case YAML::NodeType::Scalar:
        v = scalar_value(node.Scalar(), node.Tag() == "?");
        break;
      case YAML::NodeType::Sequence:
        v.kind = MetaValue::Kind::List;
        for (const auto& item : node) v.list.push_back(value(item, depth + 1));
        break;
      case YAML::NodeType::Map:
        v.kind = MetaValue::Kind::Map;
        for (const auto& kv : node) v.map.emplace_back(kv.first.Scalar(), value(kv.second, depth + 1));
        break;
    }
    return v;
  }

  SourcePos pos(const YAML::Node& node) const { return pos_at(file_, first_line_, node.Mark()); }

 private:
  const std::string* file_;
  uint32_t first_line_;
  size_t budget_;
  std::string what_;
  size_t count_ = 0;
};

std::string type_name(const MetaValue& v) {
  switch (v.kind) {
    case MetaValue::Kind::Null: return "nothing";
    case MetaValue::Kind::Bool: return "a true/false value";
    case MetaValue::Kind::Number: return "a number";
    case MetaValue::Kind::String: return "text";
    case MetaValue::Kind::List: return "a list";
    case MetaValue::Kind::Map: return "a mapping";
  }
  return "?";
}

}  // namespace

FrontMatter split_front_matter(std::string_view text, const std::string* file) {
  FrontMatter fm;
  size_t eol = text.find('\n');
  std::string_view first = text.substr(0, eol);
  if (eol == std::string_view::npos || !is_fence(first, false)) return fm;
  // Front matter is a YAML mapping, so its first line is a key. Anything else (a blank line,
  // `Foo` then `---`, another `---`) is Markdown: a thematic break, a setext heading, …
  size_t pos = eol + 1;
  uint32_t line = 2;
  size_t next_eol = text.find('\n', pos);
  std::string_view second = text.substr(pos, next_eol == std::string_view::npos ? text.npos : next_eol - pos);
  if (!looks_like_key(second)) return fm;
  while (pos <= text.size()) {
    size_t e = text.find('\n', pos);
    std::string_view l = text.substr(pos, e == std::string_view::npos ? text.npos : e - pos);
    if (is_fence(l, true)) {
      fm.present = true;
      fm.yaml = text.substr(eol + 1, pos - (eol + 1));
      fm.yaml_line = 2;
      fm.body_offset = e == std::string_view::npos ? text.size() : e + 1;
      fm.body_line = line + 1;
      return fm;
    }
    if (e == std::string_view::npos) break;
    pos = e + 1;
    ++line;
  }
  SourcePos p{file, 1, 1};
  throw Error(p, "front matter opened here is never closed (expected a line '---' after the YAML)");
}

namespace {

std::string expect_text(const MetaValue& v, const std::string& key, const SourcePos& pos) {
  switch (v.kind) {
    case MetaValue::Kind::String:
    case MetaValue::Kind::Number:
      return v.string;
    case MetaValue::Kind::Bool:
      return v.boolean ? "true" : "false";
    case MetaValue::Kind::Null:
      return "";
    default:
      throw Error(pos, "'" + key + "' must be text, not " + type_name(v));
  }
}

std::vector<std::string> expect_list(const MetaValue& v, const std::string& key, const SourcePos& pos,
                                     Diagnostics& diag, bool split_commas) {
  std::vector<std::string> out;
  if (v.kind == MetaValue::Kind::List) {
    for (const auto& item : v.list) {
      std::string s = expect_text(item, key, pos);
      if (!s.empty()) out.push_back(s);
    }
    return out;
  }
  if (v.kind == MetaValue::Kind::Map) throw Error(pos, "'" + key + "' must be a list, not a mapping");
  if (v.kind == MetaValue::Kind::Null) return out;
  std::string s = expect_text(v, key, pos);
  if (v.kind != MetaValue::Kind::String)
    diag.warning(pos, "'" + key + "' should be a list; using '" + s + "' as its only item");
  if (!split_commas) {
    if (!s.empty()) out.push_back(s);
    return out;
  }
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool expect_bool(const MetaValue& v, const std::string& key, const SourcePos& pos) {
  if (v.kind == MetaValue::Kind::Bool) return v.boolean;
  if (v.kind == MetaValue::Kind::String || v.kind == MetaValue::Kind::Number) {
    std::string s = v.string;
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s == "yes" || s == "on" || s == "1" || s == "true") return true;
    if (s == "no" || s == "off" || s == "0" || s == "false") return false;
  }
  throw Error(pos, "'" + key + "' must be true or false, not " + type_name(v));
}

bool is_iso_date(const std::string& s) {
  auto digit = [&](size_t i) { return i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); };
  return s.size() >= 10 && digit(0) && digit(1) && digit(2) && digit(3) && s[4] == '-' && digit(5) &&
         digit(6) && s[7] == '-' && digit(8) && digit(9) && (s.size() == 10 || s[10] == 'T' || s[10] == ' ');
}

// A date of the form YYYY-MM-DD (with a time or not) as written; a written form
// ("June 15, 2006", "JUNE 2014") as ISO 8601 (normalize_date). Anything else is a warning
// and goes to `as_written` when the caller keeps dates as written (a man page's .TH).
std::string expect_date(const MetaValue& v, const std::string& key, const SourcePos& pos, Diagnostics& diag,
                        std::string* as_written = nullptr) {
  std::string s = expect_text(v, key, pos);
  if (s.empty() || is_iso_date(s)) return s;
  std::string iso = normalize_date(s);
  if (!iso.empty()) return iso;
  if (as_written) {
    diag.warning(pos, "'" + key + "' is '" + s + "', not a date relconv can read (YYYY-MM-DD, June 15, 2006, "
                      "June 2006); it is shown as written where a format shows dates");
    *as_written = s;
    return "";
  }
  diag.warning(pos, "'" + key + "' is '" + s + "', not a date of the form YYYY-MM-DD; it is ignored");
  return "";
}

// "name(1)" -> name "name", section "1".
bool split_man_title(const std::string& title, std::string& name, std::string& section) {
  size_t open = title.rfind('(');
  if (open == std::string::npos || open == 0 || title.back() != ')') return false;
  std::string sec = title.substr(open + 1, title.size() - open - 2);
  if (sec.empty() || sec.size() > 4 || !std::isdigit(static_cast<unsigned char>(sec[0]))) return false;
  std::string n = title.substr(0, open);
  if (n.find(' ') != std::string::npos) return false;
  name = n;
  section = sec;
  return true;
}

}  // namespace

// Maps one key onto the model; shared by front matter, -M and metadata files.
void apply_meta_value(Metadata& meta, const std::string& key, const MetaValue& v, const SourcePos& pos,
                      Diagnostics& diag) {
  meta.positions[key] = pos;
  if (key == "title") {
    meta.title = expect_text(v, key, pos);
    std::string name, section;
    if (split_man_title(meta.title, name, section)) {
      if (meta.man_name.empty()) meta.man_name = name;
      if (meta.man_section.empty()) meta.man_section = section;
    }
  } else if (key == "subtitle") {
    meta.subtitle = expect_text(v, key, pos);
  } else if (key == "author" || key == "authors") {
    meta.authors = expect_list(v, key, pos, diag, false);
  } else if (key == "date" || key == "publishDate" || key == "pubDate" || key == "published_at") {
    meta.date = expect_date(v, key, pos, diag, &meta.date_text);
  } else if (key == "updatedDate" || key == "updated" || key == "lastmod" || key == "modified") {
    meta.updated = expect_date(v, key, pos, diag);
  } else if (key == "description" || key == "summary" || key == "abstract") {
    meta.description = expect_text(v, key, pos);
  } else if (key == "tags" || key == "keywords" || key == "categories") {
    auto items = expect_list(v, key, pos, diag, true);
    for (auto& t : items) meta.tags.push_back(std::move(t));
  } else if (key == "lang" || key == "language") {
    meta.language = expect_text(v, key, pos);
  } else if (key == "identifier" || key == "uuid" || key == "isbn") {
    meta.identifier = expect_text(v, key, pos);
  } else if (key == "published") {
    meta.published = expect_bool(v, key, pos);
  } else if (key == "draft") {
    meta.published = !expect_bool(v, key, pos);
  } else if (key == "legacyUrl" || key == "url" || key == "canonical" || key == "permalink") {
    meta.source_url = expect_text(v, key, pos);
  } else if (key == "section" || key == "man_section") {
    meta.man_section = expect_text(v, key, pos);
  } else if (key == "name" || key == "man_name") {
    meta.man_name = expect_text(v, key, pos);
  } else {
    for (auto& kv : meta.extra)
      if (kv.first == key) {
        kv.second = v;
        return;
      }
    meta.extra.emplace_back(key, v);
  }
}

namespace {

// --- The short way: front matter that is a flat mapping of one-line values ----------------
//
// yaml-cpp spends about 1,400 instructions on each byte of front matter (its scanner
// matches a tree of regular expressions at every character): more than cmark-gfm spends on
// the whole post. Nearly all front matter is a list of `key: value` lines, so those are
// read here, and yaml-cpp reads everything else. This reader accepts a small, exactly
// described part of YAML and gives up (returns false) at the first thing outside it; what
// it accepts it reads as yaml-cpp does, down to the positions. tests/unit/test_parse.cpp
// and the parse fuzz target compare the two readers on every input that both read.

bool is_null_word(std::string_view s) { return s == "~" || s == "null" || s == "Null" || s == "NULL"; }

// Only printable ASCII, line feeds, and UTF-8 characters that YAML reads as ordinary
// ones: no tabs, carriage returns, byte order marks or Unicode line breaks.
bool plain_bytes(std::string_view yaml) {
  for (size_t i = 0; i < yaml.size();) {
    auto c = static_cast<unsigned char>(yaml[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n') || c == 0x7F) return false;
      ++i;
      continue;
    }
    bool ok = false;
    char32_t cp = utf8_decode(yaml, i, &ok);
    if (!ok || cp < 0xA0 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF)
      return false;
  }
  return true;
}

// A scalar alone on the rest of a line: plain, 'single-quoted', or "double-quoted" without
// escapes. Trailing spaces are not part of it.
bool one_line_scalar(std::string_view s, MetaValue& v, bool& quoted) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return false;
  if (s[0] == '\'') {
    std::string out;
    size_t i = 1;
    for (;; ++i) {
      if (i >= s.size()) return false;  // closed on a later line, or never
      if (s[i] == '\'') {
        if (i + 1 < s.size() && s[i + 1] == '\'') {
          out += '\'';
          ++i;
          continue;
        }
        break;
      }
      out += s[i];
    }
    if (i + 1 != s.size()) return false;  // something after the closing quote
    v = scalar_value(std::move(out), false);
    quoted = true;
    return true;
  }
  if (s[0] == '"') {
    size_t close = s.find_first_of("\"\\", 1);
    if (close != s.size() - 1 || s[close] != '"') return false;
    v = scalar_value(std::string(s.substr(1, close - 1)), false);
    quoted = true;
    return true;
  }
  // A plain scalar: no indicator first, no comment, nothing that starts a mapping.
  bool negative = s[0] == '-' && s.size() > 1 && (std::isalnum(static_cast<unsigned char>(s[1])) || s[1] == '.');
  if (!negative && std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s[0]) != std::string_view::npos) return false;
  if (s.find('#') != s.npos || s.find(": ") != s.npos || s.back() == ':') return false;
  if (is_null_word(s)) {
    v = MetaValue{};
  } else {
    v = scalar_value(std::string(s), true);
  }
  quoted = false;
  return true;
}

size_t leading_spaces(std::string_view l) {
  size_t n = l.find_first_not_of(' ');
  return n == l.npos ? l.size() : n;
}

bool is_blank(std::string_view l) { return leading_spaces(l) == l.size(); }

// `key:` at the start of a line, followed by a space or the end of the line. Returns the
// length of the key, or 0.
size_t key_length(std::string_view l) {
  if (l.empty() || !(std::isalpha(static_cast<unsigned char>(l[0])) || l[0] == '_')) return 0;
  size_t i = 1;
  while (i < l.size() && (std::isalnum(static_cast<unsigned char>(l[i])) || l[i] == '_' || l[i] == '-')) ++i;
  if (i >= l.size() || l[i] != ':' || (i + 1 < l.size() && l[i + 1] != ' ')) return 0;
  return i;
}

}  // namespace

namespace {
bool same_value(const MetaValue& a, const MetaValue& b) {
  if (a.kind != b.kind || a.string != b.string || a.boolean != b.boolean || a.list.size() != b.list.size() ||
      a.map.size() != b.map.size())
    return false;
  for (size_t i = 0; i < a.list.size(); ++i)
    if (!same_value(a.list[i], b.list[i])) return false;
  for (size_t i = 0; i < a.map.size(); ++i)
    if (a.map[i].first != b.map[i].first || !same_value(a.map[i].second, b.map[i].second)) return false;
  return true;
}
}  // namespace

bool operator==(const YamlEntry& a, const YamlEntry& b) {
  return a.key == b.key && a.key_line == b.key_line && a.key_col == b.key_col && same_value(a.value, b.value) &&
         a.value_line == b.value_line && a.value_col == b.value_col && a.quoted == b.quoted;
}

bool read_simple_yaml(std::string_view yaml, size_t max_values, std::vector<YamlEntry>& out) {
  out.clear();
  if (!plain_bytes(yaml)) return false;
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= yaml.size();) {
    size_t e = yaml.find('\n', start);
    if (e == yaml.npos) {
      if (start < yaml.size()) lines.push_back(yaml.substr(start));
      break;
    }
    lines.push_back(yaml.substr(start, e - start));
    start = e + 1;
  }
  size_t values = 0;
  for (size_t i = 0; i < lines.size();) {
    std::string_view l = lines[i];
    if (is_blank(l) || l[0] == '#') {
      ++i;
      continue;
    }
    size_t klen = key_length(l);
    if (klen == 0 || klen > 1000 || is_null_word(l.substr(0, klen))) return false;
    YamlEntry entry;
    entry.key = std::string(l.substr(0, klen));
    entry.key_line = static_cast<int>(i);
    entry.key_col = 0;
    size_t col = klen + 1;
    while (col < l.size() && l[col] == ' ') ++col;
    std::string_view rest = l.substr(col);
    while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
    ++values;
    if (!rest.empty()) {
      entry.value_line = static_cast<int>(i);
      entry.value_col = static_cast<int>(col);
      if (rest == "[]") {
        entry.value.kind = MetaValue::Kind::List;
      } else if (!one_line_scalar(rest, entry.value, entry.quoted)) {
        return false;
      }
      ++i;
    } else {
      // Nothing after the colon: a block sequence on the next lines, or null when the next
      // line holds the next key.
      if (i + 1 >= lines.size()) return false;
      std::string_view next = lines[i + 1];
      size_t indent = leading_spaces(next);
      if (indent < next.size() && next[indent] == '-') {
        entry.value_line = static_cast<int>(i + 1);
        entry.value_col = static_cast<int>(indent);
        entry.value.kind = MetaValue::Kind::List;
        size_t j = i + 1;
        for (; j < lines.size(); ++j) {
          std::string_view item = lines[j];
          if (leading_spaces(item) != indent || item.size() < indent + 2 || item[indent] != '-' ||
              item[indent + 1] != ' ')
            break;
          MetaValue v;
          bool quoted = false;
          size_t at = indent + 2;
          while (at < item.size() && item[at] == ' ') ++at;
          if (!one_line_scalar(item.substr(at), v, quoted)) return false;
          entry.value.list.push_back(std::move(v));
          ++values;
        }
        // The sequence ends at the next key, a blank line, a comment or the end.
        if (j < lines.size() && !is_blank(lines[j]) && lines[j][0] != '#' && key_length(lines[j]) == 0)
          return false;
        i = j;
      } else if (key_length(next) != 0) {
        entry.value_line = static_cast<int>(i + 1);
        entry.value_col = 0;
        ++i;
      } else {
        return false;
      }
    }
    if (values > max_values) return false;
    out.push_back(std::move(entry));
  }
  return true;
}

namespace {

// --- The long way: yaml-cpp ----------------------------------------------------------------

// The top-level mapping's entries as yaml-cpp reads them. A null document has none; any
// other document that is not a mapping is an error.
std::vector<YamlEntry> read_yaml_cpp(std::string_view yaml, uint32_t first_line, const std::string* file,
                                     const ParseOptions& options, const std::string& what) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    SourcePos p{file, first_line + static_cast<uint32_t>(e.mark.line < 0 ? 0 : e.mark.line),
                static_cast<uint32_t>(e.mark.column < 0 ? 0 : e.mark.column) + 1};
    throw Error(p, "malformed YAML " + what + ": " + e.msg);
  } catch (const YAML::Exception& e) {
    throw Error(SourcePos{file, first_line, 1}, "malformed YAML " + what + ": " + e.what());
  }
  std::vector<YamlEntry> entries;
  if (root.IsNull()) return entries;
  if (!root.IsMap())
    throw Error(SourcePos{file, first_line, 1}, what + " must be a mapping of keys to values");

  Converter conv(file, first_line, options.max_yaml_nodes, what);
  try {
    for (const auto& kv : root) {
      YamlEntry e;
      e.key = kv.first.Scalar();
      e.key_line = kv.first.Mark().line;
      e.key_col = kv.first.Mark().column;
      e.value = conv.value(kv.second);
      e.value_line = kv.second.Mark().line;
      e.value_col = kv.second.Mark().column;
      e.quoted = kv.second.IsScalar() && kv.second.Tag() == "!";
      entries.push_back(std::move(e));
    }
  } catch (const YAML::Exception& e) {
    throw Error(SourcePos{file, first_line, 1}, "malformed YAML " + what + ": " + e.what());
  }
  return entries;
}

SourcePos entry_pos(const std::string* file, uint32_t first_line, int line, int col) {
  YAML::Mark mark = YAML::Mark::null_mark();
  if (line >= 0) {
    mark.line = line;
    mark.column = col;
  }
  return pos_at(file, first_line, mark);
}

}  // namespace

std::vector<YamlEntry> read_yaml_entries(std::string_view yaml, uint32_t first_line, const std::string* file,
                                         const ParseOptions& options, const std::string& what,
                                         bool short_way) {
  std::vector<YamlEntry> entries;
  if (short_way && read_simple_yaml(yaml, options.max_yaml_nodes, entries)) return entries;
  return read_yaml_cpp(yaml, first_line, file, options, what);
}

void parse_yaml_metadata(std::string_view yaml, uint32_t first_line, const std::string* file, Metadata& meta,
                         Diagnostics& diag, const ParseOptions& options, const std::string& what) {
  std::vector<YamlEntry> entries = read_yaml_entries(yaml, first_line, file, options, what);
  std::set<std::string> seen;
  std::set<int> key_lines;
  std::vector<const YamlEntry*> quoted;
  for (const YamlEntry& e : entries) {
    key_lines.insert(e.key_line);
    if (!seen.insert(e.key).second) {
      diag.warning(entry_pos(file, first_line, e.key_line, e.key_col),
                   "duplicate key '" + e.key + "'; the first value is used");
      continue;
    }
    if (e.quoted) quoted.push_back(&e);
    apply_meta_value(meta, e.key, e.value, entry_pos(file, first_line, e.value_line, e.value_col), diag);
  }

  // yaml-cpp 0.7 lets an unterminated quote swallow every line up to the end of the front
  // matter without an error. A line that looks like a top-level key but did not become
  // one was swallowed so: report the quote that did it.
  int line_no = 0;
  size_t start = 0;
  while (start < yaml.size()) {
    size_t e = yaml.find('\n', start);
    std::string_view l = yaml.substr(start, e == std::string_view::npos ? yaml.npos : e - start);
    if (looks_like_key(l) && !key_lines.count(line_no)) {
      for (auto it = quoted.rbegin(); it != quoted.rend(); ++it) {
        if ((*it)->key_line < line_no) {
          throw Error(entry_pos(file, first_line, (*it)->value_line, (*it)->value_col),
                      "quoted value is never closed: it runs on to line " +
                          std::to_string(first_line + static_cast<uint32_t>(line_no)) + " ('" +
                          std::string(l.substr(0, 40)) + "')");
        }
      }
    }
    if (e == std::string_view::npos) break;
    start = e + 1;
    ++line_no;
  }
}

MetaValue parse_yaml_value(const std::string& text, const SourcePos& pos, const std::string& what) {
  // The value in messages, cut after 40 bytes (at a character boundary).
  std::string shown = text;
  if (shown.size() > 40) {
    size_t cut = 40;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
    shown = shown.substr(0, cut) + "…";
  }
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    SourcePos p = pos;
    if (e.mark.line >= 0) {
      p.line = (pos.line ? pos.line : 1) + static_cast<uint32_t>(e.mark.line);
      p.col = static_cast<uint32_t>(e.mark.column) + 1;
    }
    throw Error(p, "malformed YAML in " + what + " '" + shown + "': " + e.msg);
  } catch (const YAML::Exception& e) {
    throw Error(pos, "malformed YAML in " + what + " '" + shown + "': " + e.what());
  }
  Converter conv(pos.file, pos.line ? pos.line : 1, ParseOptions{}.max_yaml_nodes, what);
  return conv.value(node);
}

void parse_front_matter(const FrontMatter& fm, const std::string* file, Metadata& meta, Diagnostics& diag,
                        const ParseOptions& options) {
  if (!fm.present) return;
  parse_yaml_metadata(fm.yaml, fm.yaml_line, file, meta, diag, options, "front matter");
}

}  // namespace relconv::detail
