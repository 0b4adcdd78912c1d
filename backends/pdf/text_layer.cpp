#include "backends/pdf/text_layer.h"

#include <hb-subset.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>

#include "backend/backend.h"
#include "text/utf8.h"

namespace relconv::pdf {

namespace {

// A number for a content stream: at most three decimals, no exponent, no "-0".
void put_num(std::string& out, double v) {
  long m = std::lround(v * 1000);
  char buf[32];
  char* e = buf + sizeof buf;
  char* p = e;
  const bool negative = m < 0;
  if (negative) m = -m;
  long frac = m % 1000, whole = m / 1000;
  if (frac) {
    int digits = 3;
    while (frac % 10 == 0) {
      frac /= 10;
      --digits;
    }
    for (int i = 0; i < digits; ++i, frac /= 10) *--p = char('0' + frac % 10);
    *--p = '.';
  }
  do {
    *--p = char('0' + whole % 10);
    whole /= 10;
  } while (whole);
  if (negative) *--p = '-';
  out.append(p, size_t(e - p));
}

// UTF-16BE of UTF-8 text as hexadecimal, for ToUnicode maps and ActualText strings.
std::string utf16_hex(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  auto unit = [&](unsigned u) {
    for (int s = 12; s >= 0; s -= 4) out += hex[(u >> s) & 15];
  };
  for (size_t i = 0; i < text.size();) {
    char32_t cp = utf8_decode(text, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (unsigned(cp) >> 10));
      unit(0xDC00 + (unsigned(cp) & 0x3FF));
    } else {
      unit(unsigned(cp));
    }
  }
  return out;
}

// --- CFF (Adobe Technical Note #5176): just enough to read which CID each glyph of a
// CID-keyed font has, since a CIDFontType0's codes are CIDs, mapped to glyphs through the
// font's charset (PDF 32000-1:2008, 9.7.4.2).
struct CffReader {
  const uint8_t* p;
  size_t n;
  bool ok = true;
  size_t offsize_at(size_t at, int size) {
    size_t v = 0;
    for (int i = 0; i < size; ++i) v = v << 8 | (at + size_t(i) < n ? p[at + size_t(i)] : (ok = false, 0));
    return v;
  }
  // INDEX at `at`: its items' [begin, end), and where it ends.
  std::vector<std::pair<size_t, size_t>> index(size_t at, size_t& end) {
    std::vector<std::pair<size_t, size_t>> items;
    const size_t count = offsize_at(at, 2);
    if (count == 0) {
      end = at + 2;
      return items;
    }
    const int off = int(offsize_at(at + 2, 1));
    const size_t base = at + 3 + (count + 1) * size_t(off) - 1;
    for (size_t i = 0; i < count && ok; ++i)
      items.push_back({base + offsize_at(at + 3 + i * size_t(off), off),
                       base + offsize_at(at + 3 + (i + 1) * size_t(off), off)});
    end = items.empty() ? at : items.back().second;
    return items;
  }
  // The Top DICT's operators of interest: charset (15), CharStrings (17), ROS (12 30).
  void top_dict(size_t b, size_t e, long& charset, long& charstrings, bool& cid) {
    std::vector<long> operands;
    while (b < e && ok) {
      const uint8_t c = p[b];
      if (c <= 21) {
        int op = c;
        if (c == 12) op = 1200 + (b + 1 < e ? p[++b] : 0);
        if (op == 15 && !operands.empty()) charset = operands.back();
        if (op == 17 && !operands.empty()) charstrings = operands.back();
        if (op == 1230) cid = true;
        operands.clear();
        ++b;
      } else if (c == 28) {
        operands.push_back(int16_t(offsize_at(b + 1, 2)));
        b += 3;
      } else if (c == 29) {
        operands.push_back(int32_t(offsize_at(b + 1, 4)));
        b += 5;
      } else if (c == 30) {  // a real number: nibbles up to 0xf
        ++b;
        while (b < e && (p[b] & 0x0F) != 0x0F && (p[b] & 0xF0) != 0xF0) ++b;
        ++b;
        operands.push_back(0);
      } else if (c >= 32 && c <= 246) {
        operands.push_back(long(c) - 139);
        ++b;
      } else if (c >= 247 && c <= 250) {
        operands.push_back((long(c) - 247) * 256 + long(b + 1 < e ? p[b + 1] : 0) + 108);
        b += 2;
      } else if (c >= 251 && c <= 254) {
        operands.push_back(-(long(c) - 251) * 256 - long(b + 1 < e ? p[b + 1] : 0) - 108);
        b += 2;
      } else {
        ++b;
      }
    }
  }
};

// CID of each glyph of a CFF font program, or empty when it is not CID-keyed (then a
// glyph's CID is its id).
std::vector<uint32_t> cff_cids(const std::string& cff) {
  CffReader r{reinterpret_cast<const uint8_t*>(cff.data()), cff.size()};
  if (cff.size() < 4) return {};
  size_t at = r.p[2], end = 0;
  r.index(at, end);  // Name INDEX
  auto top = r.index(end, end);
  if (!r.ok || top.empty()) return {};
  long charset = 0, charstrings = 0;
  bool cid = false;
  r.top_dict(top[0].first, top[0].second, charset, charstrings, cid);
  if (!cid || charset <= 2 || charstrings <= 0) return {};
  size_t cs_end = 0;
  const size_t glyphs = r.index(size_t(charstrings), cs_end).size();
  std::vector<uint32_t> cids(glyphs, 0);
  size_t q = size_t(charset);
  const int format = int(r.offsize_at(q++, 1));
  size_t g = 1;
  if (format == 0) {
    for (; g < glyphs && r.ok; ++g, q += 2) cids[g] = uint32_t(r.offsize_at(q, 2));
  } else if (format == 1 || format == 2) {
    while (g < glyphs && r.ok) {
      const uint32_t first = uint32_t(r.offsize_at(q, 2));
      const size_t left = r.offsize_at(q + 2, format == 1 ? 1 : 2);
      q += format == 1 ? 3 : 4;
      for (size_t k = 0; k <= left && g < glyphs; ++k) cids[g++] = first + uint32_t(k);
    }
  }
  if (!r.ok) return {};
  return cids;
}

// A subset tag of six capitals from the glyphs kept (PDF 32000-1:2008, 9.6.4), so that
// two subsets of one font in two documents have different names.
std::string subset_tag(const std::map<uint32_t, uint32_t>& code, unsigned salt) {
  uint64_t h = 1469598103934665603ull ^ salt;
  for (const auto& [gid, c] : code) {
    h = (h ^ gid) * 1099511628211ull;
    h = (h ^ c) * 1099511628211ull;
  }
  std::string tag;
  for (int i = 0; i < 6; ++i, h /= 26) tag += char('A' + h % 26);
  return tag;
}

HPDF_Dict new_dict(HPDF_Doc pdf, const char* type) {
  HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
  if (!d) throw std::bad_alloc();
  if (HPDF_Xref_Add(pdf->xref, d) != HPDF_OK) throw std::bad_alloc();
  if (type) HPDF_Dict_AddName(d, "Type", type);
  return d;
}

HPDF_Dict new_stream(HPDF_Doc pdf, const std::string& data) {
  HPDF_Dict d = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!d) throw std::bad_alloc();
  HPDF_Stream_Write(d->stream, reinterpret_cast<const HPDF_BYTE*>(data.data()), HPDF_UINT(data.size()));
  return d;
}

HPDF_Array int_array(HPDF_Doc pdf, std::initializer_list<int> values) {
  HPDF_Array a = HPDF_Array_New(pdf->mmgr);
  for (int v : values) HPDF_Array_AddNumber(a, v);
  return a;
}

}  // namespace

TextLayer::TextLayer(HPDF_Doc pdf, Fonts& fonts) : pdf_(pdf), fonts_(fonts) {}

TextLayer::~TextLayer() {
  for (Font& f : used_) hb_set_destroy(f.glyphs);
}

void TextLayer::use(const Glyphs& g) {
  if (g.font < 0) return;
  if (used_.size() <= size_t(g.font)) used_.resize(size_t(g.font) + 1);
  Font& f = used_[size_t(g.font)];
  if (!f.glyphs) {
    f.file = fonts_.used()[size_t(g.font)].file;
    f.glyphs = hb_set_create();
  }
  for (uint32_t id : g.ids) hb_set_add(f.glyphs, id);
}

void TextLayer::embed() {
  for (size_t i = 0; i < used_.size(); ++i) {
    Font& f = used_[i];
    if (!f.file || !f.glyphs || hb_set_is_empty(f.glyphs)) continue;
    hb_subset_input_t* input = hb_subset_input_create_or_fail();
    if (!input) throw std::bad_alloc();
    hb_set_t* glyphs = hb_subset_input_glyph_set(input);
    hb_set_add(glyphs, 0);
    hb_set_union(glyphs, f.glyphs);
    // No character map: Identity-H codes are glyph ids (or CIDs), so the program needs no
    // cmap, and nothing of the layout tables (the text is shaped already).
    hb_set_clear(hb_subset_input_unicode_set(input));
    hb_set_t* drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (hb_tag_t t : {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
                       HB_TAG('k', 'e', 'r', 'n'), HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'),
                       HB_TAG('M', 'A', 'T', 'H'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('c', 'm', 'a', 'p'),
                       HB_TAG('n', 'a', 'm', 'e'), HB_TAG('p', 'o', 's', 't'), HB_TAG('V', 'O', 'R', 'G'),
                       HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'), HB_TAG('D', 'S', 'I', 'G'),
                       HB_TAG('S', 'T', 'A', 'T'), HB_TAG('m', 'e', 't', 'a'), HB_TAG('C', 'O', 'L', 'R'),
                       HB_TAG('C', 'P', 'A', 'L'), HB_TAG('S', 'V', 'G', ' '), HB_TAG('C', 'B', 'D', 'T'),
                       HB_TAG('C', 'B', 'L', 'C'), HB_TAG('s', 'b', 'i', 'x'), HB_TAG('E', 'B', 'D', 'T'),
                       HB_TAG('E', 'B', 'L', 'C'), HB_TAG('E', 'B', 'S', 'C'), HB_TAG('h', 'd', 'm', 'x'),
                       HB_TAG('L', 'T', 'S', 'H'), HB_TAG('V', 'D', 'M', 'X'), HB_TAG('P', 'C', 'L', 'T')})
      hb_set_add(drop, t);
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
    hb_subset_plan_t* plan = hb_subset_plan_create_or_fail(f.file->face, input);
    hb_subset_input_destroy(input);
    hb_face_t* sub = plan ? hb_subset_plan_execute_or_fail(plan) : nullptr;
    if (!sub) {
      if (plan) hb_subset_plan_destroy(plan);
      throw Error(f.file->path, "HarfBuzz cannot subset this font for embedding (set another in the style's fonts:)");
    }
    const hb_map_t* old_to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    std::string program;
    std::vector<uint32_t> cids;
    if (f.file->cff) {
      hb_blob_t* cff = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
      unsigned len = 0;
      const char* data = hb_blob_get_data(cff, &len);
      program.assign(data ? data : "", len);
      hb_blob_destroy(cff);
      cids = cff_cids(program);
    } else {
      hb_blob_t* blob = hb_face_reference_blob(sub);
      unsigned len = 0;
      const char* data = hb_blob_get_data(blob, &len);
      program.assign(data ? data : "", len);
      hb_blob_destroy(blob);
    }
    f.code.assign(hb_face_get_glyph_count(f.file->face), -1);
    std::map<uint32_t, uint32_t> codes;  // by original glyph, for the subset's name
    for (hb_codepoint_t gid = HB_SET_VALUE_INVALID; hb_set_next(f.glyphs, &gid);) {
      const hb_codepoint_t n = hb_map_get(old_to_new, gid);
      if (n == HB_MAP_VALUE_INVALID || gid >= f.code.size()) continue;
      const uint32_t c = n < cids.size() ? cids[n] : n;
      if (c > 0xFFFF) continue;  // a two-byte code cannot say it
      f.code[gid] = int32_t(c);
      if (f.width.size() <= c) f.width.resize(c + 1, -1);
      f.width[c] = int(std::lround(f.file->advance(gid) * 1000.0 / f.file->upem));
      codes[gid] = c;
    }
    hb_face_destroy(sub);
    hb_subset_plan_destroy(plan);
    if (program.empty())
      throw Error(f.file->path, "HarfBuzz made an empty subset of this font (set another in the style's fonts:)");

    const std::string name = subset_tag(codes, unsigned(i)) + "+" + f.file->postscript_name;
    HPDF_Dict file = new_stream(pdf_, program);
    if (f.file->cff) HPDF_Dict_AddName(file, "Subtype", "CIDFontType0C");
    else HPDF_Dict_AddNumber(file, "Length1", HPDF_INT32(program.size()));

    const double k = 1000.0 / f.file->upem;
    HPDF_Dict desc = new_dict(pdf_, "FontDescriptor");
    HPDF_Dict_AddName(desc, "FontName", name.c_str());
    // Flags (9.8.2): fixed pitch 1, serif 2, symbolic 4 (glyphs outside the standard Latin
    // set, true of every font here), italic 64.
    int flags = 4;
    if (f.file->fixed_pitch) flags |= 1;
    if (f.file->serif) flags |= 2;
    if (f.file->italic || f.file->italic_angle != 0) flags |= 64;
    HPDF_Dict_AddNumber(desc, "Flags", flags);
    HPDF_Dict_Add(desc, "FontBBox",
                  int_array(pdf_, {int(std::lround(f.file->bbox[0] * k)), int(std::lround(f.file->bbox[1] * k)),
                                   int(std::lround(f.file->bbox[2] * k)), int(std::lround(f.file->bbox[3] * k))}));
    HPDF_Dict_AddReal(desc, "ItalicAngle", HPDF_REAL(f.file->italic_angle));
    HPDF_Dict_AddNumber(desc, "Ascent", HPDF_INT32(std::lround(f.file->ascent * k)));
    HPDF_Dict_AddNumber(desc, "Descent", HPDF_INT32(std::lround(f.file->descent * k)));
    HPDF_Dict_AddNumber(desc, "CapHeight", HPDF_INT32(std::lround(f.file->cap_height * k)));
    HPDF_Dict_AddNumber(desc, "StemV", 80);
    HPDF_Dict_Add(desc, f.file->cff ? "FontFile3" : "FontFile2", file);

    f.cid_font = new_dict(pdf_, "Font");
    HPDF_Dict_AddName(f.cid_font, "Subtype", f.file->cff ? "CIDFontType0" : "CIDFontType2");
    HPDF_Dict_AddName(f.cid_font, "BaseFont", name.c_str());
    HPDF_Dict info = HPDF_Dict_New(pdf_->mmgr);
    HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf_->mmgr, "Adobe", nullptr));
    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf_->mmgr, "Identity", nullptr));
    HPDF_Dict_AddNumber(info, "Supplement", 0);
    HPDF_Dict_Add(f.cid_font, "CIDSystemInfo", info);
    HPDF_Dict_Add(f.cid_font, "FontDescriptor", desc);
    if (!f.file->cff) HPDF_Dict_AddName(f.cid_font, "CIDToGIDMap", "Identity");

    f.type0 = new_dict(pdf_, "Font");
    HPDF_Dict_AddName(f.type0, "Subtype", "Type0");
    HPDF_Dict_AddName(f.type0, "BaseFont", name.c_str());
    HPDF_Dict_AddName(f.type0, "Encoding", "Identity-H");
    HPDF_Array descendants = HPDF_Array_New(pdf_->mmgr);
    HPDF_Array_Add(descendants, f.cid_font);
    HPDF_Dict_Add(f.type0, "DescendantFonts", descendants);
  }
}

void TextLayer::begin_page(HPDF_Page page, double page_height) {
  page_ = page;
  page_height_ = page_height;
  ops_ = "q BT\n";
  cur_font_ = -1;
  cur_size_ = -1;
  cur_color_ = Rgb{-1, -1, -1};
  cur_mode_ = 0;
  page_names_.clear();
}

void TextLayer::show(const Glyphs& g, double size, const Rgb& color, double x, double y, bool invisible) {
  if (g.empty() || g.font < 0 || size_t(g.font) >= used_.size()) return;
  Font& f = used_[size_t(g.font)];
  if (!f.type0) return;
  std::string& o = ops_;
  if (g.font != cur_font_ || size != cur_size_) {
    auto it = page_names_.find(g.font);
    if (it == page_names_.end()) {
      const char* local = HPDF_Page_GetLocalFontName(page_, reinterpret_cast<HPDF_Font>(f.type0));
      it = page_names_.emplace(g.font, local ? local : "F0").first;
    }
    o += '/';
    o += it->second;
    o += ' ';
    put_num(o, size);
    o += " Tf\n";
    cur_font_ = g.font;
    cur_size_ = size;
  }
  if (color.r != cur_color_.r || color.g != cur_color_.g || color.b != cur_color_.b) {
    put_num(o, color.r);
    o += ' ';
    put_num(o, color.g);
    o += ' ';
    put_num(o, color.b);
    o += " rg\n";
    cur_color_ = color;
  }
  const int mode = invisible ? 3 : 0;  // 3: neither fill nor stroke (9.3.6)
  if (mode != cur_mode_) {
    o += std::to_string(mode) + " Tr\n";
    cur_mode_ = mode;
  }
  const double base_y = page_height_ - y;
  const double k = size / 1000.0;
  // Glyphs are shown in TJ arrays; a glyph off the baseline (a stacked mark) or the start
  // of a cluster with ActualText begins a new positioning.
  bool in_tj = false;
  double pen = 0;       // where the current TJ's pen is, relative to x
  float line_y = 0;
  // Where the pen should stand after glyph i: where the next glyph is drawn (or the
  // run's end). A mark drawn at an offset leaves the PDF's pen off by it; it is moved
  // back before the array ends, or extraction sees a gap after the mark (pdftotext read
  // Bengali "নির্ভর" as two words).
  auto close_tj = [&](size_t after) {
    if (!in_tj) return;
    const double target = after + 1 < g.ids.size() ? g.x[after + 1] : g.width;
    if (const long adjust = std::lround(-(target - pen) / k)) o += ' ' + std::to_string(adjust);
    o += "] TJ\n";
    in_tj = false;
  };
  auto start_at = [&](size_t i, double gx, float gy) {
    if (in_tj) close_tj(i - 1);
    o += "1 0 0 1 ";
    put_num(o, x + gx);
    o += ' ';
    put_num(o, base_y + gy);
    o += " Tm [";
    in_tj = true;
    pen = gx;
    line_y = gy;
  };
  static const char* hex = "0123456789ABCDEF";
  size_t next_actual = 0;
  std::vector<uint32_t> order;
  for (uint32_t i = 0; i < g.ids.size(); ++i) {
    const GlyphCluster* actual = next_actual < g.actual.size() && g.actual[next_actual].first == i
                                     ? &g.actual[next_actual++] : nullptr;
    if (actual) {
      if (i > 0) close_tj(i - 1);
      o += "/Span << /ActualText <FEFF" + utf16_hex(actual->text) + "> >> BDC\n";
    }
    const uint32_t end = actual ? i + actual->count : i + 1;
    order.resize(end - i);
    for (uint32_t j = i; j < end; ++j) order[j - i] = j;
    // pdftotext takes an ActualText to end where the last glyph drawn in it ends: a mark
    // drawn last, over its base, would end it early and leave a gap that splits the word
    // (Bengali "নির্ভর" read as "নির্ভ র", as from Chromium's PDFs). The glyph that reaches
    // furthest right is then drawn once more at the end, invisibly (text rendering mode 3),
    // which changes nothing on the page. (Not in right-to-left runs, whose extraction goes
    // by position the other way.)
    int repeat = -1;
    if (actual && order.size() > 1 && !g.rtl) {
      auto right = [&](uint32_t j) {
        const uint32_t gid = g.ids[j];
        return g.x[j] + (gid < f.code.size() && f.code[gid] >= 0 ? f.width[uint32_t(f.code[gid])] * k : 0);
      };
      uint32_t far = order.front();
      for (uint32_t j : order)
        if (right(j) > right(far) + 0.0005) far = j;
      if (right(order.back()) + 0.0005 < right(far)) repeat = int(far);
    }
    if (repeat >= 0) order.push_back(uint32_t(repeat));
    for (size_t n = 0; n < order.size(); ++n) {
      const uint32_t j = order[n];
      const uint32_t gid = g.ids[j];
      if (gid >= f.code.size() || f.code[gid] < 0) continue;
      if (repeat >= 0 && n + 1 == order.size()) {
        close_tj(j);
        o += "3 Tr\n";
        cur_mode_ = 3;
      }
      const uint32_t code = uint32_t(f.code[gid]);
      const double gx = g.x[j];
      const float gy = g.y.empty() ? 0.f : g.y[j];
      if (!in_tj || gy != line_y) {
        start_at(j, gx, gy);
      } else {
        // TJ's number moves the pen left by thousandths of the size (9.4.3); one under
        // half a thousandth of an em (the rounding of /W widths) is left out, and the pen
        // stays where it is, so that the error never adds up.
        const long adjust = std::lround(-(gx - pen) / k);
        if (adjust != 0) {
          o += ' ';
          o += std::to_string(adjust);
          o += ' ';
          pen -= double(adjust) * k;
        }
      }
      const double at = pen;
      // Glyphs with nothing between them share one string.
      if (o.back() == '>') o.pop_back();
      else o += '<';
      const char digits[4] = {hex[(code >> 12) & 15], hex[(code >> 8) & 15], hex[(code >> 4) & 15], hex[code & 15]};
      o.append(digits, 4);
      o += '>';
      pen = at + f.width[code] * k;
    }
    i = end;
    --i;
    if (actual) {
      close_tj(i);
      o += "EMC\n";
    }
    if (cur_mode_ != mode) {
      o += std::to_string(mode) + " Tr\n";
      cur_mode_ = mode;
    }
  }
  if (!g.ids.empty()) close_tj(g.ids.size() - 1);
}

void TextLayer::end_page() {
  ops_ += "ET Q\n";
  auto* attr = static_cast<HPDF_PageAttr>(page_->attr);
  HPDF_Stream_Write(attr->stream, reinterpret_cast<const HPDF_BYTE*>(ops_.data()), HPDF_UINT(ops_.size()));
  ops_.clear();
  page_ = nullptr;
}

void TextLayer::finish() {
  for (Font& f : used_) {
    if (!f.type0) continue;
    // Widths: runs of consecutive codes, "c [w1 w2 ...]" (9.7.4.3).
    HPDF_Array w = HPDF_Array_New(pdf_->mmgr);
    HPDF_Array run = nullptr;
    long last = -2;
    for (size_t code = 0; code < f.width.size(); ++code) {
      if (f.width[code] < 0) continue;
      if (long(code) != last + 1) {
        HPDF_Array_AddNumber(w, HPDF_INT32(code));
        run = HPDF_Array_New(pdf_->mmgr);
        HPDF_Array_Add(w, run);
      }
      HPDF_Array_AddNumber(run, f.width[code]);
      last = long(code);
    }
    HPDF_Dict_Add(f.cid_font, "W", w);
    // ToUnicode (9.10.3): a bfchar per code, in blocks of at most 100.
    std::map<uint32_t, const std::string*> by_code;
    for (const auto& [gid, text] : fonts_.used()[size_t(&f - used_.data())].glyphs)
      if (gid < f.code.size() && f.code[gid] >= 0 && !text.empty()) by_code.emplace(uint32_t(f.code[gid]), &text);
    std::string cmap =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    size_t in_block = 0;
    for (auto it = by_code.begin(); it != by_code.end(); ++it) {
      if (in_block == 0) {
        const size_t left = size_t(std::distance(it, by_code.end()));
        cmap += std::to_string(std::min<size_t>(100, left)) + " beginbfchar\n";
      }
      static const char* hex = "0123456789ABCDEF";
      cmap += '<';
      for (int s = 12; s >= 0; s -= 4) cmap += hex[(it->first >> s) & 15];
      cmap += "> <" + utf16_hex(*it->second) + ">\n";
      if (++in_block == 100) {
        cmap += "endbfchar\n";
        in_block = 0;
      }
    }
    if (in_block) cmap += "endbfchar\n";
    cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    HPDF_Dict_Add(f.type0, "ToUnicode", new_stream(pdf_, cmap));
  }
}

}  // namespace relconv::pdf
