// The PDF backend: typesets the document (layout.cpp), breaks the items into pages, and
// draws them: graphics, images, outline, links and document info with libharu 2.3.0, the
// text with relconv's own text layer (text_layer.h), which libharu cannot write.
//
// libharu facts this file relies on (LIBRARIES.md section 3): the document's encoder must
// be UTF-8 as well as the fonts' or the info dictionary is garbled; after an error every
// call fails until HPDF_ResetError, so the error handler only records the code and the
// code checks it; destinations reject zoom 0; the output has no /ID and no dates unless
// set, so it is byte-identical run to run.
#include <hpdf.h>
#include <hpdf_pages.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>

#include "backend/backend.h"
#include "backends/pdf/compress.h"
#include "backends/pdf/fonts.h"
#include "backends/pdf/layout.h"
#include "backends/pdf/style.h"
#include "backends/pdf/text_layer.h"
#include "text/utf8.h"

namespace relconv::pdf {

namespace {

// What libharu's error handler saw last (it is called instead of longjmp/abort).
struct HaruErrors {
  HPDF_STATUS code = 0;
  HPDF_STATUS detail = 0;
};

void on_error(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
  auto* errors = static_cast<HaruErrors*>(user);
  if (!errors->code) {
    errors->code = error;
    errors->detail = detail;
  }
}

struct DocDeleter {
  void operator()(HPDF_Doc pdf) const { HPDF_Free(pdf); }
};

std::string clean(const std::string& s) {
  std::string out;
  utf8_sanitize(s, out);
  return out;
}

std::string haru_message(const HaruErrors& e) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "libharu failed (error 0x%04X, detail %u)", unsigned(e.code),
                unsigned(e.detail));
  return buf;
}

// "2024-06-07", "2024-06-07T10:20:30Z" or "2024-06-07 10:20" as a PDF date (UTC).
bool parse_date(const std::string& iso, HPDF_Date& d) {
  int y = 0, mo = 0, da = 0, h = 0, mi = 0, se = 0;
  int n = std::sscanf(iso.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d", &y, &mo, &da, &h, &mi, &se);
  if (n < 3 || y < 1 || mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || se > 59)
    return false;
  d = HPDF_Date{y, mo, da, h, mi, se, 'Z', 0, 0};
  return true;
}

HPDF_Date date_of_epoch(int64_t epoch) {
  std::time_t t = std::time_t(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return HPDF_Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                   std::min(tm.tm_sec, 59), 'Z', 0, 0};
}

struct Placed {
  const Item* item;
  double y;      // top of the item's box below the top margin
  bool at_top;   // its space_before was dropped
};

struct Page {
  std::vector<Placed> placed;
  int chapter = 0;
  bool chapter_start = false;
};

// Breaks the item list into pages, honouring keep-with-next chains, forced chapter breaks
// and repeated table headers.
std::vector<Page> paginate(const Layout& layout, double height) {
  std::vector<Page> pages(1);
  double y = 0;
  bool empty = true;
  const auto& items = layout.items;
  auto new_page = [&]() {
    pages.emplace_back();
    y = 0;
    empty = true;
  };
  const double eps = 0.01;
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& it = items[i];
    if (it.new_page && !empty) new_page();
    double sb = empty ? 0 : it.space_before;
    double chain = sb + it.height;
    for (size_t j = i; items[j].keep_with_next && j + 1 < items.size() && !items[j + 1].new_page &&
                       chain <= height;) {
      ++j;
      chain += items[j].space_before + items[j].height;
    }
    if (!empty && y + chain > height + eps) {
      // Move the chain to the next page if it fits there; a chain longer than a page
      // breaks only where its first item does not fit.
      if (chain - sb <= height || y + sb + it.height > height + eps) {
        new_page();
        sb = 0;
      }
    }
    if (empty && it.header >= 0) {
      for (const Item& h : layout.headers[size_t(it.header)]) {
        pages.back().placed.push_back({&h, y, true});
        y += h.height;
      }
      empty = false;
      sb = 0;
    }
    Page& page = pages.back();
    if (page.placed.empty()) page.chapter = it.chapter;
    if (it.new_page || i == 0) page.chapter_start = true;
    page.placed.push_back({&it, y + sb, empty});
    y += sb + it.height;
    empty = false;
  }
  return pages;
}

class Renderer {
 public:
  Renderer(const RenderContext& ctx) : ctx_(ctx) {}

  void run(std::string& out) {
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter> doc(HPDF_New(on_error, &errors_));
    if (!doc) throw Error("", "libharu could not start a document", kExitInternalError);
    pdf_ = doc.get();
    // No compression by libharu: the StreamCompressor deflates every stream, on the
    // --jobs threads.
    HPDF_SetCompressionMode(pdf_, HPDF_COMP_NONE);
    HPDF_UseUTFEncodings(pdf_);
    HPDF_SetCurrentEncoder(pdf_, "UTF-8");
    check();

    Style style = load_style(ctx_);
    style_ = &style;
    lang_ = ctx_.doc.meta.language.empty() ? "en" : ctx_.doc.meta.language;
    Fonts fonts(style, ctx_.resources, lang_);
    fonts_ = &fonts;
    // The body font is needed for page numbers even in an empty document.
    fonts.face(kSerif);
    Layout layout = typeset(ctx_, style, fonts);
    StreamCompressor compressor(ctx_.options.jobs);
    compressor_ = &compressor;
    embed_images(layout);
    check();
    const double content_h = style.page_height - style.margin_top - style.margin_bottom;
    std::vector<Page> pages = paginate(layout, content_h);

    for (size_t p = 0; p < pages.size(); ++p) {
      HPDF_Page page = HPDF_AddPage(pdf_);
      HPDF_Page_SetWidth(page, HPDF_REAL(style.page_width));
      HPDF_Page_SetHeight(page, HPDF_REAL(style.page_height));
      pages_.push_back(page);
      for (const Placed& pl : pages[p].placed)
        for (const Op& op : pl.item->ops)
          if (op.kind == Op::Anchor && !anchors_.count(op.text))
            anchors_[op.text] = {p, style.margin_top + pl.y + op.y};
    }
    check();
    // What only the pages know: page numbers, the contents' page references. Then every
    // glyph is known, and the fonts can be subset before anything is drawn.
    TextLayer text(pdf_, fonts);
    text_ = &text;
    std::vector<std::vector<Op>> furniture(pages.size());
    for (size_t p = 0; p < pages.size(); ++p) furniture[p] = page_furniture(pages[p], p, layout);
    for (size_t p = 0; p < pages.size(); ++p) {
      for (const Placed& pl : pages[p].placed)
        for (const Op& op : pl.item->ops) {
          if (op.kind == Op::Text) text.use(op.glyphs);
          else if (op.kind == Op::PageRef)
            for (const Op& n : page_ref(op).ops) text.use(n.glyphs);
        }
      for (const Op& op : furniture[p]) text.use(op.glyphs);
    }
    text.embed();
    for (size_t p = 0; p < pages.size(); ++p) {
      draw_page(pages[p], p, furniture[p]);
      compressor.add(static_cast<HPDF_PageAttr>(pages_[p]->attr)->contents);
    }
    outline(layout);
    info();
    text.finish();
    check();
    compressor.finish(pdf_);
    compressor_ = nullptr;
    check();

    HPDF_SaveToStream(pdf_);
    check();
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf_);
    out.resize(size);
    HPDF_UINT32 len = size;
    HPDF_ReadFromStream(pdf_, reinterpret_cast<HPDF_BYTE*>(out.data()), &len);
    out.resize(len);
    // Reading to the end reports HPDF_STREAM_EOF through the handler: not a failure.
    if (errors_.code == HPDF_STREAM_EOF) errors_ = HaruErrors{};
    check();
    text_ = nullptr;
    fonts_ = nullptr;
    pdf_ = nullptr;
  }

 private:
  // The layout's images, handed to libharu (which holds a copy of the pixels) and to the
  // compressor (which takes them). An image libharu refuses is left out with a warning;
  // its alt text stays over its place.
  void embed_images(Layout& layout) {
    for (LayoutImage& li : layout.images) {
      HPDF_Image image = nullptr;
      if (!li.jpeg.empty()) {
        image = HPDF_LoadJpegImageFromMem(pdf_, reinterpret_cast<const HPDF_BYTE*>(li.jpeg.data()),
                                          HPDF_UINT(li.jpeg.size()));
      } else {
        const DecodedImage& d = li.png;
        image = HPDF_LoadRawImageFromMem(pdf_, d.pixels.data(), HPDF_UINT(d.width), HPDF_UINT(d.height),
                                         d.gray ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
        if (image && !d.alpha.empty()) {
          HPDF_Image mask = HPDF_LoadRawImageFromMem(pdf_, d.alpha.data(), HPDF_UINT(d.width),
                                                     HPDF_UINT(d.height), HPDF_CS_DEVICE_GRAY, 8);
          if (mask) HPDF_Image_AddSMask(image, mask);
          if (mask && !errors_.code) compressor_->add(mask, std::move(li.png.alpha));
        }
        // Its pixels, deflated while the pages are drawn.
        if (image && !errors_.code) compressor_->add(image, std::move(li.png.pixels));
      }
      if (!image || errors_.code) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "libharu error 0x%04X", unsigned(errors_.code));
        HPDF_ResetError(pdf_);
        errors_ = HaruErrors{};
        ctx_.diag.warning(li.pos, "image '" + li.url + "' cannot be embedded (" + buf + "); left out");
        image = nullptr;
      }
      images_.push_back(image);
      li.png = DecodedImage{};
      std::string().swap(li.jpeg);
    }
  }

  void check() {
    if (errors_.code) throw Error("", haru_message(errors_), kExitInternalError);
  }

  double to_pdf_y(double top) const { return style_->page_height - top; }

  HPDF_Destination destination(const std::string& anchor) {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) return nullptr;
    auto d = dests_.find(anchor);
    if (d != dests_.end()) return d->second;
    HPDF_Destination dst = HPDF_Page_CreateDestination(pages_[it->second.first]);
    // FitH keeps the reader's zoom choice to the viewer; XYZ would need a zoom, and
    // libharu rejects the "unchanged" value 0 (error 0x1039).
    double top = std::min(style_->page_height, to_pdf_y(it->second.second) + 4);
    HPDF_Destination_SetFitH(dst, HPDF_REAL(top));
    dests_[anchor] = dst;
    return dst;
  }

  // The page's running head (not on a chapter's first page) and number, placed on the page.
  std::vector<Op> page_furniture(const Page& pg, size_t index, const Layout& layout) {
    const Style& s = *style_;
    std::vector<Op> ops;
    if (!pg.chapter_start && size_t(pg.chapter) < layout.running_heads.size())
      for (Op op : layout.running_heads[size_t(pg.chapter)]) {
        op.x += s.margin_left;
        op.y = s.margin_top * 0.55;
        ops.push_back(op);
      }
    std::vector<Op> number;
    const double w = shape_label(*fonts_, ctx_.diag, lang_, kSerif, s.running_size, s.running_color,
                                 std::to_string(index + 1), 0, 0, number);
    for (Op& op : number) {
      op.x += (s.page_width - w) / 2;
      op.y = s.page_height - s.margin_bottom * 0.45;
      ops.push_back(op);
    }
    return ops;
  }

  struct Label {
    std::vector<Op> ops;
    double width = 0;
  };
  // The page number an entry of the contents refers to, shaped once.
  const Label& page_ref(const Op& op) {
    const std::string key = op.text + '\n' + std::to_string(op.size);
    auto it = refs_.find(key);
    if (it != refs_.end()) return it->second;
    Label l;
    auto a = anchors_.find(op.text);
    if (a != anchors_.end())
      l.width = shape_label(*fonts_, ctx_.diag, lang_, op.face, op.size, op.color,
                            std::to_string(a->second.first + 1), 0, 0, l.ops);
    return refs_[key] = std::move(l);
  }

  void draw_page(const Page& pg, size_t index, const std::vector<Op>& furniture) {
    const Style& s = *style_;
    HPDF_Page page = pages_[index];
    const double left = s.margin_left;
    // Graphics first, so backgrounds lie under the text.
    for (const Placed& pl : pg.placed) {
      for (const Op& op : pl.item->ops) {
        double top = s.margin_top + pl.y + op.y;
        double h = op.h;
        if (pl.at_top && op.y < 0 && (op.kind == Op::Line || op.kind == Op::Fill)) {
          h += op.y;
          top = s.margin_top + pl.y;
        }
        switch (op.kind) {
          case Op::Fill:
            HPDF_Page_SetRGBFill(page, HPDF_REAL(op.color.r), HPDF_REAL(op.color.g), HPDF_REAL(op.color.b));
            HPDF_Page_Rectangle(page, HPDF_REAL(left + op.x), HPDF_REAL(to_pdf_y(top + h)),
                                HPDF_REAL(op.w), HPDF_REAL(h));
            HPDF_Page_Fill(page);
            break;
          case Op::Stroke:
            HPDF_Page_SetRGBStroke(page, HPDF_REAL(op.color.r), HPDF_REAL(op.color.g), HPDF_REAL(op.color.b));
            HPDF_Page_SetLineWidth(page, HPDF_REAL(op.size));
            HPDF_Page_Rectangle(page, HPDF_REAL(left + op.x), HPDF_REAL(to_pdf_y(top + h)),
                                HPDF_REAL(op.w), HPDF_REAL(h));
            HPDF_Page_Stroke(page);
            break;
          case Op::Line:
            HPDF_Page_SetRGBStroke(page, HPDF_REAL(op.color.r), HPDF_REAL(op.color.g), HPDF_REAL(op.color.b));
            HPDF_Page_SetLineWidth(page, HPDF_REAL(op.size));
            HPDF_Page_MoveTo(page, HPDF_REAL(left + op.x), HPDF_REAL(to_pdf_y(top)));
            HPDF_Page_LineTo(page, HPDF_REAL(left + op.x + op.w), HPDF_REAL(to_pdf_y(top + h)));
            HPDF_Page_Stroke(page);
            break;
          case Op::Dots: {
            // Round dots every 4 pt on a grid shared by all lines, so leaders line up.
            // (libharu's SetDash refuses the zero-length dashes that would draw them as
            // one path.)
            const double step = 4;
            double end = left + op.x + op.w;
            Op ref;
            ref.text = op.text;
            ref.size = op.h;
            ref.color = s.body_color;
            if (anchors_.count(op.text)) end -= page_ref(ref).width + 5;
            HPDF_Page_SetRGBFill(page, HPDF_REAL(op.color.r), HPDF_REAL(op.color.g), HPDF_REAL(op.color.b));
            for (double x = std::ceil((left + op.x) / step) * step; x <= end; x += step)
              HPDF_Page_Circle(page, HPDF_REAL(x), HPDF_REAL(to_pdf_y(top)), HPDF_REAL(op.size / 2));
            HPDF_Page_Fill(page);
            break;
          }
          case Op::Image:
            if (op.image < 0 || size_t(op.image) >= images_.size() || !images_[size_t(op.image)]) break;
            HPDF_Page_DrawImage(page, images_[size_t(op.image)], HPDF_REAL(left + op.x), HPDF_REAL(to_pdf_y(top + op.h)),
                                HPDF_REAL(op.w), HPDF_REAL(op.h));
            break;
          default: break;
        }
      }
    }
    // Text in one text object per page, drawn by the text layer.
    text_->begin_page(page, s.page_height);
    for (const Placed& pl : pg.placed) {
      for (const Op& op : pl.item->ops) {
        const double top = s.margin_top + pl.y + op.y;
        if (op.kind == Op::Text) {
          text_->show(op.glyphs, op.size, op.color, left + op.x, top, op.invisible);
        } else if (op.kind == Op::PageRef) {
          const Label& number = page_ref(op);
          for (const Op& n : number.ops)
            text_->show(n.glyphs, n.size, n.color, left + op.x - number.width + n.x, top, false);
        }
      }
    }
    for (const Op& op : furniture) text_->show(op.glyphs, op.size, op.color, op.x, op.y, op.invisible);
    text_->end_page();

    // Links.
    for (const Placed& pl : pg.placed) {
      for (const Op& op : pl.item->ops) {
        if (op.kind != Op::Uri && op.kind != Op::GoTo) continue;
        const double top = s.margin_top + pl.y + op.y;
        HPDF_Rect rect{HPDF_REAL(left + op.x), HPDF_REAL(to_pdf_y(top + op.h)),
                       HPDF_REAL(left + op.x + op.w), HPDF_REAL(to_pdf_y(top))};
        HPDF_Annotation annot = nullptr;
        if (op.kind == Op::Uri) {
          if (op.text.empty()) continue;  // libharu fails on an empty URI (error 0x1068)
          annot = HPDF_Page_CreateURILinkAnnot(page, rect, op.text.c_str());
        } else if (HPDF_Destination dst = destination(op.text)) {
          annot = HPDF_Page_CreateLinkAnnot(page, rect, dst);
        }
        if (annot) HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0);
      }
    }
    check();
  }

  void outline(const Layout& layout) {
    if (layout.outline.empty()) return;
    HPDF_Encoder utf8 = HPDF_GetEncoder(pdf_, "UTF-8");
    std::vector<std::pair<int, HPDF_Outline>> stack;
    for (const OutlineEntry& e : layout.outline) {
      HPDF_Destination dst = destination(e.anchor);
      if (!dst) continue;
      while (!stack.empty() && stack.back().first >= e.level) stack.pop_back();
      HPDF_Outline parent = stack.empty() ? nullptr : stack.back().second;
      std::string title = clean(e.title);
      HPDF_Outline o = HPDF_CreateOutline(pdf_, parent, title.c_str(), utf8);
      if (!o) break;
      HPDF_Outline_SetDestination(o, dst);
      HPDF_Outline_SetOpened(o, e.level == 0 ? HPDF_TRUE : HPDF_FALSE);
      stack.push_back({e.level, o});
    }
    HPDF_SetPageMode(pdf_, HPDF_PAGE_MODE_USE_OUTLINE);
  }

  void info() {
    const Metadata& m = ctx_.doc.meta;
    auto set = [&](HPDF_InfoType type, const std::string& value) {
      if (!value.empty()) HPDF_SetInfoAttr(pdf_, type, clean(value).c_str());
    };
    set(HPDF_INFO_TITLE, m.title);
    std::string authors, keywords;
    for (const std::string& a : m.authors) authors += (authors.empty() ? "" : ", ") + a;
    for (const std::string& t : m.tags) keywords += (keywords.empty() ? "" : ", ") + t;
    set(HPDF_INFO_AUTHOR, authors);
    set(HPDF_INFO_SUBJECT, m.description);
    set(HPDF_INFO_KEYWORDS, keywords);
    set(HPDF_INFO_CREATOR, "relconv");
    HPDF_Date created{}, modified{};
    bool have = parse_date(m.date, created);
    if (!have && ctx_.options.source_date_epoch >= 0) {
      created = date_of_epoch(ctx_.options.source_date_epoch);
      have = true;
    }
    if (have) {
      HPDF_SetInfoDateAttr(pdf_, HPDF_INFO_CREATION_DATE, created);
      if (!parse_date(m.updated, modified)) modified = created;
      HPDF_SetInfoDateAttr(pdf_, HPDF_INFO_MOD_DATE, modified);
    }
  }

  const RenderContext& ctx_;
  HaruErrors errors_;
  StreamCompressor* compressor_ = nullptr;
  std::vector<HPDF_Image> images_;  // Layout::images, embedded
  HPDF_Doc pdf_ = nullptr;
  const Style* style_ = nullptr;
  Fonts* fonts_ = nullptr;
  std::vector<HPDF_Page> pages_;
  std::map<std::string, std::pair<size_t, double>> anchors_;  // page, top from the page top
  std::map<std::string, HPDF_Destination> dests_;
  TextLayer* text_ = nullptr;
  std::string lang_;
  std::map<std::string, Label> refs_;  // page numbers of the contents, by anchor and size
};

class PdfBackend final : public Backend {
 public:
  const char* name() const override { return "pdf"; }
  std::vector<std::string> extensions() const override { return {".pdf"}; }
  const char* description() const override {
    return "PDF, typeset with embedded fonts, outline and links (libharu)";
  }
  bool binary() const override { return true; }
  void render(const RenderContext& ctx, std::string& out) const override {
    Renderer r(ctx);
    r.run(out);
  }
};

}  // namespace

const Backend& backend() {
  static const PdfBackend instance;
  return instance;
}

}  // namespace relconv::pdf

// The entry point the registry finds: linked in (relconv_core) or in the module
// relconv-pdf.so that the relconv program loads when it writes this format.
extern "C" const relconv::Backend* relconv_backend_pdf() { return &relconv::pdf::backend(); }
