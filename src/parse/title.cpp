// Title lines of man-page sources (see title.h).
#include "parse/title.h"

#include <cctype>
#include <vector>

#include "text/utf8.h"

namespace relconv::detail {

namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// A man section: a digit, then up to three letters or digits ("1", "3p", "8x", "28").
bool is_section(const std::string& s) {
  if (s.empty() || s.size() > 4 || !std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

// A page name as title lines write it; one in capitals (`XMONAD(1)`, go-md2man's `% SKOPEO
// 1`) is the .TH spelling of a name that is typed in lower case.
std::string page_name_from(std::string name) {
  bool has_lower = false, has_upper = false;
  for (char c : name) {
    has_lower |= std::islower(static_cast<unsigned char>(c)) != 0;
    has_upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
  }
  return has_upper && !has_lower ? ascii_lower(name) : name;
}

// `name(section)` at the start of `s`: the name, the section and what follows.
bool split_name_section(const std::string& s, std::string& name, std::string& section, std::string& rest) {
  size_t open = s.find('(');
  if (open == std::string::npos || open == 0) return false;
  size_t close = s.find(')', open);
  if (close == std::string::npos) return false;
  std::string n = s.substr(0, open), sec = s.substr(open + 1, close - open - 1);
  if (n.find_first_of(" \t") != std::string::npos || !is_section(sec)) return false;
  if (close + 1 < s.size() && s[close + 1] != ' ' && s[close + 1] != '\t') return false;
  name = n;
  section = sec;
  rest = trim(std::string_view(s).substr(close + 1));
  return true;
}

// Splits go-md2man's title fields: words, or "quoted strings" that may hold spaces.
// Returns false when a quote is never closed.
bool split_fields(const std::string& s, std::vector<std::string>& fields, bool& quoted) {
  quoted = false;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    if (s[i] == '"') {
      size_t close = s.find('"', i + 1);
      if (close == std::string::npos) return false;
      fields.push_back(s.substr(i + 1, close - i - 1));
      quoted = true;
      i = close + 1;
    } else {
      size_t end = s.find_first_of(" \t", i);
      if (end == std::string::npos) end = s.size();
      fields.push_back(s.substr(i, end - i));
      i = end;
    }
  }
  return true;
}

void set_extra(Metadata& meta, const char* key, const std::string& value) {
  if (value.empty()) return;
  for (const auto& kv : meta.extra)
    if (kv.first == key) return;  // the front matter said
  MetaValue v;
  v.kind = MetaValue::Kind::String;
  v.string = value;
  meta.extra.emplace_back(key, v);
}

void set_name(Metadata& meta, const std::string& name, const std::string& section) {
  if (meta.man_name.empty()) meta.man_name = page_name_from(name);
  if (meta.man_section.empty()) meta.man_section = section;
}

// Where a title line is, for its messages.
struct At {
  SourcePos pos;
  Diagnostics& diag;
};

void set_date(Metadata& meta, const std::string& written, const At& at) {
  if (written.empty() || !meta.date.empty() || !meta.date_text.empty()) return;
  std::string iso = normalize_date(written);
  if (!iso.empty()) {
    meta.date = iso;
    return;
  }
  // As the front matter's `date` does (front_matter.cpp, expect_date).
  at.diag.warning(at.pos, "the title's date '" + written + "' is not a date relconv can read (YYYY-MM-DD, June 15, "
                          "2006, June 2006); it is shown as written where a format shows dates");
  meta.date_text = written;
}

// go-md2man's fields after the name and section: date, source, manual. Unquoted words
// (`% NAME 5 System-wide registry configuration file`) are one field: a date if they
// read as one, else the source, as pandoc takes what follows `name(section)`.
void md2man_fields(Metadata& meta, const std::vector<std::string>& f, bool quoted, const At& at) {
  if (f.size() < 3) return;
  if (!quoted) {
    std::string rest;
    for (size_t k = 2; k < f.size(); ++k) rest += (rest.empty() ? "" : " ") + f[k];
    if (!normalize_date(rest).empty())
      set_date(meta, rest, at);
    else
      set_extra(meta, "source", rest);
    return;
  }
  set_date(meta, f[2], at);
  if (f.size() > 3) set_extra(meta, "source", f[3]);
  if (f.size() > 4) set_extra(meta, "manual", f[4]);
}

// The title field of a `%` block: pandoc's `name(section) rest`, go-md2man's `name
// section ...`, or a title.
void title_field(Metadata& meta, const std::string& value, const At& at) {
  std::string name, section, rest;
  if (split_name_section(value, name, section, rest)) {
    set_name(meta, name, section);
    if (!rest.empty()) {
      // pandoc: `% name(1) footer | header`.
      size_t bar = rest.find('|');
      set_extra(meta, "source", trim(std::string_view(rest).substr(0, bar)));
      if (bar != std::string::npos) set_extra(meta, "manual", trim(std::string_view(rest).substr(bar + 1)));
    }
    if (meta.title.empty()) meta.title = value;
    return;
  }
  std::vector<std::string> f;
  bool quoted = false;
  if (split_fields(value, f, quoted) && f.size() >= 2 && is_section(f[1]) &&
      f[0].find('(') == std::string::npos && !f[0].empty()) {
    set_name(meta, f[0], f[1]);
    md2man_fields(meta, f, quoted, at);
    if (meta.title.empty()) meta.title = page_name_from(f[0]) + "(" + f[1] + ")";
    return;
  }
  if (meta.title.empty()) meta.title = value;
}

void authors_field(Metadata& meta, const std::vector<std::string>& lines) {
  if (!meta.authors.empty()) return;
  for (const std::string& line : lines) {
    size_t start = 0;
    while (start <= line.size()) {
      size_t semi = line.find(';', start);
      std::string a = trim(std::string_view(line).substr(start, semi == std::string::npos ? std::string::npos : semi - start));
      if (!a.empty()) meta.authors.push_back(a);
      if (semi == std::string::npos) break;
      start = semi + 1;
    }
  }
}

struct Line {
  std::string_view text;
  size_t end;  // offset after its newline
};

Line line_at(std::string_view body, size_t pos) {
  size_t eol = body.find('\n', pos);
  if (eol == std::string_view::npos) return {body.substr(pos), body.size()};
  return {body.substr(pos, eol - pos), eol + 1};
}

// pandoc's `%` title block, go-md2man's `%` title line.
size_t percent_block(std::string_view body, const std::string* file, uint32_t& line, Metadata& meta,
                     Diagnostics& diag) {
  size_t pos = 0;
  int field = 0;
  while (field < 3 && pos < body.size() && body[pos] == '%') {
    const At at{SourcePos{file, line, 1}, diag};
    Line l = line_at(body, pos);
    std::vector<std::string> parts{trim(l.text.substr(1))};
    pos = l.end;
    ++line;
    // Continuation lines start with white space (pandoc's "title block").
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) {
      Line c = line_at(body, pos);
      std::string t = trim(c.text);
      if (t.empty()) break;
      parts.push_back(t);
      pos = c.end;
      ++line;
    }
    if (field == 0) {
      std::string joined;
      for (const std::string& p : parts)
        if (!p.empty()) joined += (joined.empty() ? "" : " ") + p;
      if (!joined.empty()) title_field(meta, joined, at);
    } else if (field == 1) {
      authors_field(meta, parts);
    } else {
      std::string joined;
      for (const std::string& p : parts)
        if (!p.empty()) joined += (joined.empty() ? "" : " ") + p;
      set_date(meta, joined, at);
    }
    ++field;
  }
  return pos;
}

// ronn's `name(section) -- description`; also ` - `. Several names (`a(1), b(1) --`)
// take the first.
bool ronn_header(const std::string& text, Metadata& meta) {
  std::string name, section, rest;
  if (!split_name_section(text, name, section, rest)) return false;
  size_t sep = 0;
  if (rest.rfind("-- ", 0) == 0 || rest == "--") {
    sep = 2;
  } else if (rest.rfind("- ", 0) == 0) {
    sep = 1;
  } else if (rest.rfind(", ", 0) == 0) {
    size_t dash = rest.find(" -- ");
    if (dash == std::string::npos) return false;
    sep = dash + 3;
  } else {
    return false;
  }
  set_name(meta, name, section);
  if (meta.description.empty()) meta.description = trim(std::string_view(rest).substr(sep));
  if (meta.title.empty()) meta.title = text;
  return true;
}

bool is_underline(std::string_view s) {
  std::string t = trim(s);
  return !t.empty() && t.find_first_not_of('=') == std::string::npos;
}

}  // namespace

std::string normalize_date(const std::string& text) {
  static const char* months[] = {"january", "february", "march", "april", "may", "june", "july",
                                 "august", "september", "october", "november", "december"};
  std::string s = trim(text);
  auto all_digits = [](const std::string& w) {
    if (w.empty()) return false;
    for (char c : w)
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
  };
  auto two = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  // 2006-06-15, 2006/06/15, 2006-06 (and a time after a date).
  if (s.size() >= 7 && all_digits(s.substr(0, 4)) && (s[4] == '-' || s[4] == '/') &&
      all_digits(s.substr(5, 2))) {
    int m = std::stoi(s.substr(5, 2));
    if (m < 1 || m > 12) return "";
    if (s.size() == 7) return s.substr(0, 4) + "-" + s.substr(5, 2);
    if (s.size() >= 10 && s[7] == s[4] && all_digits(s.substr(8, 2)) &&
        (s.size() == 10 || s[10] == 'T' || s[10] == ' ')) {
      int d = std::stoi(s.substr(8, 2));
      if (d < 1 || d > 31) return "";
      return s.substr(0, 4) + "-" + s.substr(5, 2) + "-" + s.substr(8, 2);
    }
    return "";
  }
  // Words: a month name (or its first three letters), a day, a year, in either order.
  std::vector<std::string> words;
  std::string w;
  for (size_t i = 0; i <= s.size(); ++i) {
    char c = i < s.size() ? s[i] : ' ';
    if (c == ' ' || c == ',' || c == '\t') {
      if (!w.empty()) words.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  int month = 0, day = 0, year = 0;
  for (std::string word : words) {
    if (word.size() > 1 && word.back() == '.') word.pop_back();  // "Sep."
    if (all_digits(word)) {
      if (word.size() == 4 && !year) {
        year = std::stoi(word);
      } else if (word.size() <= 2 && !day) {
        day = std::stoi(word);
      } else {
        return "";
      }
      continue;
    }
    // "15th", "1st"
    std::string lw = ascii_lower(word);
    if (lw.size() > 2 && std::isdigit(static_cast<unsigned char>(lw[0]))) {
      std::string num = lw.substr(0, lw.find_first_not_of("0123456789"));
      std::string suf = lw.substr(num.size());
      if ((suf == "st" || suf == "nd" || suf == "rd" || suf == "th") && num.size() <= 2 && !day) {
        day = std::stoi(num);
        continue;
      }
      return "";
    }
    int found = 0;
    for (int m = 0; m < 12; ++m) {
      std::string full = months[m];
      if (lw == full || (lw.size() >= 3 && full.compare(0, lw.size(), lw) == 0) || (lw == "sept" && m == 8))
        found = m + 1;
    }
    if (!found || month) return "";
    month = found;
  }
  if (!month || !year) return "";
  if (!day) return std::to_string(year) + "-" + two(month);
  if (day < 1 || day > 31) return "";
  return std::to_string(year) + "-" + two(month) + "-" + two(day);
}

size_t read_title_lines(std::string_view body, const std::string* file, uint32_t& line, Metadata& meta,
                        Diagnostics& diag, bool* ronn) {
  if (!body.empty() && body[0] == '%') return percent_block(body, file, line, meta, diag);
  // Blank lines before a header are skipped with it.
  size_t pos = 0;
  uint32_t blank = 0;
  while (pos < body.size()) {
    Line l = line_at(body, pos);
    if (!trim(l.text).empty()) break;
    pos = l.end;
    ++blank;
  }
  if (pos >= body.size()) return 0;
  Line first = line_at(body, pos);
  std::string text = trim(first.text);
  if (text.rfind("# ", 0) == 0) {
    // `# name(1) -- description` (ronn) or `# name "1" "date" "source"` (buildah).
    std::string heading = trim(std::string_view(text).substr(2));
    if (ronn_header(heading, meta)) {
      if (ronn) *ronn = true;
      line += blank + 1;
      return first.end;
    }
    std::vector<std::string> f;
    bool quoted = false;
    if (heading.find('"') != std::string::npos && split_fields(heading, f, quoted) && quoted &&
        f.size() >= 2 && is_section(f[1]) && f[0].find_first_of("()") == std::string::npos) {
      set_name(meta, f[0], f[1]);
      md2man_fields(meta, f, true, At{SourcePos{file, line + blank, 1}, diag});
      if (meta.title.empty()) meta.title = page_name_from(f[0]) + "(" + f[1] + ")";
      line += blank + 1;
      return first.end;
    }
    return 0;
  }
  if (first.end < body.size()) {
    Line under = line_at(body, first.end);
    if (is_underline(under.text) && ronn_header(text, meta)) {
      if (ronn) *ronn = true;
      line += blank + 2;
      return under.end;
    }
  }
  return 0;
}

void name_from_file_name(const std::string& path, const std::string* file, Metadata& meta, Diagnostics& diag) {
  std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  size_t ext = base.rfind('.');
  if (ext == std::string::npos || ext == 0) return;
  std::string e = ascii_lower(base.substr(ext + 1));
  if (e != "md" && e != "markdown" && e != "ronn" && e != "mdx") return;
  std::string stem = base.substr(0, ext);
  size_t dot = stem.rfind('.');
  if (dot == std::string::npos || dot == 0) return;
  // A file's section is one digit and letters ("1", "3p"): "python-3.12.md" and
  // "release-3.1.md" are posts about versions, not pages of sections 12 and 1.
  std::string section = stem.substr(dot + 1);
  if (!is_section(section) || section[0] == '0') return;
  for (size_t k = 1; k < section.size(); ++k)
    if (!std::isalpha(static_cast<unsigned char>(section[k]))) return;
  std::string name = stem.substr(0, dot);
  size_t last = name.find_last_not_of("0123456789");
  if (last != std::string::npos && last + 1 < name.size() && (name[last] == '-' || name[last] == '_' || name[last] == '.'))
    return;
  if (!meta.man_section.empty() && meta.man_section != section && meta.man_section.size() <= 4) {
    auto at = meta.positions.find("section");
    SourcePos p = at != meta.positions.end() ? at->second : SourcePos{file, 1, 1};
    diag.warning(p, "the page says section " + meta.man_section + ", its file name '" + base + "' says " +
                        section + "; section " + meta.man_section + " is used");
  }
  if (meta.man_name.empty() && meta.man_section.empty()) {
    meta.man_name = name;
    meta.man_section = section;
  } else if (meta.man_section.empty()) {
    meta.man_section = section;
  }
}

}  // namespace relconv::detail
