// Planning an EPUB: files per chapter (splitting long chapters at their top-level
// headings), ids as written (valid XML names, unique in the package), where each id and
// footnote lives, and the images to package (loaded once each, through the resource
// loader, de-duplicated by content).
#include <algorithm>
#include <cctype>
#include <functional>
#include <set>
#include <unordered_map>

#include "backends/epub/book.h"
#include "io/modules.h"

// Defined in svg_clean.cpp: in relconv_core, or in the module relconv-html.so.
extern "C" relconv::epub::SvgCleaner relconv_svg_cleaner() __attribute__((weak));

namespace relconv::epub {

bool clean_svg(const std::string& in, std::string& out, std::string& why) {
  using Entry = SvgCleaner (*)();
  static const SvgCleaner cleaner = relconv_svg_cleaner
                                        ? relconv_svg_cleaner()
                                        : reinterpret_cast<Entry>(load_module("html", "relconv_svg_cleaner"))();
  return cleaner(in, out, why);
}

namespace {

// Calls `fn` for every inline in `blocks`, depth first, in reading order.
void for_each_inline(const std::vector<Inline>& ins, const std::function<void(const Inline&)>& fn) {
  for (const Inline& in : ins) {
    fn(in);
    for_each_inline(in.children, fn);
  }
}

void for_each_inline(const std::vector<Block>& blocks, const std::function<void(const Inline&)>& fn) {
  for_each_inline_list(blocks, [&](const std::vector<Inline>& ins) { for_each_inline(ins, fn); });
}

// Rough size of the XHTML a run of blocks becomes, to decide on splitting.
size_t estimate(const std::vector<Inline>& ins) {
  size_t n = 0;
  for (const Inline& in : ins) n += 8 + in.literal.size() + in.url.size() + estimate(in.children);
  return n;
}

size_t estimate(const std::vector<Block>& blocks) {
  size_t n = 0;
  for (const Block& b : blocks) {
    n += 10 + b.literal.size() + estimate(b.inlines) + estimate(b.children) + estimate(b.caption);
    for (const ListItem& item : b.items) n += 10 + estimate(item.blocks);
    if (b.table)
      for (const TableRow& row : b.table->rows)
        for (const TableCell& cell : row.cells) n += 10 + estimate(cell.inlines);
    for (const DefinitionItem& d : b.definitions) {
      n += estimate(d.term);
      for (const auto& def : d.definitions) n += estimate(def);
    }
  }
  return n;
}

bool valid_language(const std::string& lang) {
  // BCP 47 shape: a 2-8 letter primary subtag, then 1-8 alphanumeric subtags.
  size_t i = 0, n = 0;
  while (i < lang.size() && std::isalpha(static_cast<unsigned char>(lang[i]))) ++i, ++n;
  if (n < 2 || n > 8) return false;
  while (i < lang.size()) {
    if (lang[i] != '-') return false;
    ++i;
    n = 0;
    while (i < lang.size() && std::isalnum(static_cast<unsigned char>(lang[i]))) ++i, ++n;
    if (n < 1 || n > 8) return false;
  }
  return true;
}

std::string extension_for(const std::string& media_type) {
  if (media_type == "image/png") return ".png";
  if (media_type == "image/jpeg") return ".jpg";
  if (media_type == "image/gif") return ".gif";
  if (media_type == "image/svg+xml") return ".svg";
  if (media_type == "image/webp") return ".webp";
  return {};
}

std::string file_stem(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0) name = name.substr(0, dot);
  return name;
}

class Planner {
 public:
  Planner(Book& book, const PackageOptions& options) : book_(book), options_(options) {}

  void run() {
    const Document& doc = book_.doc;
    book_.language = pick_language(doc.meta, "en");
    book_.title = doc.meta.title;
    if (book_.title.empty() && !doc.chapters.empty()) book_.title = doc.chapters[0].meta.title;
    // Standard input has no name worth showing ("-" or "<stdin>").
    if (book_.title.empty() && !doc.chapters.empty() && doc.chapters[0].source &&
        *doc.chapters[0].source != "-" && doc.chapters[0].source->rfind("<", 0) != 0)
      book_.title = file_stem(*doc.chapters[0].source);
    if (book_.title.empty()) book_.title = "Untitled";
    book_.title_page = doc.is_book();
    book_.heading_slugs.resize(doc.chapters.size());

    for (size_t c = 0; c < doc.chapters.size(); ++c) plan_chapter(c);
    for (size_t c = 0; c < doc.chapters.size(); ++c) place_footnotes(c);
    for (size_t c = 0; c < doc.chapters.size(); ++c) load_images(c);
  }

 private:
  Book& book_;
  const PackageOptions& options_;
  std::set<std::string> used_ids_;
  std::unordered_map<std::string, size_t> image_by_data_;
  std::set<std::string> warned_languages_;

  std::string pick_language(const Metadata& meta, const std::string& fallback) {
    if (meta.language.empty()) return fallback;
    if (valid_language(meta.language)) return meta.language;
    // A single input's metadata is also the book's: say it once.
    if (!warned_languages_.insert(meta.language).second) return fallback;
    SourcePos pos;
    if (auto it = meta.positions.find("language"); it != meta.positions.end()) pos = it->second;
    book_.ctx.diag.warning(pos, "language '" + meta.language + "' is not a BCP 47 tag; using '" +
                                    fallback + "'");
    return fallback;
  }

  // Registers a Document id (or a made-up one) and returns the id as written.
  std::string claim(const std::string& doc_id, const std::string& fallback) {
    std::string base = sanitize_id(doc_id.empty() ? fallback : doc_id);
    std::string id = base;
    for (int n = 2; used_ids_.count(id); ++n) id = base + "-" + std::to_string(n);
    used_ids_.insert(id);
    if (!doc_id.empty()) book_.xml_ids.emplace(doc_id, id);
    return id;
  }

  void add_target(const std::string& doc_id, size_t part, const std::string& xml_id, size_t chapter) {
    if (doc_id.empty()) return;
    book_.targets.emplace(doc_id, Target{part, xml_id, chapter});
  }

  void plan_chapter(size_t c) {
    const Chapter& ch = book_.doc.chapters[c];
    ChapterPlan plan;
    plan.language = pick_language(ch.meta, book_.language);
    plan.show_header = !ch.meta.title.empty();
    plan.label = ch.meta.title;

    int min_level = 7;
    for (const Block& b : ch.blocks)
      if (b.kind == BlockKind::Heading && !plain_text(b.inlines).empty())
        min_level = std::min(min_level, b.level);
    if (min_level == 7) min_level = 1;
    plan.min_level = min_level;
    plan.level_shift = (plan.show_header ? 2 : 1) - min_level;

    if (plan.label.empty()) {
      for (const Block& b : ch.blocks) {
        if (b.kind != BlockKind::Heading) continue;
        std::string t = plain_text(b.inlines);
        if (t.find_first_not_of(" \t\n") != std::string::npos) {
          plan.label = t;
          break;
        }
      }
    }
    if (plan.label.empty() && !book_.doc.is_book()) plan.label = book_.title;
    if (plan.label.empty()) plan.label = "Chapter " + std::to_string(c + 1);

    plan.xml_id = claim(ch.id, "chapter-" + std::to_string(c + 1));

    // Split points: top-level headings, when the chapter is long.
    std::vector<size_t> starts = {0};
    bool split = estimate(ch.blocks) > options_.split_bytes;
    if (split) {
      for (size_t i = 1; i < ch.blocks.size(); ++i) {
        const Block& b = ch.blocks[i];
        if (b.kind == BlockKind::Heading && b.level == min_level &&
            !plain_text(b.inlines).empty())
          starts.push_back(i);
      }
    }
    char number[32];
    std::snprintf(number, sizeof number, "ch%03zu", c + 1);
    for (size_t k = 0; k < starts.size(); ++k) {
      Part part;
      part.chapter = c;
      part.begin = starts[k];
      part.end = k + 1 < starts.size() ? starts[k + 1] : ch.blocks.size();
      part.first_of_chapter = k == 0;
      part.file = std::string(number) + (k == 0 ? "" : "-" + std::to_string(k + 1)) + ".xhtml";
      plan.parts.push_back(book_.parts.size());
      book_.parts.push_back(std::move(part));
    }
    size_t first_part = plan.parts.front();
    add_target(ch.id, first_part, plan.show_header ? plan.xml_id : std::string(), c);

    // Headings: ids, targets, navigation entries.
    for (size_t pi : plan.parts) {
      Part& part = book_.parts[pi];
      for (size_t i = part.begin; i < part.end; ++i) register_headings(ch.blocks[i], c, pi, true, plan);
      std::string first_heading;
      for (const NavHeading& h : part.headings) {
        first_heading = h.label;
        break;
      }
      part.title = part.first_of_chapter || first_heading.empty() ? plan.label : first_heading;
    }
    book_.chapters.push_back(std::move(plan));
  }

  void register_headings(const Block& b, size_t c, size_t pi, bool top, const ChapterPlan& plan) {
    if (b.kind == BlockKind::Heading) {
      std::string xml_id = claim(b.id, "h-" + std::to_string(c + 1) + "-" + std::to_string(used_ids_.size()));
      book_.heading_ids[&b] = xml_id;
      add_target(b.id, pi, xml_id, c);
      std::string label = plain_text(b.inlines);
      bool has_text = label.find_first_not_of(" \t\n") != std::string::npos;
      if (has_text) {
        std::string slug = slugify(label);
        book_.heading_slugs[c].emplace(slug, b.id);
        if (top) {
          int depth = b.level - plan.min_level + 1;
          book_.parts[pi].headings.push_back(NavHeading{std::max(depth, 1), label, xml_id});
        }
      }
    }
    for (const Block& child : b.children) register_headings(child, c, pi, false, plan);
    for (const ListItem& item : b.items)
      for (const Block& child : item.blocks) register_headings(child, c, pi, false, plan);
  }

  // Each footnote goes at the end of the file with its first reference.
  void place_footnotes(size_t c) {
    const Chapter& ch = book_.doc.chapters[c];
    const ChapterPlan& plan = book_.chapters[c];
    std::set<int> placed;
    std::function<void(const Inline&, size_t)> visit;
    auto place = [&](int number, size_t pi) {
      if (!placed.insert(number).second) return;
      for (const Footnote& f : ch.footnotes) {
        if (f.number != number) continue;
        std::string key = footnote_key(c, f);
        std::string xml_id = claim(f.id, "fn-" + std::to_string(c + 1) + "-" + std::to_string(number));
        add_target(key, pi, xml_id, c);
        book_.xml_ids.emplace(key, xml_id);
        book_.parts[pi].footnotes.push_back(number);
        // Headings inside a note (rare) get their ids too, outside the navigation.
        for (const Block& b : f.blocks) register_headings(b, c, pi, false, book_.chapters[c]);
        for_each_inline(f.blocks, [&](const Inline& in) { visit(in, pi); });
      }
    };
    visit = [&](const Inline& in, size_t pi) {
      if (in.kind == InlineKind::FootnoteRef) place(in.note, pi);
    };
    for (size_t pi : plan.parts) {
      const Part& part = book_.parts[pi];
      for (size_t i = part.begin; i < part.end; ++i)
        for_each_inline_block(ch.blocks[i], [&](const Inline& in) { visit(in, pi); });
    }
    for (const Footnote& f : ch.footnotes) place(f.number, plan.parts.back());
    for (size_t pi : plan.parts) {
      auto& fns = book_.parts[pi].footnotes;
      std::sort(fns.begin(), fns.end());
    }
  }

  static void for_each_inline_block(const Block& b, const std::function<void(const Inline&)>& fn) {
    for_each_inline_list(b, [&](const std::vector<Inline>& ins) { for_each_inline(ins, fn); });
  }

  void load_images(size_t c) {
    const Chapter& ch = book_.doc.chapters[c];
    auto visit = [&](const Inline& in) {
      if (in.kind == InlineKind::Image) load_image(ch, in);
    };
    for_each_inline(ch.blocks, visit);
    for (const Footnote& f : ch.footnotes) for_each_inline(f.blocks, visit);
  }

  void load_image(const Chapter& ch, const Inline& in) {
    ImageUse use;
    ResourceResult r = book_.ctx.resources.load_image(ch, in.url, in.pos, book_.ctx.diag);
    if (r.status == ResourceStatus::Remote) {
      use.kind = ImageUse::Remote;
    } else if (r.status == ResourceStatus::Ok) {
      std::string type = r.resource.media_type;
      std::string data = std::move(r.resource.data);
      if (type == "image/svg+xml") {
        std::string cleaned, why;
        if (clean_svg(data, cleaned, why)) {
          data = std::move(cleaned);
        } else {
          book_.ctx.diag.warning(in.pos, "SVG image '" + in.url + "' cannot be used in an EPUB (" + why +
                                             "); its alt text is shown instead");
          type.clear();
        }
      } else if (extension_for(type).empty()) {
        book_.ctx.diag.warning(in.pos, "image '" + in.url +
                                           "' is not PNG, JPEG, GIF, SVG or WebP; its alt text is shown instead");
        type.clear();
      }
      if (!type.empty()) {
        auto found = image_by_data_.find(data);
        if (found == image_by_data_.end()) {
          Image img;
          img.media_type = type;
          img.name = "image-" + std::to_string(book_.images.size() + 1) + extension_for(type);
          img.data = std::move(data);
          found = image_by_data_.emplace(img.data, book_.images.size()).first;
          if (type == "image/gif") book_.has_gif = true;
          book_.images.push_back(std::move(img));
        }
        use.kind = ImageUse::Packaged;
        use.image = found->second;
        ++book_.image_count;
        std::string alt = plain_text(in.children);
        if (alt.find_first_not_of(" \t\n") == std::string::npos) {
          ++book_.images_without_alt;
          book_.ctx.diag.warning(in.pos, "image '" + in.url +
                                             "' has no alt text; readers who cannot see it get nothing "
                                             "(write it as ![description](" + in.url + "))");
        }
      }
    }
    book_.image_uses[&in] = use;
  }
};

}  // namespace

void plan_book(Book& book, const PackageOptions& options) { Planner(book, options).run(); }

std::string sanitize_id(const std::string& id) {
  // XML 1.0 Name restricted to ASCII: letters, digits, '-', '_'; a letter or '_' first.
  // Other characters are spelled as "uXXXX" so different ids stay different. '.' is
  // never produced here: generated ids ("fnref.fn-1.1") use it and cannot collide.
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < id.size();) {
    unsigned char c = static_cast<unsigned char>(id[i]);
    if (std::isalnum(c) || c == '-' || c == '_') {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    // Decode one UTF-8 code point for its number.
    char32_t cp = c;
    int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (len > 1 && i + len <= id.size()) {
      cp = c & (0x3F >> (len - 1));
      for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(id[i + k]) & 0x3F);
    } else {
      len = 1;
    }
    i += len;
    if (c == ' ') {
      out += '-';
      continue;
    }
    out += 'u';
    for (int shift = cp > 0xFFFF ? 20 : 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 15];
  }
  if (out.empty() || !(std::isalpha(static_cast<unsigned char>(out[0])) || out[0] == '_'))
    out = "id-" + out;
  return out;
}

}  // namespace relconv::epub
