// YAML front matter: finding it, parsing it (yaml-cpp, or a short way for flat front
// matter), and mapping its keys onto Metadata. Internal to src/parse/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diag/diag.h"
#include "doc/model.h"
#include "parse/parse.h"

namespace relconv::detail {

struct FrontMatter {
  bool present = false;
  std::string_view yaml;    // the text between the --- lines
  uint32_t yaml_line = 0;   // 1-based line of the first YAML line
  size_t body_offset = 0;   // byte offset of the Markdown body
  uint32_t body_line = 1;   // 1-based line where the body starts
};

// Finds front matter at the start of `text`: a first line `---` followed by a line that
// starts a mapping (`key:`), closed by `---` or `...`. Any other `---` line is Markdown (a
// thematic break, or a setext heading's underline). Front matter that never closes is an
// error.
FrontMatter split_front_matter(std::string_view text, const std::string* file);

// Parses `fm.yaml` into `meta`. Malformed YAML, wrong types and YAML bombs throw
// relconv::Error; duplicate keys and odd values are warnings.
void parse_front_matter(const FrontMatter& fm, const std::string* file, Metadata& meta,
                        Diagnostics& diag, const ParseOptions& options);

// Parses a YAML mapping (front matter or a metadata file) into `meta`; `what` names it in
// messages ("front matter", "metadata file").
void parse_yaml_metadata(std::string_view yaml, uint32_t first_line, const std::string* file,
                         Metadata& meta, Diagnostics& diag, const ParseOptions& options,
                         const std::string& what);

// One key of a YAML document's top-level mapping. Lines and columns are 0-based in the
// YAML text, as yaml-cpp counts them; -1 where yaml-cpp gives the value no position.
struct YamlEntry {
  std::string key;
  int key_line = 0, key_col = 0;
  MetaValue value;
  int value_line = -1, value_col = -1;
  bool quoted = false;  // a quoted scalar
};
// Same key, value and positions (numbers compare by their text).
bool operator==(const YamlEntry& a, const YamlEntry& b);

// Reads YAML that is a flat mapping of one-line values (plain, quoted without escapes,
// `[]`, or a block list of such values), the usual front matter, without yaml-cpp.
// Returns false at anything else, leaving `out` unspecified: that YAML is yaml-cpp's.
bool read_simple_yaml(std::string_view yaml, size_t max_values, std::vector<YamlEntry>& out);

// The entries of a YAML mapping: read_simple_yaml() when it can (and `short_way`), yaml-cpp
// otherwise. Malformed YAML, a document that is not a mapping, and YAML bombs throw
// relconv::Error; a null document has no entries.
std::vector<YamlEntry> read_yaml_entries(std::string_view yaml, uint32_t first_line, const std::string* file,
                                         const ParseOptions& options, const std::string& what,
                                         bool short_way = true);

// Maps one key and its value onto the model (shared by front matter, -M and metadata files).
void apply_meta_value(Metadata& meta, const std::string& key, const MetaValue& value,
                      const SourcePos& pos, Diagnostics& diag);

// Parses one YAML value written as text ("[a, b]", "true", "x") into a MetaValue; `pos` is
// where the text starts, `what` names it in messages ("the value of -M title").
MetaValue parse_yaml_value(const std::string& text, const SourcePos& pos, const std::string& what);

}  // namespace relconv::detail
