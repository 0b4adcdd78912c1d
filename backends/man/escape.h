// Escaping text for roff: the one choke point through which every piece of document
// text reaches a man page.
//
// The references are groff_char(7) and mandoc_char(7). The rules are chosen so that the
// page passes `mandoc -T lint` and `groff -man -ww -z` without a message and renders the
// same characters in `mandoc -T utf8` and `man -l`:
//  - a backslash is `\(rs` (reliable in text and in macro arguments, unlike `\e`, which
//    groff interprets again when a macro argument is copied);
//  - every character outside printable ASCII is a `\[uXXXX]` escape (or a named glyph for
//    the common punctuation), never raw UTF-8: groff without -K utf8 reads input as
//    Latin-1 and warns "invalid input character" on UTF-8 bytes;
//  - ASCII characters that groff typesets as typographic glyphs get the escape that keeps
//    them ASCII where it matters: `\-` for a hyphen-minus in code, options and URLs (a plain
//    `-` is a hyphen and may print as U+2010), `\(aq` and `\(ga` for quotes in code, `\(ti`
//    and `\(ha` for tilde and circumflex everywhere (groff prints ASCII ~ and ^ as
//    modifier glyphs);
//  - a line that would start with `.` or `'` (a control line) is protected with `\&`.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace relconv::man {

enum class TextMode {
  Prose,  // running text: hyphens stay hyphens, except in words that look like options
  Code,   // inline code, code blocks, URLs: every '-' is a minus, quotes are ASCII
};

// Escapes `text` for a roff text line or a macro argument. `used` collects the non-ASCII
// code points written as \[uXXXX] (see glyph_fallbacks). Newlines and tabs become spaces
// in prose; the caller splits code blocks into lines first.
std::string escape(std::string_view text, TextMode mode, std::set<char32_t>* used = nullptr);

// Like escape(), and also adds `\:` (an invisible break point, groff_char(7) and
// mandoc_char(7)) after the slashes and before the query and fragment of a URL, so a long
// URL can be broken across lines instead of making groff warn "can't break line".
std::string escape_url(std::string_view url, std::set<char32_t>* used = nullptr);

// A macro argument: escaped text in double quotes when it contains a space or is empty
// (a double quote inside is `\(dq`, groff_man(7) "Macro arguments").
std::string quote_arg(const std::string& escaped);

// Protects an escaped text line that would otherwise be read as a control line or as a
// break (a leading `.`, `'` or space) by prefixing the zero-width `\&`.
std::string protect_line(std::string line);

// `.if !c\[uXXXX] .char \[uXXXX] <U+XXXX>` lines for the code points in `used` that the
// PostScript fonts of groff may lack. groff evaluates the condition when it formats the
// page: on terminals (`man -l`, -Tutf8) every character exists and the line does nothing;
// with -Tps it prints a visible placeholder instead of warning "can't find special
// character". mandoc does not redefine characters, so its output is unchanged.
std::string glyph_fallbacks(const std::set<char32_t>& used);

}  // namespace relconv::man
