// UTF-8 decoding, validation and display width: the one place relconv looks at the
// bytes of text. Width follows Unicode East Asian Width and treats combining marks as
// zero-width (through utf8proc), which is what terminals do.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace relconv {

// Decodes the code point at s[i] and advances i. On an invalid or truncated sequence it
// advances by one byte and returns U+FFFD with ok = false.
char32_t utf8_decode(std::string_view s, size_t& i, bool* ok = nullptr);
void utf8_append(std::string& out, char32_t cp);
// Number of code points.
size_t utf8_length(std::string_view s);
// Replaces each invalid sequence with U+FFFD and each NUL with U+FFFD; reports the byte
// offsets (in `s`) of what was replaced. Returns true when nothing was replaced.
bool utf8_sanitize(std::string_view s, std::string& out, std::vector<size_t>* bad = nullptr);
// True when utf8_sanitize would copy `s` unchanged: valid UTF-8 and no NUL byte.
bool utf8_is_clean(std::string_view s);

// Columns a terminal gives the text: East-Asian wide characters count 2, combining marks
// and zero-width characters 0, control characters 0.
int display_width(std::string_view s);
int display_width(char32_t cp);

// Case folding and NFC normalisation, for comparisons (word checks, slugs).
std::string utf8_casefold(std::string_view s);
// A..Z to a..z, every other byte as it is: for names that are ASCII by definition (URL
// schemes, file extensions, language tags).
std::string ascii_lower(std::string_view s);
bool is_alnum(char32_t cp);
bool is_space(char32_t cp);

}  // namespace relconv
