// Definition lists, the Markdown extension of pandoc, PHP Markdown Extra and go-md2man,
// read from the model that cmark-gfm (which has no such extension) leaves:
//
//   term                  term
//   : definition          
//   : another one         :   definition, after a blank line
//   lazy continuation
//
// A paragraph whose first line is the term and whose next line starts with `: ` (or `:`
// and a tab), or a one-line paragraph followed by a paragraph that starts so, becomes a
// DefinitionList item; items next to each other make one list. Each line that starts with
// `: ` opens a definition; other lines continue the one before. Internal to src/parse/.
#pragma once

#include <vector>

#include "doc/model.h"

namespace relconv::detail {

// Rewrites `blocks` (and every list of blocks inside them) in place.
void read_definition_lists(std::vector<Block>& blocks);

// ronn's conventions, for .ronn files and sources with a ronn header:
// - a bullet list whose every item starts with a line that ends in `:` after code or
//   bold text (``* `--force`, `--redownload`:`` then the text) is a definition list, the
//   line less its `:` the term, as ronn makes it tagged paragraphs;
// - a reference to a section, `[CONSERVATIVE UPDATING][]`, left as text by cmark-gfm
//   (there is no link definition), is a link to that section (its name where the format
//   has no links: man, text), or the bare name when the page has no such section.
void read_ronn_conventions(std::vector<Block>& blocks);

}  // namespace relconv::detail
