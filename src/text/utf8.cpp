#include "text/utf8.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstring>

namespace relconv {

char32_t utf8_decode(std::string_view s, size_t& i, bool* ok) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i);
  utf8proc_int32_t cp = -1;
  utf8proc_ssize_t n = utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0 || cp < 0) {
    ++i;
    if (ok) *ok = false;
    return 0xFFFD;
  }
  i += static_cast<size_t>(n);
  if (ok) *ok = true;
  return static_cast<char32_t>(cp);
}

void utf8_append(std::string& out, char32_t cp) {
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;

uint64_t eight_bytes(std::string_view s, size_t i) {
  uint64_t v;
  std::memcpy(&v, s.data() + i, 8);
  return v;
}

// Whether the eight bytes are all printable ASCII (0x20-0x7E). Each test is the classic
// "some byte is below n" (or "is zero") bit trick, exact when no byte has its high bit.
bool printable_ascii(uint64_t v) {
  const uint64_t del = v ^ (kOnes * 0x7F);
  return ((v & kHighs) | ((v - kOnes * 0x20) & ~v & kHighs) | ((del - kOnes) & ~del & kHighs)) == 0;
}

}  // namespace

size_t utf8_length(std::string_view s) {
  size_t n = 0, i = 0;
  for (; i + 8 <= s.size(); i += 8) {  // eight ASCII bytes are eight characters
    const uint64_t v = eight_bytes(s, i);
    if ((v & kHighs) == 0) {
      n += 8;
      continue;
    }
    for (size_t k = i; k < i + 8; ++k) n += (static_cast<unsigned char>(s[k]) & 0xC0) != 0x80;
  }
  for (; i < s.size(); ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

bool utf8_sanitize(std::string_view s, std::string& out, std::vector<size_t>* bad) {
  out.clear();
  out.reserve(s.size());
  bool clean = true;
  size_t i = 0;
  while (i < s.size()) {
    // Fast path: a run of ASCII (not NUL) is copied in one go.
    size_t run = i;
    while (run < s.size() && s[run] != '\0' && static_cast<unsigned char>(s[run]) < 0x80) ++run;
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    size_t start = i;
    bool ok = true;
    char32_t cp = utf8_decode(s, i, &ok);
    if (!ok || cp == 0) {
      clean = false;
      if (bad) bad->push_back(start);
      utf8_append(out, 0xFFFD);
    } else {
      out.append(s.data() + start, i - start);
    }
  }
  return clean;
}

bool utf8_is_clean(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // Eight bytes at a time while they are ASCII without NUL.
    while (i + 8 <= s.size()) {
      const uint64_t v = eight_bytes(s, i);
      if ((v & kHighs) != 0 || ((v - kOnes) & ~v & kHighs) != 0) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c != 0 && c < 0x80) {
      ++i;
      continue;
    }
    bool ok = true;
    if (c == 0 || utf8_decode(s, i, &ok) == 0 || !ok) return false;
  }
  return true;
}

int display_width(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F) return 0;
  if (cp < 0x7F) return 1;
  int w = utf8proc_charwidth(static_cast<utf8proc_int32_t>(cp));
  return w < 0 ? 0 : w;
}

int display_width(std::string_view s) {
  int w = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (i + 8 <= s.size() && printable_ascii(eight_bytes(s, i))) {  // a column each
      w += 8;
      i += 8;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {  // ASCII: printable characters are one column, controls none
      w += c >= 0x20 && c != 0x7F;
      ++i;
    } else {
      w += display_width(utf8_decode(s, i));
    }
  }
  return w;
}

namespace {
std::string fold_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}
}  // namespace

std::string utf8_casefold(std::string_view s) {
  // ASCII folds to ASCII (A-Z to a-z, nothing else changes) and is already NFC.
  bool ascii = true;
  for (char c : s) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return fold_ascii(s);
  utf8proc_uint8_t* result = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                    static_cast<utf8proc_ssize_t>(s.size()), &result,
                                    static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE |
                                                                   UTF8PROC_STABLE));
  if (n < 0) return fold_ascii(s);  // invalid UTF-8: fold ASCII only
  std::string out(reinterpret_cast<char*>(result), static_cast<size_t>(n));
  free(result);
  return out;
}

bool is_alnum(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
      return true;
    default:
      return false;
  }
}

bool is_space(char32_t cp) {
  if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') return true;
  return cp >= 0x80 && utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_ZS;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace relconv
