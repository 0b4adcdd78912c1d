#include "backends/pdf/shape.h"

#include <fribidi.h>
#include <unicode/ubrk.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cstdio>

#include "diag/diag.h"
#include "text/utf8.h"

namespace relconv::pdf {

void ParagraphText::append(const std::string& s, const TextStyle& style) {
  if (s.empty()) return;
  text += s;
  Span& last = spans.empty() ? spans.emplace_back(Span{0, style}) : spans.back();
  const TextStyle& o = last.style;
  const bool same = o.face == style.face && o.size == style.size && o.color.r == style.color.r &&
                    o.color.g == style.color.g && o.color.b == style.color.b && o.link == style.link &&
                    o.rise == style.rise && o.strike == style.strike && style.kern == 0;
  if (!same && last.end > 0) spans.push_back(Span{0, style});
  else if (!same) last.style = style;
  spans.back().end = text.size();
}

Direction first_strong(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return Direction::Ltr;
      continue;
    }
    const FriBidiCharType t = fribidi_get_bidi_type(utf8_decode(text, i));
    if (t == FRIBIDI_TYPE_LTR) return Direction::Ltr;
    if (t == FRIBIDI_TYPE_RTL || t == FRIBIDI_TYPE_AL) return Direction::Rtl;
  }
  return Direction::Auto;
}

void close_breaker(UBreakIterator* breaker) {
  if (breaker) ubrk_close(breaker);
}

namespace {

bool is_mark(char32_t cp) {
  const hb_unicode_general_category_t gc = hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
  return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
         gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK ||
         gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

// Joiners, variation selectors and tags: they belong to the character before them, and
// HarfBuzz removes them from the output when the font has no glyph for them. (Emoji skin
// tones are not among them: a font without them would draw nothing for them.)
bool joins(char32_t cp) {
  return cp == 0x200C || cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) ||
         (cp >= 0xE0020 && cp <= 0xE007F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

bool ignorable_format(char32_t cp) {
  return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF;
}

}  // namespace

ShapedParagraph shape_paragraph(const ParagraphText& p, Fonts& fonts, Diagnostics& diag,
                                const std::string& lang, UBreakIterator** breaker) {
  ShapedParagraph out;
  out.source = &p;
  const std::string& text = p.text;
  const size_t len = text.size();
  out.width_before.assign(len + 1, 0);
  out.cluster_start.assign(len + 1, 0);
  out.breaks.assign(len + 1, 0);
  out.levels.assign(len + 1, 0);
  if (len == 0) return out;

  // Code points with their byte offsets.
  std::vector<uint32_t> cps;
  std::vector<uint32_t> offs;
  cps.reserve(len);
  offs.reserve(len + 1);
  bool any_rtl = false;
  for (size_t i = 0; i < len;) {
    offs.push_back(uint32_t(i));
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const char32_t cp = c < 0x80 ? (++i, c) : utf8_decode(text, i);
    // Hebrew and beyond, and the explicit directional formatting characters, need the
    // bidi algorithm; text without them is all at level 0 in a left-to-right paragraph.
    if (cp >= 0x590 && (cp < 0x900 || (cp >= 0xFB1D && cp < 0xFE00) || (cp >= 0xFE70 && cp < 0xFF00) ||
                        cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
                        (cp >= 0x10800 && cp < 0x11000) || (cp >= 0x1E800 && cp < 0x1F000)))
      any_rtl = true;
    cps.push_back(cp);
  }
  offs.push_back(uint32_t(len));
  const size_t n = cps.size();

  // 1. Embedding levels.
  std::vector<FriBidiLevel> levels(n, 0);
  if (any_rtl || p.direction == Direction::Rtl) {
    std::vector<FriBidiCharType> types(n);
    std::vector<FriBidiBracketType> brackets(n);
    fribidi_get_bidi_types(cps.data(), FriBidiStrIndex(n), types.data());
    fribidi_get_bracket_types(cps.data(), FriBidiStrIndex(n), types.data(), brackets.data());
    FriBidiParType base = p.direction == Direction::Rtl   ? FRIBIDI_PAR_RTL
                          : p.direction == Direction::Ltr ? FRIBIDI_PAR_LTR
                                                          : FRIBIDI_PAR_ON;
    if (!fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), FriBidiStrIndex(n), &base,
                                             levels.data()))
      std::fill(levels.begin(), levels.end(), FriBidiLevel(p.direction == Direction::Rtl));
    out.rtl = base == FRIBIDI_PAR_RTL;
  }
  for (size_t k = 0; k < n; ++k)
    for (uint32_t b = offs[k]; b < offs[k + 1]; ++b) out.levels[b] = uint8_t(levels[k]);

  // 2. Script, span and font of each character.
  hb_unicode_funcs_t* ufuncs = hb_unicode_funcs_get_default();
  std::vector<hb_script_t> scripts(n);
  hb_script_t last = HB_SCRIPT_INVALID;
  auto script_of = [&](char32_t cp) {
    if (cp < 0x80) {  // ASCII: letters are Latin, everything else is common to all scripts
      const char32_t l = cp | 0x20;
      return l >= 'a' && l <= 'z' ? HB_SCRIPT_LATIN : HB_SCRIPT_COMMON;
    }
    return hb_unicode_script(ufuncs, cp);
  };
  for (size_t k = 0; k < n; ++k) {
    hb_script_t s = script_of(cps[k]);
    if (s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_UNKNOWN) {
      scripts[k] = last;  // resolved below when nothing came before
    } else {
      if (last == HB_SCRIPT_INVALID)
        for (size_t j = 0; j < k; ++j) scripts[j] = s;
      scripts[k] = last = s;
    }
  }
  for (hb_script_t& s : scripts)
    if (s == HB_SCRIPT_INVALID) s = HB_SCRIPT_COMMON;
  // A neutral character used only with some scripts (its Script_Extensions, UAX #24: the
  // fullwidth comma with Han, kana and Hangul) takes one of them when the text before it
  // is of another: the script after it if that is one, else the first.
  for (size_t k = 0; k < n; ++k) {
    if (cps[k] < 0x2000 || script_of(cps[k]) != HB_SCRIPT_COMMON) continue;
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode ext[16];
    const int count = uscript_getScriptExtensions(UChar32(cps[k]), ext, 16, &err);
    if (U_FAILURE(err) || count <= 0 || (count == 1 && (ext[0] == USCRIPT_COMMON || ext[0] == USCRIPT_INHERITED))) continue;
    auto hb_of = [](UScriptCode c) { return hb_script_from_string(uscript_getShortName(c), -1); };
    bool fits = false;
    for (int e = 0; e < count; ++e) fits = fits || hb_of(ext[e]) == scripts[k];
    if (fits) continue;
    hb_script_t after = HB_SCRIPT_INVALID;
    for (size_t j = k + 1; j < n && after == HB_SCRIPT_INVALID; ++j) {
      const hb_script_t sj = script_of(cps[j]);
      if (sj != HB_SCRIPT_COMMON && sj != HB_SCRIPT_INHERITED) after = sj;
    }
    hb_script_t chosen = hb_of(ext[0]);
    for (int e = 0; e < count; ++e)
      if (hb_of(ext[e]) == after) chosen = after;
      else if (ext[e] == USCRIPT_HAN && chosen != after) chosen = HB_SCRIPT_HAN;
    scripts[k] = chosen;
  }
  // CJK punctuation and fullwidth forms belong to the East Asian text beside them (in the
  // regional form of the document's language), not to a Latin word before them.
  auto east_asian = [](hb_script_t s) {
    return s == HB_SCRIPT_HAN || s == HB_SCRIPT_HIRAGANA || s == HB_SCRIPT_KATAKANA ||
           s == HB_SCRIPT_HANGUL || s == HB_SCRIPT_BOPOMOFO;
  };
  for (size_t k = 0; k < n; ++k) {
    const char32_t cp = cps[k];
    const bool wide_punct = (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
                            (cp >= 0xFE30 && cp <= 0xFE4F);
    if (!wide_punct || east_asian(scripts[k]) || script_of(cp) != HB_SCRIPT_COMMON) continue;
    hb_script_t near = HB_SCRIPT_HAN;
    for (size_t j = k + 1; j < n; ++j)
      if (east_asian(script_of(cps[j]))) {
        near = script_of(cps[j]);
        break;
      } else if (script_of(cps[j]) != HB_SCRIPT_COMMON) {
        break;
      }
    scripts[k] = near;
  }

  std::vector<int> span_of(n, 0);
  {
    size_t sp = 0;
    for (size_t k = 0; k < n; ++k) {
      while (sp + 1 < p.spans.size() && offs[k] >= p.spans[sp].end) ++sp;
      span_of[k] = int(sp);
    }
  }
  std::vector<int> object_at(n, -1);
  for (size_t o = 0; o < p.objects.size(); ++o) {
    auto it = std::lower_bound(offs.begin(), offs.end() - 1, uint32_t(p.objects[o].at));
    if (it != offs.end() - 1 && *it == p.objects[o].at) object_at[size_t(it - offs.begin())] = int(o);
  }
  std::vector<char> hard(n, 0);
  for (size_t at : p.hard_breaks) {
    auto it = std::lower_bound(offs.begin(), offs.end() - 1, uint32_t(at));
    if (it != offs.end() - 1 && *it == at) hard[size_t(it - offs.begin())] = 1;
  }

  std::vector<const FontFile*> font_of(n, nullptr);
  int primary_span = -1;
  const FontFile* primary = nullptr;
  // Whether the character before k is a letter of a script of its own (not a symbol, an
  // emoji or punctuation): the neutral characters after it (spaces, commas, digits) stay
  // in its font, so that an Arabic sentence is one run; after an emoji they do not.
  auto prev_in_script = [&](size_t k) {
    const hb_script_t s = script_of(cps[k - 1]);
    return s != HB_SCRIPT_COMMON && s != HB_SCRIPT_INHERITED && s != HB_SCRIPT_UNKNOWN;
  };
  for (size_t k = 0; k < n; ++k) {
    if (object_at[k] >= 0 || hard[k]) continue;
    const FontFace want = p.spans.empty() ? kSerif : p.spans[size_t(span_of[k])].style.face;
    if (span_of[k] != primary_span) {
      primary_span = span_of[k];
      primary = fonts.face(want);
    }
    const char32_t cp = cps[k];
    const FontFile* prev = k > 0 && span_of[k - 1] == span_of[k] ? font_of[k - 1] : nullptr;
    if (cp < 0x80) {
      // ASCII (no marks, no joiners): a neutral character stays in the font of the text
      // before it; the rest is the face's, when it has it.
      if (prev && prev != primary && script_of(cp) == HB_SCRIPT_COMMON && prev_in_script(k) && prev->covers(cp)) {
        font_of[k] = prev;
        continue;
      }
      if (primary->covers(cp)) {
        font_of[k] = primary;
        continue;
      }
    }
    // A mark or joiner stays in its base's font when that font has it (or has nothing
    // better to offer: a font without it still positions nothing wrongly, HarfBuzz
    // composes or drops it); neutral characters stay in the font of the text around them.
    if (prev && (is_mark(cp) || joins(cp) || ignorable_format(cp))) {
      if (prev->covers(cp) || joins(cp) || ignorable_format(cp)) {
        font_of[k] = prev;
        continue;
      }
    }
    const hb_script_t raw = script_of(cp);
    if (prev && raw == HB_SCRIPT_COMMON && prev_in_script(k) && prev->covers(cp) && prev != primary) {
      font_of[k] = prev;
      continue;
    }
    if (ignorable_format(cp)) {
      font_of[k] = prev ? prev : primary;
      continue;
    }
    // Asked for the script of the text around it: a comma among Chinese characters is
    // Chinese (its font and regional form), "☉" in English text is Latin's.
    const FontFile* f = fonts.pick(want, cp, scripts[k]);
    if (!f) {
      f = fonts.face(want);
      const SourcePos& pos = p.spans.empty() ? SourcePos{} : p.spans[size_t(span_of[k])].style.pos;
      char buf[160];
      std::string ch;
      utf8_append(ch, cp);
      std::snprintf(buf, sizeof buf, "no installed font has character U+%04X (%s); shown as \uFFFD",
                    unsigned(cp), ch.c_str());
      diag.warning(pos, buf);
    }
    font_of[k] = f;
  }

  // 3. Runs, shaped.
  hb_buffer_t* buf = hb_buffer_create();
  hb_language_t language = hb_language_from_string(lang.empty() ? "en" : lang.c_str(), -1);
  std::vector<double> advance(len + 1, 0);
  for (size_t k = 0; k < n;) {
    if (hard[k]) {
      ++k;
      continue;
    }
    ShapedRun run;
    run.begin = offs[k];
    run.span = span_of[k];
    run.level = uint8_t(levels[k]);
    const TextStyle& st = p.spans.empty() ? TextStyle{} : p.spans[size_t(run.span)].style;
    if (object_at[k] >= 0) {
      run.object = object_at[k];
      run.end = offs[k + 1];
      advance[run.begin] += p.objects[size_t(run.object)].width + st.kern * (run.begin == 0 || span_of[k - 1] != run.span);
      out.cluster_start[run.begin] = 1;
      out.runs.push_back(std::move(run));
      ++k;
      continue;
    }
    size_t e = k + 1;
    while (e < n && !hard[e] && object_at[e] < 0 && span_of[e] == run.span && font_of[e] == font_of[k] &&
           levels[e] == levels[k] && scripts[e] == scripts[k])
      ++e;
    run.end = offs[e];
    run.font = font_of[k];
    run.font_id = fonts.id(run.font);
    run.scale = st.size / double(run.font->upem);
    auto shape_range = [&](size_t b, size_t e2, bool context) {
      hb_buffer_clear_contents(buf);
      if (context) hb_buffer_add_utf8(buf, text.data(), int(len), unsigned(b), int(e2 - b));
      else hb_buffer_add_utf8(buf, text.data() + b, int(e2 - b), 0, int(e2 - b));
      hb_buffer_set_direction(buf, (levels[k] & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
      hb_buffer_set_script(buf, scripts[k]);
      hb_buffer_set_language(buf, language);
      hb_buffer_set_flags(buf, hb_buffer_flags_t(HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES |
                                                 (!context || b == 0 ? HB_BUFFER_FLAG_BOT : 0) |
                                                 (!context || e2 == len ? HB_BUFFER_FLAG_EOT : 0)));
      hb_shape(run.font->font, buf, nullptr, 0);
    };
    // Simple left-to-right text (Latin, Greek, Cyrillic) is shaped word by word, each word
    // once per document (Fonts::word_cache): kerning and ligatures stay whole inside a
    // word, and nothing in these scripts joins across a space. Every other run is shaped
    // whole, in the context of the paragraph (Arabic joins across a change of style).
    const hb_script_t sc = scripts[k];
    const bool by_word = !(levels[k] & 1) && (sc == HB_SCRIPT_LATIN || sc == HB_SCRIPT_GREEK ||
                                              sc == HB_SCRIPT_CYRILLIC || sc == HB_SCRIPT_COMMON);
    if (by_word) {
      auto& cache = fonts.word_cache();
      run.info.reserve(run.end - run.begin);
      run.pos.reserve(run.end - run.begin);
      std::string key;
      for (size_t b = run.begin; b < run.end;) {
        size_t e2 = b + 1;
        const bool space = text[b] == ' ';
        while (e2 < run.end && (text[e2] == ' ') == space) ++e2;
        key.assign(reinterpret_cast<const char*>(&run.font_id), sizeof run.font_id);
        key.append(text, b, e2 - b);
        auto it = cache.find(key);
        if (it == cache.end()) {
          shape_range(b, e2, false);
          unsigned count = 0;
          const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &count);
          const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &count);
          Fonts::ShapedWord w;
          w.info.assign(info, info + count);
          w.pos.assign(pos, pos + count);
          it = cache.emplace(key, std::move(w)).first;
        }
        for (hb_glyph_info_t gi : it->second.info) {
          gi.cluster += uint32_t(b);
          run.info.push_back(gi);
        }
        run.pos.insert(run.pos.end(), it->second.pos.begin(), it->second.pos.end());
        b = e2;
      }
    } else {
      shape_range(run.begin, run.end, true);
      unsigned count = 0;
      const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &count);
      const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &count);
      run.info.assign(info, info + count);
      run.pos.assign(pos, pos + count);
    }
    const unsigned count = unsigned(run.info.size());
    // Characters no font has: the replacement character of the font they were given.
    for (unsigned g = 0; g < count; ++g) {
      if (run.info[g].codepoint != 0) continue;
      hb_codepoint_t repl = 0;
      if (hb_font_get_nominal_glyph(run.font->font, 0xFFFD, &repl) ||
          hb_font_get_nominal_glyph(run.font->font, '?', &repl)) {
        run.info[g].codepoint = repl;
        run.pos[g].x_advance = run.font->advance(repl);
        run.pos[g].x_offset = run.pos[g].y_offset = 0;
      }
    }
    for (unsigned g = 0; g < count; ++g) {
      advance[run.info[g].cluster] += run.pos[g].x_advance * run.scale;
      out.cluster_start[run.info[g].cluster] = 1;
    }
    if (st.kern > 0 && (k == 0 || span_of[k - 1] != run.span)) advance[run.begin] += st.kern;
    out.runs.push_back(std::move(run));
    k = e;
  }
  hb_buffer_destroy(buf);
  for (size_t b = 0; b < len; ++b) out.width_before[b + 1] = out.width_before[b] + advance[b];

  // 4. Break opportunities.
  if (!breaker) return out;
  UErrorCode status = U_ZERO_ERROR;
  if (!*breaker) *breaker = ubrk_open(UBRK_LINE, lang.empty() ? "en" : lang.c_str(), nullptr, 0, &status);
  status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), int64_t(len), &status);
  if (*breaker && U_SUCCESS(status)) {
    ubrk_setUText(*breaker, ut, &status);
    if (U_SUCCESS(status)) {
      for (int32_t b = ubrk_next(*breaker); b != UBRK_DONE && size_t(b) < len; b = ubrk_next(*breaker)) {
        const int32_t rule = ubrk_getRuleStatus(*breaker);
        out.breaks[size_t(b)] = rule >= UBRK_LINE_HARD && rule < UBRK_LINE_HARD_LIMIT ? 2 : 1;
      }
    }
  }
  utext_close(ut);
  for (size_t at : p.hard_breaks)
    if (at + 3 <= len) out.breaks[at + 3] = 2;  // after the U+2028 (3 bytes)
  auto hangul = [](char32_t c) {
    return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F);
  };
  for (size_t k = 1; k < n; ++k) {
    // Korean is set with words kept whole (CSS's word-break: keep-all), breaking at its
    // spaces: UAX #14 would break between any two syllables, as between ideographs.
    if (out.breaks[offs[k]] == 1 && hangul(cps[k]) && hangul(cps[k - 1])) out.breaks[offs[k]] = 0;
  }
  for (size_t b = 1; b < len; ++b) {
    if (out.breaks[b] != 1) continue;
    // Not inside a cluster, and not after a hyphen-minus between letters: pdftotext
    // (and copy and paste) joins "co-" at a line's end to the next line as "co".
    if (!out.cluster_start[b]) {
      out.breaks[b] = 0;
    } else if (text[b - 1] == '-' && b >= 2) {
      size_t before = b - 2;
      while (before > 0 && (static_cast<unsigned char>(text[before]) & 0xC0) == 0x80) --before;
      size_t at = before, next = b;
      if (is_alnum(utf8_decode(text, at)) && is_alnum(utf8_decode(text, next))) out.breaks[b] = 0;
    }
  }
  return out;
}

}  // namespace relconv::pdf
