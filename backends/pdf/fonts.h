// Fonts for one PDF: the style's faces, the per-character fallback to the fonts installed
// on the machine (chosen through fontconfig, by script and language), and what each font
// has drawn, for the text layer (text_layer.h) to embed.
//
// A font file is opened once per process with HarfBuzz (TrueType or CFF outlines, a single
// font or one face of a collection) and shared by every thread: HarfBuzz's faces and fonts
// are immutable once made, and safe to shape with from several threads at once.
#pragma once

#include <hb.h>

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/pdf/style.h"
#include "io/resources.h"

namespace relconv::pdf {

// One face of an installed font file, with the facts the PDF font descriptor needs.
struct FontFile {
  std::string path;
  unsigned index = 0;       // face in a collection (.ttc)
  hb_face_t* face = nullptr;
  hb_font_t* font = nullptr;  // scaled to units per em: advances come in font units
  unsigned upem = 1000;
  bool cff = false;         // CFF outlines (embedded as CIDFontType0), else glyf
  bool fixed_pitch = false, serif = false, italic = false;
  double italic_angle = 0;
  int ascent = 0, descent = 0, cap_height = 0;  // font units
  int bbox[4] = {0, 0, 0, 0};
  std::string postscript_name;
  hb_set_t* unicodes = nullptr;  // the characters its cmap maps
  bool covers(char32_t cp) const { return hb_set_has(unicodes, cp); }
  // Advance of glyph `gid` in font units.
  int advance(uint32_t gid) const { return hb_font_get_glyph_h_advance(font, gid); }
};

// The face `index` of the font file at `path`, opened once per process; nullptr with a
// reason in `error` when it cannot be used.
const FontFile* open_font_file(const std::string& path, unsigned index, std::string& error);

// Whether the font file at `path` (face 0) has a glyph for `cp` (false when it cannot be
// read). Thread-safe.
bool font_covers(const std::string& path, char32_t cp);

// A glyph as drawn, in the font's original numbering.
struct UsedGlyphs {
  const FontFile* file = nullptr;
  // Original glyph id -> the text it stands for (the first cluster it was drawn for).
  std::unordered_map<uint32_t, std::string> glyphs;
};

class Fonts {
 public:
  // `language`: the document's BCP 47 language, which decides between the regional forms
  // of Han characters (Japanese, Korean, Simplified and Traditional Chinese).
  Fonts(const Style& style, ResourceLoader& resources, const std::string& language);
  Fonts(const Fonts&) = delete;
  Fonts& operator=(const Fonts&) = delete;

  // The style's font for `face`, opened on first use. Throws relconv::Error when the
  // style's font file cannot be used.
  const FontFile* face(FontFace face);
  // The font that draws `cp` for text styled in `want`, of script `script`. For Latin,
  // Greek, Cyrillic and symbols: `want` itself, else the sans face of the same weight and
  // slant. For other scripts: a font the style names for the script or language, else
  // `want`. Then the font fontconfig finds for the script and language (of the same
  // generic family, weight and slant where there is one), then the style's fallback.
  // nullptr when no installed font has it.
  const FontFile* pick(FontFace want, char32_t cp, hb_script_t script);

  // The document's number for `file` (its index in used()), registering it on first use.
  int id(const FontFile* file);
  std::vector<UsedGlyphs>& used() { return used_; }

  // Shaped words of simple left-to-right text, by font and text (shape.cpp): most of a
  // document's words come again and again, and HarfBuzz need shape each once.
  struct ShapedWord {
    std::vector<hb_glyph_info_t> info;  // clusters from the word's start
    std::vector<hb_glyph_position_t> pos;
  };
  std::unordered_map<std::string, ShapedWord>& word_cache() { return words_; }

 private:
  const FontFile* fontconfig_font(FontFace want, char32_t cp, hb_script_t script);
  const FontFile* style_script_font(FontFace want, char32_t cp, hb_script_t script);

  const Style& style_;
  ResourceLoader& resources_;
  std::string language_;
  std::vector<const FontFile*> faces_ = std::vector<const FontFile*>(kFaceCount, nullptr);
  std::vector<bool> tried_ = std::vector<bool>(kFaceCount, false);
  // Fonts found through fontconfig or named per script, per generic family and style.
  std::map<std::string, std::vector<const FontFile*>> found_;
  std::map<uint64_t, const FontFile*> by_key_;  // (face, character) answers, once asked
  std::vector<UsedGlyphs> used_;
  std::map<const FontFile*, int> ids_;
  std::unordered_map<std::string, ShapedWord> words_;
};

}  // namespace relconv::pdf
