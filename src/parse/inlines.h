// Small operations on lists of inlines that the Markdown and HTML readers share.
// Internal to src/parse/.
#pragma once

#include <string>
#include <vector>

#include "doc/model.h"

namespace relconv::detail {

// True for text that is only white space, and for line breaks.
bool is_blank_text(const Inline& in);
// True when the inlines show something: text, code, an image, a note reference.
bool has_visible_content(const std::vector<Inline>& inlines);
// Removes leading and trailing breaks and blank text, so a block starts and ends with
// content.
void trim_inlines(std::vector<Inline>& inlines);
// Joins neighbouring Text inlines (not raw tags still marked); where two spaces meet, as
// where an element was removed between them, one is kept.
void merge_texts(std::vector<Inline>& inlines);

// True for URLs that would run code or smuggle content (javascript:, vbscript:, data: other
// than images), however they are cased or spaced; links to them are never kept.
bool is_active_url(const std::string& url);

}  // namespace relconv::detail
