// The PDF backend's style: page geometry, fonts, sizes, spacing and colours, read from a
// YAML file (styles/pdf.yaml by default, --style to replace it).
//
// The built-in values below equal styles/pdf.yaml, so a style file only needs the keys it
// changes. A key the backend does not know gives a warning at file:line:col, so a typo
// does not silently do nothing.
#pragma once

#include <array>
#include <map>
#include <string>

#include "backend/backend.h"

namespace relconv::pdf {

struct Rgb {
  double r = 0, g = 0, b = 0;
};

enum FontFace : int {
  kSerif, kSerifBold, kSerifItalic, kSerifBoldItalic,
  kSans, kSansBold, kSansItalic, kSansBoldItalic,
  kMono, kMonoBold, kMonoItalic, kMonoBoldItalic,
  kFallback,
  kFaceCount
};

struct Style {
  double page_width = 595.276, page_height = 841.89;  // A4
  double margin_top = 68, margin_bottom = 72, margin_left = 74, margin_right = 74;

  std::array<std::string, kFaceCount> fonts;
  // Fonts for characters the faces above lack, by ISO 15924 script code ("arab", "hani")
  // or language tag ("ja"), tried before fontconfig's choice.
  std::map<std::string, std::string> script_fonts;

  double body_size = 10, body_leading = 1.45;
  bool justify = true;
  Rgb body_color{0.11, 0.11, 0.11};
  double paragraph_space = 6.5;
  Rgb link_color{0.122, 0.306, 0.549};

  std::array<double, 6> heading_sizes{17, 14, 12, 10.5, 10, 10};
  Rgb heading_color{0.067, 0.067, 0.067};
  double heading_space_before = 15, heading_space_after = 5;

  double title_size = 23, subtitle_size = 13, meta_size = 9.5;
  Rgb meta_color{0.333, 0.333, 0.333};
  double title_space_after = 20;

  double code_size = 8.5, code_leading = 1.35;
  Rgb code_color{0.125, 0.125, 0.125};
  Rgb code_background{0.953, 0.953, 0.941};
  double code_padding = 6;
  Rgb inline_code_color{0.42, 0.176, 0.122};

  double quote_indent = 16;
  Rgb quote_rule_color{0.784, 0.784, 0.784};
  double quote_rule_width = 2;
  Rgb quote_color{0.227, 0.227, 0.227};

  double list_indent = 18, list_item_space = 2;

  double table_size = 8.5, table_padding = 4;
  Rgb table_rule_color{0.604, 0.604, 0.604};
  Rgb table_header_background{0.925, 0.925, 0.925};

  double footnote_size = 8.5;
  double running_size = 8;
  Rgb running_color{0.467, 0.467, 0.467};
  Rgb rule_color{0.69, 0.69, 0.69};

  Style();
};

// The style for a render: the built-in values, overlaid with options.style_path or, when
// that is empty, the installed styles/pdf.yaml if there is one. Read through
// ctx.resources so the file is a dependency. Unknown keys and bad values are warnings; a
// style file that cannot be read or parsed is an error.
Style load_style(const RenderContext& ctx);

// Parses `yaml` (named `name` in messages) over `style`.
void apply_style_yaml(Style& style, const std::string& yaml, const std::string& name,
                      Diagnostics& diag);

}  // namespace relconv::pdf
