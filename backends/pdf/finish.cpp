#include "backends/pdf/finish.h"

#include <libdeflate.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <vector>

#include "convert/parallel.h"

namespace relconv::pdf {

namespace {

uint32_t be32(const std::string& s, size_t at) {
  return uint32_t(uint8_t(s[at])) << 24 | uint32_t(uint8_t(s[at + 1])) << 16 |
         uint32_t(uint8_t(s[at + 2])) << 8 | uint32_t(uint8_t(s[at + 3]));
}
uint16_t be16(const std::string& s, size_t at) {
  return uint16_t(uint8_t(s[at]) << 8 | uint8_t(s[at + 1]));
}
void put32(std::string& s, size_t at, uint32_t v) {
  s[at] = char(v >> 24);
  s[at + 1] = char(v >> 16);
  s[at + 2] = char(v >> 8);
  s[at + 3] = char(v);
}
void put16(std::string& s, size_t at, uint16_t v) {
  s[at] = char(v >> 8);
  s[at + 1] = char(v);
}

// A zlib stream's data; `expected` is its size when known (else it is found by growing).
std::optional<std::string> inflate_all(const std::string& in, size_t expected) {
  std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> d(libdeflate_alloc_decompressor(),
                                                                                 libdeflate_free_decompressor);
  if (!d) return std::nullopt;
  std::string out(expected ? expected : in.size() * 4 + 64, '\0');
  for (;;) {
    size_t len = 0;
    switch (libdeflate_zlib_decompress(d.get(), in.data(), in.size(), out.data(), out.size(), &len)) {
      case LIBDEFLATE_SUCCESS:
        out.resize(len);
        return out;
      case LIBDEFLATE_INSUFFICIENT_SPACE:
        if (out.size() > (size_t(1) << 31)) return std::nullopt;
        out.resize(out.size() * 2);
        break;
      default:
        return std::nullopt;
    }
  }
}

// A stream's data as a zlib stream (FlateDecode), at level 6, as zlib's default that
// libharu uses. libdeflate takes half of zlib's time for it (bench/README.md).
// The bound is written into uninitialised memory: a string of that size would be zeroed
// first, and that zeroing (10 MB for the corpus book) touched pages the output never uses.
std::string deflate_all(std::string_view in, libdeflate_compressor* c) {
  const size_t bound = libdeflate_zlib_compress_bound(c, in.size());
  std::unique_ptr<char[]> buffer(new char[bound]);
  const size_t n = libdeflate_zlib_compress(c, in.data(), in.size(), buffer.get(), bound);
  return std::string(buffer.get(), n);
}

uint32_t table_sum(const std::string& t) {
  std::string padded = t;
  padded.resize((t.size() + 3) & ~size_t(3), '\0');
  uint32_t sum = 0;
  for (size_t i = 0; i < padded.size(); i += 4) sum += be32(padded, i);
  return sum;
}

// A TrueType font as its tables, in directory order.
struct Font {
  uint32_t version = 0;
  std::vector<std::pair<std::string, std::string>> tables;
  std::string* find(const char* tag) {
    for (auto& t : tables)
      if (t.first == tag) return &t.second;
    return nullptr;
  }
};

std::optional<Font> parse_font(const std::string& data) {
  if (data.size() < 12) return std::nullopt;
  Font f;
  f.version = be32(data, 0);
  const size_t n = be16(data, 4);
  if (12 + 16 * n > data.size()) return std::nullopt;
  for (size_t i = 0; i < n; ++i) {
    const size_t rec = 12 + 16 * i;
    const uint32_t off = be32(data, rec + 8), len = be32(data, rec + 12);
    if (size_t(off) + len > data.size()) return std::nullopt;
    f.tables.push_back({data.substr(rec, 4), data.substr(off, len)});
  }
  return f;
}

std::string write_font(Font& f) {
  const size_t n = f.tables.size();
  size_t pow2 = 1, log2 = 0;
  while (pow2 * 2 <= n) {
    pow2 *= 2;
    ++log2;
  }
  if (std::string* head = f.find("head"); head && head->size() >= 12) put32(*head, 8, 0);
  std::string out(12 + 16 * n, '\0');
  put32(out, 0, f.version);
  put16(out, 4, uint16_t(n));
  put16(out, 6, uint16_t(pow2 * 16));
  put16(out, 8, uint16_t(log2));
  put16(out, 10, uint16_t(n * 16 - pow2 * 16));
  size_t head_at = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto& [tag, body] = f.tables[i];
    const size_t rec = 12 + 16 * i;
    out.replace(rec, 4, tag);
    put32(out, rec + 4, table_sum(body));
    put32(out, rec + 8, uint32_t(out.size()));
    put32(out, rec + 12, uint32_t(body.size()));
    if (tag == "head") head_at = out.size();
    out += body;
    out.resize((out.size() + 3) & ~size_t(3), '\0');
  }
  if (head_at) put32(out, head_at + 8, 0xB1B0AFBAu - table_sum(out));
  return out;
}

// Empties post and the metrics of glyphs that have no outline and are not in `keep`;
// returns the font's glyph count, or nothing when the font is not as
// expected.
std::optional<size_t> trim_font(std::string& data, const std::vector<bool>& keep) {
  auto font = parse_font(data);
  if (!font) return std::nullopt;
  std::string *head = font->find("head"), *maxp = font->find("maxp"), *loca = font->find("loca"),
              *hhea = font->find("hhea"), *hmtx = font->find("hmtx"), *post = font->find("post");
  if (!head || !maxp || !loca || !hhea || !hmtx || head->size() < 54 || maxp->size() < 6 ||
      hhea->size() < 36)
    return std::nullopt;
  const bool long_loca = be16(*head, 50) != 0;
  const size_t glyphs = be16(*maxp, 4);
  if (loca->size() < (glyphs + 1) * (long_loca ? 4 : 2)) return std::nullopt;
  const size_t metrics = be16(*hhea, 34);
  if (metrics == 0 || metrics > glyphs || hmtx->size() < 4 * metrics + 2 * (glyphs - metrics))
    return std::nullopt;
  for (size_t g = 1; g < glyphs; ++g) {
    // A glyph with an outline keeps its metrics (libharu keeps the components of used
    // composite glyphs, whose metrics a composite may borrow); so does a used empty one.
    const uint32_t a = long_loca ? be32(*loca, 4 * g) : 2u * be16(*loca, 2 * g);
    const uint32_t b = long_loca ? be32(*loca, 4 * g + 4) : 2u * be16(*loca, 2 * g + 2);
    if (b > a || (g < keep.size() && keep[g])) continue;
    if (g < metrics) put32(*hmtx, 4 * g, 0);
    else put16(*hmtx, 4 * metrics + 2 * (g - metrics), 0);
  }
  if (post && post->size() >= 32) {
    post->resize(32);
    put32(*post, 0, 0x00030000);  // version 3: no glyph names
  }
  // A CIDFontType2 maps codes to glyphs through CIDToGIDMap; the font's own cmap is not
  // used (PDF 32000-1:2008, 9.7.4.2), so it shrinks to a valid format 4 table that maps
  // nothing.
  if (std::string* cmap = font->find("cmap")) {
    std::string t(36, '\0');
    put16(t, 2, 1);        // one encoding record
    put16(t, 4, 3);        // Windows
    put16(t, 6, 1);        // Unicode BMP
    put32(t, 8, 12);       // subtable offset
    put16(t, 12, 4);       // format 4
    put16(t, 14, 24);      // its length
    put16(t, 18, 2);       // segCountX2: the one 0xFFFF end segment
    put16(t, 20, 2);       // searchRange
    put16(t, 26, 0xFFFF);  // endCode
    put16(t, 30, 0xFFFF);  // startCode
    put16(t, 32, 1);       // idDelta
    *cmap = t;
  }
  // The name table keeps the Windows-platform names (family, style, version, PostScript
  // name, copyright, licence) and drops the duplicates for other platforms.
  if (std::string* name = font->find("name"); name && name->size() >= 6) {
    const std::string& n = *name;
    const size_t count = be16(n, 2), strings = be16(n, 4);
    if (6 + 12 * count <= n.size() && strings <= n.size()) {
      std::vector<size_t> kept;
      for (size_t r = 0; r < count; ++r) {
        const size_t rec = 6 + 12 * r;
        const size_t off = strings + be16(n, rec + 10), len = be16(n, rec + 8);
        if (be16(n, rec) == 3 && off + len <= n.size()) kept.push_back(rec);
      }
      if (!kept.empty()) {
        std::string t(6 + 12 * kept.size(), '\0');
        put16(t, 2, uint16_t(kept.size()));
        put16(t, 4, uint16_t(t.size()));
        std::string pool;
        for (size_t k = 0; k < kept.size(); ++k) {
          const size_t rec = kept[k];
          const size_t off = strings + be16(n, rec + 10), len = be16(n, rec + 8);
          t.replace(6 + 12 * k, 8, n, rec, 8);  // platform, encoding, language, name ids
          put16(t, 6 + 12 * k + 8, uint16_t(len));
          put16(t, 6 + 12 * k + 10, uint16_t(pool.size()));
          pool += n.substr(off, len);
        }
        *name = t + pool;
      }
    }
  }
  data = write_font(*font);
  return glyphs;
}

// The widths of a /W array of the form libharu writes: `c [w1 w2 ...]` groups. Indexed
// by code; kNoWidth where the array has none.
constexpr long kNoWidth = -1000000;

std::optional<std::vector<long>> parse_widths(const std::string& w) {
  std::vector<long> out(65536, kNoWidth);
  size_t i = 0;
  auto skip = [&]() {
    while (i < w.size() && (w[i] == ' ' || w[i] == '\n' || w[i] == '\r')) ++i;
  };
  while (true) {
    skip();
    if (i >= w.size()) break;
    char* end = nullptr;
    long first = std::strtol(w.c_str() + i, &end, 10);
    if (end == w.c_str() + i) return std::nullopt;
    i = size_t(end - w.c_str());
    skip();
    if (i >= w.size() || w[i] != '[') return std::nullopt;
    ++i;
    for (long c = first;; ++c) {
      skip();
      if (i < w.size() && w[i] == ']') {
        ++i;
        break;
      }
      long v = std::strtol(w.c_str() + i, &end, 10);
      if (end == w.c_str() + i || v == kNoWidth) return std::nullopt;
      i = size_t(end - w.c_str());
      if (c >= 0 && c <= 0xFFFF) out[size_t(c)] = v;
    }
  }
  return out;
}

// One indirect object of the file: where it was and what it is now.
struct Object {
  size_t offset = 0, end = 0;
  std::string text;  // from "N 0 obj" to the end of "endobj\n"
};

// Value of `/Key N 0 R` in a dictionary text, or -1.
long ref_of(const std::string& dict, const char* key) {
  size_t at = dict.find(key);
  if (at == std::string::npos) return -1;
  long n = -1, g = -1;
  char r = 0;
  if (std::sscanf(dict.c_str() + at + std::strlen(key), " %ld %ld %c", &n, &g, &r) != 3 || r != 'R')
    return -1;
  return n;
}

// Stream data of object text, and where it starts.
bool stream_of(const std::string& obj, size_t length, size_t& start) {
  size_t s = obj.find(">>\nstream\r\n");
  if (s == std::string::npos) return false;
  start = s + 11;
  return start + length <= obj.size();
}

}  // namespace

std::string finish_pdf(std::string pdf, const std::map<std::string, DrawnCodes>& used, int jobs) {
  // Trailer: "startxref\n<offset>\n%%EOF".
  const size_t sx = pdf.rfind("startxref\n");
  if (sx == std::string::npos) return pdf;
  const size_t xref_at = std::strtoul(pdf.c_str() + sx + 10, nullptr, 10);
  if (xref_at >= pdf.size() || pdf.compare(xref_at, 5, "xref\n") != 0) return pdf;
  unsigned first = 0, count = 0;
  int consumed = 0;
  if (std::sscanf(pdf.c_str() + xref_at, "xref\n%u %u\n%n", &first, &count, &consumed) != 2 ||
      first != 0 || count < 2)
    return pdf;
  const size_t entries = xref_at + size_t(consumed);
  if (entries + 20 * size_t(count) > pdf.size()) return pdf;
  std::map<size_t, size_t> offset_to_num;
  std::vector<Object> objects(count);
  for (unsigned i = 1; i < count; ++i) {
    const char* e = pdf.c_str() + entries + 20 * i;
    if (e[17] != 'n') return pdf;
    objects[i].offset = std::strtoul(e, nullptr, 10);
    offset_to_num[objects[i].offset] = i;
  }
  const std::string trailer = pdf.substr(entries + 20 * size_t(count), sx - entries - 20 * count);
  const std::string free_head = pdf.substr(entries, 20);
  std::vector<bool> packed_already(count, false);
  for (auto it = offset_to_num.begin(); it != offset_to_num.end(); ++it) {
    auto next = std::next(it);
    Object& o = objects[it->second];
    o.end = next == offset_to_num.end() ? xref_at : next->first;
    if (o.end > pdf.size() || o.end < o.offset) return pdf;
    o.text = pdf.substr(o.offset, o.end - o.offset);
  }
  // From here on the file is its objects: the whole of it goes (a book's is 11 MB).
  std::string out = pdf.substr(0, offset_to_num.begin()->first);
  std::string().swap(pdf);
  auto direct_int = [&](long num) -> long {
    if (num <= 0 || size_t(num) >= objects.size()) return -1;
    long v = -1;
    long n = 0;
    if (std::sscanf(objects[size_t(num)].text.c_str(), "%ld 0 obj\n%ld\nendobj", &n, &v) != 2) return -1;
    return v;
  };
  auto set_int = [&](long num, size_t value) {
    objects[size_t(num)].text =
        std::to_string(num) + " 0 obj\n" + std::to_string(value) + "\nendobj\n";
  };
  // A stream with an indirect /Length, as libharu writes it: uncompressed, or compressed
  // with /FlateDecode alone.
  struct Stream {
    long length_obj = -1, length = -1;
    size_t start = 0;
    bool deflated = false;
  };
  auto stream_at = [&](long num, Stream& s) -> bool {
    if (num <= 0 || size_t(num) >= objects.size()) return false;
    const std::string& t = objects[size_t(num)].text;
    s.length_obj = ref_of(t, "/Length ");
    s.length = direct_int(s.length_obj);
    if (s.length < 0 || !stream_of(t, size_t(s.length), s.start)) return false;
    const size_t filter = t.find("/Filter ");
    s.deflated = filter != std::string::npos && filter < s.start;
    static const std::string flate = "/Filter [ /FlateDecode ]\n";
    if (s.deflated && t.compare(filter, flate.size(), flate) != 0) return false;
    return true;
  };
  // The data of a stream, inflated; nothing when it does not inflate.
  auto data_of = [&](long num, const Stream& s, size_t expected) -> std::optional<std::string> {
    std::string data = objects[size_t(num)].text.substr(s.start, size_t(s.length));
    if (!s.deflated) return data;
    return inflate_all(data, expected);
  };
  // Streams to deflate: the object, its stream, and new data for it (else its own).
  struct Packing {
    long num = -1;
    Stream stream;
    std::optional<std::string> data;
    std::string packed;
  };
  std::vector<Packing> packing;
  auto set_data = [&](long num, const Stream& s, std::optional<std::string> data) {
    packing.push_back({num, s, std::move(data), {}});
  };

  for (unsigned i = 1; i < count; ++i) {
    // A CIDFontType2 dictionary: its widths, its CIDToGIDMap and, through its
    // descriptor, its program.
    std::string& t = objects[i].text;
    if (t.find("/Subtype /CIDFontType2") == std::string::npos) continue;
    const long map_num = ref_of(t, "/CIDToGIDMap ");
    const long desc_num = ref_of(t, "/FontDescriptor ");
    if (desc_num <= 0 || size_t(desc_num) >= objects.size()) continue;
    const long file_num = ref_of(objects[size_t(desc_num)].text, "/FontFile2 ");
    Stream file_stream, map_stream;
    if (!stream_at(file_num, file_stream) || !stream_at(map_num, map_stream)) continue;
    Object& file = objects[size_t(file_num)];
    const size_t l1 = file.text.find("/Length1 ");
    if (l1 == std::string::npos || l1 > file_stream.start) continue;
    const long raw_len = std::strtol(file.text.c_str() + l1 + 9, nullptr, 10);
    auto raw = data_of(file_num, file_stream, size_t(raw_len));
    auto cmap = data_of(map_num, map_stream, 65536 * 2);
    if (!raw || long(raw->size()) != raw_len || !cmap || cmap->size() % 2) continue;

    // Which codes were drawn with this font, when the caller knows.
    const DrawnCodes* drawn = nullptr;
    const size_t bf = t.find("/BaseFont /");
    if (bf != std::string::npos) {
      const std::string base = t.substr(bf + 11, t.find('\n', bf) - bf - 11);
      for (const auto& [name, codes] : used) {
        if (base == name || (base.size() > name.size() + 1 &&
                             base.compare(base.size() - name.size(), name.size(), name) == 0 &&
                             base[base.size() - name.size() - 1] == '+'))
          drawn = &codes;
      }
    }
    std::vector<bool> keep;
    if (drawn) {
      auto is_drawn = [&](size_t code) { return code < drawn->size() && (*drawn)[code]; };
      // Unused codes map to glyph 0 and lose their widths; used ones keep both.
      for (size_t c = 0; c + 1 < cmap->size(); c += 2) {
        const uint16_t code = uint16_t(c / 2);
        const uint16_t gid = be16(*cmap, c);
        if (!is_drawn(code)) {
          put16(*cmap, c, 0);
        } else {
          if (keep.size() <= gid) keep.resize(size_t(gid) + 1);
          keep[gid] = true;
        }
      }
      const size_t w_at = t.find("/W [");
      const size_t w_end = w_at == std::string::npos ? w_at : t.find(" ]\n/", w_at);
      if (w_at == std::string::npos || w_end == std::string::npos) continue;
      auto widths = parse_widths(t.substr(w_at + 4, w_end - w_at - 4));
      if (!widths) continue;
      std::string w = "/W [";
      long last = -2;
      for (size_t code = 0; code < drawn->size() && code <= 0xFFFF; ++code) {
        if (!(*drawn)[code]) continue;
        const long width = (*widths)[code];
        if (width == kNoWidth) continue;
        if (long(code) != last + 1) w += (last >= 0 ? " ]" : "") + (" " + std::to_string(code)) + " [";
        w += " " + std::to_string(width);
        last = code;
      }
      w += last >= 0 ? " ] ]" : " ]";
      t.replace(w_at, w_end + 2 - w_at, w);
    }
    std::string font = *raw;
    if (!trim_font(font, keep)) continue;
    const size_t l1_end = file.text.find('\n', l1);
    const std::string length1 = "/Length1 " + std::to_string(font.size());
    file.text.replace(l1, l1_end - l1, length1);
    file_stream.start = file_stream.start + length1.size() - (l1_end - l1);
    set_data(file_num, file_stream, std::move(font));
    set_data(map_num, map_stream, std::move(*cmap));
    packed_already[size_t(file_num)] = packed_already[size_t(map_num)] = true;
  }
  // Every other stream libharu wrote uncompressed: pages, images, ToUnicode maps. (JPEG
  // images keep their DCTDecode and are not touched: stream_at() takes only streams
  // without a filter or with FlateDecode alone.)
  for (unsigned i = 1; i < count; ++i) {
    Stream s;
    if (packed_already[i] || objects[i].text.find(">>\nstream\r\n") == std::string::npos) continue;
    if (!stream_at(long(i), s) || s.deflated) continue;
    set_data(long(i), s, std::nullopt);
  }

  // Deflated on the threads, each from its own object; written back in order. The
  // largest first, so that one big image does not come last to a thread.
  std::vector<size_t> order(packing.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  auto size_of = [&](size_t k) { return packing[k].data ? packing[k].data->size() : size_t(packing[k].stream.length); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return size_of(a) > size_of(b); });
  const size_t threads = size_t(std::max(jobs, 1));
  std::vector<libdeflate_compressor*> compressors(std::max<size_t>(1, std::min(threads, packing.size())));
  std::atomic<bool> failed{false};
  parallel_for(order.size(), threads, [&](size_t i, size_t worker) {
    Packing& p = packing[order[i]];
    libdeflate_compressor*& c = compressors[worker];
    if (!c) c = libdeflate_alloc_compressor(6);
    if (!c) {
      failed = true;
      return;
    }
    p.packed = p.data ? deflate_all(*p.data, c)
                      : deflate_all(std::string_view(objects[size_t(p.num)].text).substr(p.stream.start, size_t(p.stream.length)), c);
    if (p.packed.empty()) failed = true;
  });
  for (libdeflate_compressor* c : compressors)
    if (c) libdeflate_free_compressor(c);
  if (failed) throw std::bad_alloc();
  for (Packing& p : packing) {
    std::string& t = objects[size_t(p.num)].text;
    std::string head = t.substr(0, p.stream.start);
    if (!p.stream.deflated) head.insert(head.rfind(">>\nstream\r\n"), "/Filter [ /FlateDecode ]\n");
    t = head + p.packed + t.substr(p.stream.start + size_t(p.stream.length));
    set_int(p.stream.length_obj, p.packed.size());
    std::string().swap(p.packed);
  }

  std::vector<size_t> offsets(count, 0);
  for (const auto& [old_offset, num] : offset_to_num) {
    offsets[num] = out.size();
    out += objects[num].text;
    std::string().swap(objects[num].text);
  }
  const size_t new_xref = out.size();
  out += "xref\n0 " + std::to_string(count) + "\n";
  out += free_head;  // the free-list head, as written
  char entry[24];
  for (unsigned i = 1; i < count; ++i) {
    std::snprintf(entry, sizeof entry, "%010zu 00000 n\r\n", offsets[i]);
    out += entry;
  }
  out += trailer;
  out += "startxref\n" + std::to_string(new_xref) + "\n%%EOF\n";
  return out;
}

}  // namespace relconv::pdf
