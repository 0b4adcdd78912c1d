#include "backends/pdf/fonts.h"

#include <fontconfig/fontconfig.h>
#include <hb-ot.h>

#include <sys/stat.h>

#include <cstring>
#include <mutex>

namespace relconv::pdf {

namespace {

uint16_t be16(const char* p) { return uint16_t((uint8_t(p[0]) << 8) | uint8_t(p[1])); }
int16_t sbe16(const char* p) { return int16_t(be16(p)); }

unsigned table_length(hb_face_t* face, hb_tag_t tag) {
  hb_blob_t* blob = hb_face_reference_table(face, tag);
  const unsigned n = hb_blob_get_length(blob);
  hb_blob_destroy(blob);
  return n;
}

// Reads the descriptor facts of a face from its head, post and OS/2 tables.
void read_metrics(FontFile& f) {
  f.upem = hb_face_get_upem(f.face);
  hb_blob_t* head = hb_face_reference_table(f.face, HB_TAG('h', 'e', 'a', 'd'));
  unsigned len = 0;
  const char* h = hb_blob_get_data(head, &len);
  if (len >= 54) {
    for (int i = 0; i < 4; ++i) f.bbox[i] = sbe16(h + 36 + 2 * i);
    f.italic = be16(h + 44) & 2;  // macStyle
  }
  hb_blob_destroy(head);
  hb_blob_t* post = hb_face_reference_table(f.face, HB_TAG('p', 'o', 's', 't'));
  const char* p = hb_blob_get_data(post, &len);
  if (len >= 16) {
    f.italic_angle = double(int32_t((uint32_t(be16(p + 4)) << 16) | be16(p + 6))) / 65536.0;
    f.fixed_pitch = (uint32_t(be16(p + 12)) << 16 | be16(p + 14)) != 0;
  }
  hb_blob_destroy(post);
  hb_blob_t* os2 = hb_face_reference_table(f.face, HB_TAG('O', 'S', '/', '2'));
  const char* o = hb_blob_get_data(os2, &len);
  if (len >= 32) {
    const uint8_t family_class = uint8_t(o[30]);  // sFamilyClass, high byte: 1-7 are serifs
    f.serif = family_class >= 1 && family_class <= 7;
  }
  hb_blob_destroy(os2);
  hb_position_t v = 0;
  if (hb_ot_metrics_get_position(f.font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v)) f.ascent = v;
  if (hb_ot_metrics_get_position(f.font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v)) f.descent = v;
  if (hb_ot_metrics_get_position(f.font, HB_OT_METRICS_TAG_CAP_HEIGHT, &v)) f.cap_height = v;
  if (!f.cap_height) f.cap_height = f.ascent * 7 / 10;
  char name[256];
  unsigned size = sizeof name;
  if (hb_ot_name_get_utf8(f.face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &size, name) > 0)
    f.postscript_name = name;
  // A PostScript name is printable ASCII without PDF delimiters (PDF 32000-1:2008, 7.3.5).
  std::string clean;
  for (char c : f.postscript_name)
    if (c > 0x20 && c < 0x7F && !std::strchr("()<>[]{}/%#", c)) clean += c;
  f.postscript_name = clean.empty() ? "Font" : clean;
}

struct FileCache {
  std::mutex mutex;
  std::map<std::pair<std::string, unsigned>, std::unique_ptr<FontFile>> files;
  std::map<std::pair<std::string, unsigned>, std::string> errors;
};

FileCache& file_cache() {
  static FileCache* cache = new FileCache;  // kept to the end: fonts are shared by threads
  return *cache;
}

// ISO 15924 code of a script, lower-case ("arab"), for the style's per-script fonts.
std::string script_code(hb_script_t script) {
  char tag[5] = {};
  hb_tag_to_string(hb_script_to_iso15924_tag(script), tag);
  for (char& c : tag) c = char(std::tolower(static_cast<unsigned char>(c)));
  return tag;
}

// The language fontconfig is asked for, for characters of `script`: the document's own
// when it writes in that script (it picks Japanese or Traditional Chinese forms of Han
// characters), else the script's main language.
std::string language_for(hb_script_t script, const std::string& document) {
  std::string doc = document;
  for (char& c : doc) c = char(std::tolower(static_cast<unsigned char>(c)));
  auto doc_is = [&](const char* prefix) { return doc.rfind(prefix, 0) == 0; };
  switch (script) {
    case HB_SCRIPT_HAN:
      if (doc_is("ja")) return "ja";
      if (doc_is("ko")) return "ko";
      if (doc_is("zh-hant") || doc_is("zh-tw") || doc_is("zh-hk") || doc_is("zh-mo"))
        return doc_is("zh-hk") ? "zh-hk" : "zh-tw";
      return "zh-cn";
    case HB_SCRIPT_HIRAGANA: case HB_SCRIPT_KATAKANA: return "ja";
    case HB_SCRIPT_HANGUL: return "ko";
    case HB_SCRIPT_BOPOMOFO: return "zh-tw";
    case HB_SCRIPT_ARABIC:
      if (doc_is("fa") || doc_is("ur") || doc_is("ps") || doc_is("ku")) return doc.substr(0, 2);
      return "ar";
    case HB_SCRIPT_HEBREW: return "he";
    case HB_SCRIPT_DEVANAGARI: return doc_is("mr") || doc_is("ne") || doc_is("sa") ? doc.substr(0, 2) : "hi";
    case HB_SCRIPT_BENGALI: return doc_is("as") ? "as" : "bn";
    case HB_SCRIPT_TAMIL: return "ta";
    case HB_SCRIPT_TELUGU: return "te";
    case HB_SCRIPT_KANNADA: return "kn";
    case HB_SCRIPT_MALAYALAM: return "ml";
    case HB_SCRIPT_GUJARATI: return "gu";
    case HB_SCRIPT_GURMUKHI: return "pa";
    case HB_SCRIPT_ORIYA: return "or";
    case HB_SCRIPT_SINHALA: return "si";
    case HB_SCRIPT_THAI: return "th";
    case HB_SCRIPT_LAO: return "lo";
    case HB_SCRIPT_KHMER: return "km";
    case HB_SCRIPT_MYANMAR: return "my";
    case HB_SCRIPT_TIBETAN: return "bo";
    case HB_SCRIPT_GEORGIAN: return "ka";
    case HB_SCRIPT_ARMENIAN: return "hy";
    case HB_SCRIPT_ETHIOPIC: return "am";
    case HB_SCRIPT_SYRIAC: return "syr";
    case HB_SCRIPT_THAANA: return "dv";
    default: return doc.empty() ? "" : doc;
  }
}

// Whether Latin-script fonts (DejaVu's sans faces) are the right fallback for characters
// of `script`: scripts they were drawn for, and symbols. Other scripts go to a font made for
// them, though DejaVu Sans has a few of their letters.
bool european(hb_script_t script) {
  return script == HB_SCRIPT_LATIN || script == HB_SCRIPT_GREEK || script == HB_SCRIPT_CYRILLIC ||
         script == HB_SCRIPT_COMMON || script == HB_SCRIPT_INHERITED || script == HB_SCRIPT_UNKNOWN;
}

// "path", "path#N" (face N of a collection) or a family name fontconfig resolves, in the
// weight and slant of `want` where the family has them.
const FontFile* open_named(const std::string& spec, std::string& error, FontFace want = kSerif) {
  if (spec.find('/') == std::string::npos) {
    FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>(spec.c_str()));
    if (!pattern) return nullptr;
    FcPatternAddInteger(pattern, FC_WEIGHT, int(want) % 2 ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pattern, FC_SLANT, (int(want) / 2) % 2 ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result;
    FcPattern* match = FcFontMatch(nullptr, pattern, &result);
    FcPatternDestroy(pattern);
    const FontFile* f = nullptr;
    FcChar8* file = nullptr;
    FcChar8* family = nullptr;
    int index = 0;
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch) {
      FcPatternGetInteger(match, FC_INDEX, 0, &index);
      // FcFontMatch never fails: it answers with some font. Take it only if it is the family.
      const std::string fam = reinterpret_cast<const char*>(family);
      const std::string wanted = spec.substr(0, spec.find(':'));
      if (strcasecmp(fam.c_str(), wanted.c_str()) == 0)
        f = open_font_file(reinterpret_cast<const char*>(file), unsigned(index), error);
      else
        error = "no installed font of the family '" + wanted + "'";
    }
    if (match) FcPatternDestroy(match);
    return f;
  }
  const size_t hash = spec.rfind('#');
  if (hash != std::string::npos && hash + 1 < spec.size() &&
      spec.find_first_not_of("0123456789", hash + 1) == std::string::npos)
    return open_font_file(spec.substr(0, hash), unsigned(std::stoul(spec.substr(hash + 1))), error);
  return open_font_file(spec, 0, error);
}

}  // namespace

const FontFile* open_font_file(const std::string& path, unsigned index, std::string& error) {
  FileCache& cache = file_cache();
  std::lock_guard<std::mutex> lock(cache.mutex);
  const auto key = std::make_pair(path, index);
  if (auto it = cache.files.find(key); it != cache.files.end()) return it->second.get();
  if (auto it = cache.errors.find(key); it != cache.errors.end()) {
    error = it->second;
    return nullptr;
  }
  auto fail = [&](const std::string& why) -> const FontFile* {
    cache.errors[key] = why;
    error = why;
    return nullptr;
  };
  // A regular file of a font's size: HarfBuzz would read a device such as /dev/zero, or a
  // pipe, without end.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail("cannot open the font file");
  if (!S_ISREG(st.st_mode)) return fail("the font is not a regular file");
  if (st.st_size > (off_t(512) << 20)) return fail("the font file is larger than 512 MB");
  hb_blob_t* blob = hb_blob_create_from_file_or_fail(path.c_str());
  if (!blob) return fail("cannot open the font file");
  if (index >= hb_face_count(blob)) {
    hb_blob_destroy(blob);
    return fail("the font file has no face " + std::to_string(index));
  }
  auto f = std::make_unique<FontFile>();
  f->path = path;
  f->index = index;
  f->face = hb_face_create(blob, index);
  hb_blob_destroy(blob);  // the face holds it
  f->cff = table_length(f->face, HB_TAG('C', 'F', 'F', ' ')) > 0;
  const bool glyf = table_length(f->face, HB_TAG('g', 'l', 'y', 'f')) > 0;
  if (!f->cff && !glyf) {
    hb_face_destroy(f->face);
    return fail("the font has neither TrueType nor CFF outlines (a bitmap or colour font?)");
  }
  f->font = hb_font_create(f->face);
  hb_ot_font_set_funcs(f->font);
  f->unicodes = hb_set_create();
  hb_face_collect_unicodes(f->face, f->unicodes);
  read_metrics(*f);
  hb_face_make_immutable(f->face);
  hb_font_make_immutable(f->font);
  return cache.files.emplace(key, std::move(f)).first->second.get();
}

bool font_covers(const std::string& path, char32_t cp) {
  std::string error;
  const FontFile* f = open_font_file(path, 0, error);
  return f && f->covers(cp);
}

Fonts::Fonts(const Style& style, ResourceLoader& resources, const std::string& language)
    : style_(style), resources_(resources), language_(language) {}

const FontFile* Fonts::face(FontFace face) {
  if (tried_[face]) {
    if (!faces_[face]) throw Error(style_.fonts[face], "the style's font cannot be used");
    return faces_[face];
  }
  tried_[face] = true;
  const std::string& spec = style_.fonts[face];
  std::string error;
  const FontFile* f = open_named(spec, error);
  if (!f)
    throw Error(spec, (error.empty() ? std::string("cannot use this font") : error) +
                          " (set another in the style's fonts:)");
  resources_.depend(f->path);
  return faces_[face] = f;
}

const FontFile* Fonts::fontconfig_font(FontFace want, char32_t cp, hb_script_t script) {
  const int family = int(want) / 4;  // serif, sans, mono
  const bool bold = int(want) % 2, italic = (int(want) / 2) % 2;
  const std::string lang = language_for(script, language_);
  const std::string key = std::to_string(int(want)) + "|" + lang;
  std::vector<const FontFile*>& known = found_[key];
  for (const FontFile* f : known)
    if (f->covers(cp)) return f;
  // Asked once per character not covered by what was found before: a document in one
  // script asks once or twice.
  FcPattern* pattern = FcPatternCreate();
  FcPatternAddString(pattern, FC_FAMILY,
                     reinterpret_cast<const FcChar8*>(family == 0 ? "serif" : family == 1 ? "sans-serif" : "monospace"));
  FcPatternAddInteger(pattern, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcPatternAddInteger(pattern, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
  if (!lang.empty()) FcPatternAddString(pattern, FC_LANG, reinterpret_cast<const FcChar8*>(lang.c_str()));
  FcCharSet* cs = FcCharSetCreate();
  FcCharSetAddChar(cs, cp);
  FcPatternAddCharSet(pattern, FC_CHARSET, cs);
  FcCharSetDestroy(cs);
  FcPatternAddBool(pattern, FC_SCALABLE, FcTrue);
  FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result;
  FcFontSet* set = FcFontSort(nullptr, pattern, FcFalse, nullptr, &result);
  FcPatternDestroy(pattern);
  const FontFile* chosen = nullptr;
  for (int i = 0; set && i < set->nfont && !chosen; ++i) {
    FcPattern* p = set->fonts[i];
    FcCharSet* has = nullptr;
    if (FcPatternGetCharSet(p, FC_CHARSET, 0, &has) != FcResultMatch || !FcCharSetHasChar(has, cp)) continue;
    FcBool color = FcFalse;
    if (FcPatternGetBool(p, FC_COLOR, 0, &color) == FcResultMatch && color) continue;  // bitmaps
    FcChar8* file = nullptr;
    int index = 0;
    if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch) continue;
    FcPatternGetInteger(p, FC_INDEX, 0, &index);
    std::string error;
    const FontFile* f = open_font_file(reinterpret_cast<const char*>(file), unsigned(index), error);
    if (f && f->covers(cp)) chosen = f;
  }
  if (set) FcFontSetDestroy(set);
  if (chosen) {
    known.push_back(chosen);
    resources_.depend(chosen->path);
  }
  return chosen;
}

const FontFile* Fonts::style_script_font(FontFace want, char32_t cp, hb_script_t script) {
  // The style's font for the script, then for the document's language, each first for
  // the generic family ("arab-sans"), then for all.
  if (style_.script_fonts.empty()) return nullptr;
  const char* generic = int(want) / 4 == 0 ? "-serif" : int(want) / 4 == 1 ? "-sans" : "-mono";
  std::string lang = language_;
  for (char& c : lang) c = char(std::tolower(static_cast<unsigned char>(c)));
  const std::string code = script_code(script);
  for (const std::string& name : {code + generic, code, lang + generic, lang}) {
    auto it = style_.script_fonts.find(name);
    if (name.size() <= 1 || name[0] == '-' || it == style_.script_fonts.end()) continue;
    std::string error;
    const FontFile* f = open_named(it->second, error, want);
    if (f && f->covers(cp)) {
      resources_.depend(f->path);
      return f;
    }
  }
  return nullptr;
}

const FontFile* Fonts::pick(FontFace want, char32_t cp, hb_script_t script) {
  const FontFile* primary = face(want);
  const bool eu = european(script);
  if (eu && primary->covers(cp)) return primary;
  const uint64_t key = uint64_t(want) << 32 | cp;
  if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
  const FontFile* found = nullptr;
  if (eu) {
    const FontFile* sans = face(FontFace(kSans + int(want) % 4));
    if (sans->covers(cp)) found = sans;
  }
  // A script of its own: the style's font for it comes before the faces (DejaVu has some
  // Arabic and Hebrew letters, drawn for sans text), then the face, then fontconfig's.
  if (!found) found = style_script_font(want, cp, script);
  if (!found && !eu && primary->covers(cp)) found = primary;
  if (!found) found = fontconfig_font(want, cp, script);
  if (!found && !style_.fonts[kFallback].empty()) {
    std::string error;
    const FontFile* f = open_named(style_.fonts[kFallback], error);
    if (f && f->covers(cp)) {
      resources_.depend(f->path);
      found = f;
    }
  }
  return by_key_[key] = found;
}

int Fonts::id(const FontFile* file) {
  auto [it, added] = ids_.emplace(file, int(used_.size()));
  if (added) used_.push_back(UsedGlyphs{file, {}});
  return it->second;
}

}  // namespace relconv::pdf
