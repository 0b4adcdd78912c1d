// Reading documents: Markdown (cmark-gfm with the GFM extensions and footnotes) with YAML
// front matter (yaml-cpp), converted once into relconv's model. This folder is the only
// code that sees cmark-gfm, yaml-cpp or the HTML parser.
#pragma once

#include <string>
#include <string_view>

#include "diag/diag.h"
#include "doc/model.h"

namespace relconv {

struct ParseOptions {
  size_t max_input_bytes = 64u << 20;   // larger inputs are refused (--max-input-size); parsing
                                        // takes about 40 bytes of memory per byte of input
  int max_nesting = 64;                 // deeper containers are flattened, with a warning
  int max_table_columns = 1000;         // wider tables are shown as text, with a warning
  size_t max_yaml_nodes = 100000;       // front matter bigger than this (a YAML bomb) is refused
};

// Parses one document. `name` is what messages call the file ("posts/a.md", "-");
// `base_dir` is the folder that relative image paths resolve against. Problems in the
// Markdown are warnings in `diag`; malformed front matter or an input over the limits
// throws relconv::Error with its position.
Chapter parse_markdown(std::string_view bytes, const std::string& name, const std::string& base_dir,
                       Diagnostics& diag, const ParseOptions& options = {});

// Reads and parses a file ("-" reads standard input). An unreadable file throws
// relconv::Error.
Chapter parse_file(const std::string& path, Diagnostics& diag, const ParseOptions& options = {});

// A Document holding one chapter, with the chapter's metadata as the book's.
Document single_document(Chapter chapter);

// Sets one metadata key from a YAML value written as text (`-M tags=[a,b]`), with the
// same key names and conversions as front matter. Wrong types throw relconv::Error.
void set_metadata(Metadata& meta, const std::string& key, const std::string& yaml_value,
                  Diagnostics& diag, const SourcePos& pos = {});

// Reads a YAML file of book metadata (--metadata-file) into `meta`.
void read_metadata_file(Metadata& meta, const std::string& path, Diagnostics& diag,
                        const ParseOptions& options = {});

}  // namespace relconv
