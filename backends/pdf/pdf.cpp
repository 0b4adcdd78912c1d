// The PDF backend: typesets the document (layout.cpp), breaks the items into pages, and
// draws them with libharu 2.3.0, with an outline, links, running heads and document info.
//
// libharu facts this file relies on (LIBRARIES.md section 3): the document's encoder must
// be UTF-8 as well as the fonts' or the info dictionary is garbled; after an error every
// call fails until HPDF_ResetError, so the error handler only records the code and the
// code checks it; destinations reject zoom 0; the output has no /ID and no dates unless
// set, so it is byte-identical run to run.
#include <hpdf.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>

#include "backend/backend.h"
#include "backends/pdf/finish.h"
#include "backends/pdf/fonts.h"
#include "backends/pdf/layout.h"
#include "backends/pdf/style.h"
#include "text/utf8.h"

namespace relconv::pdf {

namespace {

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
    // No compression: finish_pdf() deflates every stream, on the --jobs threads.
    HPDF_SetCompressionMode(pdf_, HPDF_COMP_NONE);
    HPDF_UseUTFEncodings(pdf_);
    HPDF_SetCurrentEncoder(pdf_, "UTF-8");
    check();

    Style style = load_style(ctx_);
    style_ = &style;
    Fonts fonts(pdf_, style, ctx_.resources, errors_);
    fonts_ = &fonts;
    // The body font is needed for page numbers even in an empty document.
    fonts.font(kSerif);
    Layout layout = typeset(ctx_, style, fonts, pdf_, errors_);
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
    for (size_t p = 0; p < pages.size(); ++p) draw_page(pages[p], p, layout);
    outline(layout);
    info();
    check();

    HPDF_SaveToStream(pdf_);
    check();
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf_);
    out.resize(size);
    HPDF_UINT32 len = size;
    HPDF_ReadFromStream(pdf_, reinterpret_cast<HPDF_BYTE*>(out.data()), &len);
    out.resize(len);
    std::map<std::string, DrawnCodes> used;
    for (const auto& [font, drawn] : used_)
      if (const char* name = HPDF_Font_GetFontName(font)) {
        DrawnCodes& codes = used[name];  // fonts of one name share an embedded program
        codes.resize(drawn.size());
        for (size_t c = 0; c < drawn.size(); ++c)
          if (drawn[c]) codes[c] = true;
      }
    // Reading to the end reports HPDF_STREAM_EOF through the handler: not a failure.
    if (errors_.code == HPDF_STREAM_EOF) errors_ = HaruErrors{};
    check();
    // libharu's pages, images and its copy of the file go before the file is finished.
    used_.clear();
    fonts_ = nullptr;
    pdf_ = nullptr;
    doc.reset();
    out = finish_pdf(std::move(out), used, ctx_.options.jobs);
  }

 private:
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

  void draw_page(const Page& pg, size_t index, const Layout& layout) {
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
            if (auto it = anchors_.find(op.text); it != anchors_.end())
              end -= fonts_->width(kSerif, op.h, std::to_string(it->second.first + 1)) + 5;
            HPDF_Page_SetRGBFill(page, HPDF_REAL(op.color.r), HPDF_REAL(op.color.g), HPDF_REAL(op.color.b));
            for (double x = std::ceil((left + op.x) / step) * step; x <= end; x += step)
              HPDF_Page_Circle(page, HPDF_REAL(x), HPDF_REAL(to_pdf_y(top)), HPDF_REAL(op.size / 2));
            HPDF_Page_Fill(page);
            break;
          }
          case Op::Image:
            HPDF_Page_DrawImage(page, op.image, HPDF_REAL(left + op.x), HPDF_REAL(to_pdf_y(top + op.h)),
                                HPDF_REAL(op.w), HPDF_REAL(op.h));
            break;
          default: break;
        }
      }
    }
    // Text in one text object per page.
    HPDF_Page_BeginText(page);
    HPDF_Font cur_font = nullptr;
    double cur_size = 0;
    Rgb cur_color{-1, -1, -1};
    auto text = [&](HPDF_Font font, double size, const Rgb& color, double x, double baseline_top,
                    const std::string& str) {
      if (font != cur_font || size != cur_size) {
        HPDF_Page_SetFontAndSize(page, font, HPDF_REAL(size));
        cur_font = font;
        cur_size = size;
      }
      if (color.r != cur_color.r || color.g != cur_color.g || color.b != cur_color.b) {
        HPDF_Page_SetRGBFill(page, HPDF_REAL(color.r), HPDF_REAL(color.g), HPDF_REAL(color.b));
        cur_color = color;
      }
      HPDF_Page_TextOut(page, HPDF_REAL(x), HPDF_REAL(to_pdf_y(baseline_top)), str.c_str());
      DrawnCodes& drawn = used_[font];
      if (drawn.empty()) drawn.resize(65536);
      for (size_t i = 0; i < str.size();) {
        const unsigned char c = static_cast<unsigned char>(str[i]);
        const char32_t cp = c < 0x80 ? (++i, c) : utf8_decode(str, i);
        if (cp <= 0xFFFF) drawn[cp] = true;
      }
    };
    for (const Placed& pl : pg.placed) {
      for (const Op& op : pl.item->ops) {
        const double top = s.margin_top + pl.y + op.y;
        if (op.kind == Op::Text) {
          text(op.font, op.size, op.color, left + op.x, top, op.text);
        } else if (op.kind == Op::Image && !op.text.empty()) {
          // The alt text, invisible (rendering mode 3, PDF 32000-1:2008 9.3.6) over the
          // image: found by search, copied and extracted, the way OCR layers are.
          // Sized to the image's width where it can be, so that it does not run into the
          // text beside an inline image. (Squeezing it with Tz instead makes poppler drop
          // letters it takes for overprinted duplicates.)
          const std::string alt = clean(op.text);
          double size = std::min(8.0, std::max(1.0, op.h * 0.8));
          const double natural = fonts_->width(kSerif, size, alt);
          if (natural > op.w && natural > 0) size = std::max(1.0, size * op.w / natural);
          HPDF_Page_SetTextRenderingMode(page, HPDF_INVISIBLE);
          text(fonts_->font(kSerif), size, s.body_color, left + op.x, top + size, alt);
          HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
        } else if (op.kind == Op::PageRef) {
          auto it = anchors_.find(op.text);
          if (it == anchors_.end()) continue;
          std::string number = std::to_string(it->second.first + 1);
          double w = fonts_->width(kSerif, op.size, number);
          text(op.font, op.size, op.color, left + op.x - w, top, number);
        }
      }
    }
    // Running head (not on a chapter's first page) and the page number.
    const double rsize = s.running_size;
    const std::string& title =
        size_t(pg.chapter) < layout.running_titles.size() ? layout.running_titles[size_t(pg.chapter)] : "";
    const double content_w = s.page_width - s.margin_left - s.margin_right;
    if (!pg.chapter_start && !title.empty()) {
      std::string shown = clean(title);
      // Shorten a title wider than the measure, at a character boundary, with an ellipsis.
      while (fonts_->width(kSerifItalic, rsize, shown) > content_w && shown.size() > 4) {
        size_t cut = shown.size() - 1;
        while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
        shown = shown.substr(0, cut);
        if (fonts_->width(kSerifItalic, rsize, shown + "\u2026") <= content_w) {
          shown += "\u2026";
          break;
        }
      }
      text(fonts_->font(kSerifItalic), rsize, s.running_color, left, s.margin_top * 0.55, shown);
    }
    std::string number = std::to_string(index + 1);
    double w = fonts_->width(kSerif, rsize, number);
    text(fonts_->font(kSerif), rsize, s.running_color, (s.page_width - w) / 2,
         s.page_height - s.margin_bottom * 0.45, number);
    HPDF_Page_EndText(page);

    // Links.
    for (const Placed& pl : pg.placed) {
      for (const Op& op : pl.item->ops) {
        if (op.kind != Op::Uri && op.kind != Op::GoTo) continue;
        const double top = s.margin_top + pl.y + op.y;
        HPDF_Rect rect{HPDF_REAL(left + op.x), HPDF_REAL(to_pdf_y(top + op.h)),
                       HPDF_REAL(left + op.x + op.w), HPDF_REAL(to_pdf_y(top))};
        HPDF_Annotation annot = nullptr;
        if (op.kind == Op::Uri) {
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
  HPDF_Doc pdf_ = nullptr;
  const Style* style_ = nullptr;
  Fonts* fonts_ = nullptr;
  std::vector<HPDF_Page> pages_;
  std::map<std::string, std::pair<size_t, double>> anchors_;  // page, top from the page top
  std::map<std::string, HPDF_Destination> dests_;
  std::map<HPDF_Font, DrawnCodes> used_;  // characters drawn with each font
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
