// The typesetter's blocks: paragraphs, headings, lists, quotes, figures, footnotes,
// title blocks and chapters, as a vertical list of items (layout.h). Lines come from
// lines.cpp, code blocks from code.cpp, tables from table.cpp, the contents from toc.cpp.
#include "backends/pdf/layout.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "backends/pdf/images.h"
#include "backends/pdf/typesetter.h"
#include "text/utf8.h"

namespace relconv::pdf {

std::string percent_encode(const std::string& url) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
        c == '`' || c == '{' || c == '|' || c == '}') {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += char(c);
    }
  }
  return out;
}


namespace {

std::string format_date(const std::string& iso) {
  static const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                 "July",    "August",   "September", "October", "November", "December"};
  int y, m, d;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 && d >= 1 &&
      d <= 31)
    return std::to_string(d) + " " + months[m - 1] + " " + std::to_string(y);
  return iso;
}

}  // namespace

Direction document_direction(const Metadata& meta) {
  // `dir` in the front matter, else the language's usual direction.
  for (const auto& [key, value] : meta.extra)
    if (key == "dir" && value.kind == MetaValue::Kind::String) {
      if (value.string == "rtl") return Direction::Rtl;
      if (value.string == "ltr") return Direction::Ltr;
    }
  std::string lang = meta.language.substr(0, meta.language.find_first_of("-_"));
  for (char& c : lang) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (const char* rtl : {"ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "syr"})
    if (lang == rtl) return Direction::Rtl;
  return Direction::Auto;
}

Typesetter::Typesetter(const RenderContext& ctx, const Style& style, Fonts& fonts, const BrokenImages& broken)
    : ctx_(ctx), s_(style), fonts_(fonts), broken_(broken), decoder_(size_t(std::max(ctx.options.jobs, 1))) {
  width_ = s_.page_width - s_.margin_left - s_.margin_right;
  height_ = s_.page_height - s_.margin_top - s_.margin_bottom;
  lang_ = ctx.doc.meta.language.empty() ? "en" : ctx.doc.meta.language;
  doc_direction_ = document_direction(ctx.doc.meta);
}

Typesetter::~Typesetter() { close_breaker(breaker_); }

int Typesetter::add_link(const std::string& url) {
  LinkTarget t;
  if (!url.empty() && url[0] == '#') {
    if (!anchors_.count(url.substr(1))) return -1;
    t.internal = true;
    t.target = url.substr(1);
  } else {
    t.target = percent_encode(url);
  }
  links_.push_back(t);
  return int(links_.size() - 1);
}


void Typesetter::emit(Item item, const Box& box, double baseline) {
  item.space_before = std::max(item.space_before, pending_space_);
  pending_space_ = 0;
  item.chapter = chapter_index_;
  if (pending_new_page_) {
    item.new_page = true;
    pending_new_page_ = false;
  }
  for (const std::string& a : pending_anchors_) {
    Op op;
    op.kind = Op::Anchor;
    op.text = a;
    item.ops.insert(item.ops.begin(), op);
  }
  pending_anchors_.clear();
  for (Op op : pending_marker_) {
    op.y += baseline;
    item.ops.push_back(op);
  }
  pending_marker_.clear();
  for (size_t r = 0; r < box.rules.size(); ++r) {
    const bool starts = r + quote_starts_ >= box.rules.size();
    Op op;
    op.kind = Op::Line;
    op.x = box.rules[r];
    op.y = starts ? 0 : -item.space_before;
    op.w = 0;
    op.h = item.height - op.y;
    op.size = s_.quote_rule_width;
    op.color = s_.quote_rule_color;
    item.ops.insert(item.ops.begin(), op);
  }
  quote_starts_ = 0;
  out_.items.push_back(std::move(item));
}

void Typesetter::paragraph(const std::vector<Inline>& inlines, const Box& box, SpanStyle st,
                           Alignment align, double leading, bool keep_all) {
  links_.clear();
  SetText t;
  collect(inlines, st, t.text);
  if (t.text.text.find_first_not_of(' ') == std::string::npos && t.text.objects.empty()) return;
  t.text.direction = direction_of(inlines);
  const double lh = st.size * leading;
  auto lines = set_lines(t, box.w, align, lh, st.size);
  const size_t n = lines.size();
  const double baseline = (lh + st.size * 0.72) / 2;
  for (size_t i = 0; i < n; ++i) {
    Item item;
    item.height = lh;
    for (Op& op : lines[i]) op.x += box.x;
    item.ops = std::move(lines[i]);
    // Orphans and widows: the first line stays with the second, the last with the one
    // before it.
    item.keep_with_next = keep_all || (n >= 2 && (i == 0 || i + 2 == n));
    emit(std::move(item), box, baseline);
  }
}

bool image_only(const Inline& in) {
  if (in.kind == InlineKind::Image) return true;
  if (in.kind == InlineKind::Link && in.children.size() == 1 &&
      in.children[0].kind == InlineKind::Image)
    return true;
  return false;
}

bool blank(const Inline& in) {
  if (in.kind == InlineKind::SoftBreak || in.kind == InlineKind::HardBreak) return true;
  if (in.kind != InlineKind::Text) return false;
  for (char c : in.literal)
    if (c != ' ' && c != '\t' && c != '\n') return false;
  return true;
}

void Typesetter::paragraph_with_images(const std::vector<Inline>& inlines, const Box& box) {
  // Images stand as blocks of their own; the text around them forms paragraphs.
  std::vector<Inline> run;
  auto flush = [&]() {
    bool any = false;
    for (const Inline& in : run) any = any || !blank(in);
    if (any) {
      space(tight_ ? 0 : s_.paragraph_space * scale_);
      paragraph(run, box, body_style(), s_.justify ? Alignment::Justify : Alignment::Left,
                s_.body_leading);
    }
    run.clear();
  };
  bool only_images = true;
  for (const Inline& in : inlines) only_images = only_images && (image_only(in) || blank(in));
  for (const Inline& in : inlines) {
    const Inline& img = in.kind == InlineKind::Image ? in : in.children.empty() ? in : in.children[0];
    if (image_only(in) && (only_images || !inline_sized(img))) {
      flush();
      space(s_.paragraph_space * scale_);
      if (in.kind == InlineKind::Image) {
        image(in, {}, box);
      } else {
        links_.clear();
        int link = add_link(in.url);
        image(in.children[0], {}, box, link);
      }
    } else if (in.kind == InlineKind::Link &&
               std::any_of(in.children.begin(), in.children.end(), [&](const Inline& c) {
                 return c.kind == InlineKind::Image && !inline_sized(c);
               })) {
      // A link around a picture and a caption ("[![img](a.png) text](url)"): the
      // picture becomes a linked figure, the rest stays linked text.
      for (const Inline& c : in.children) {
        if (c.kind == InlineKind::Image && !inline_sized(c)) {
          flush();
          space(s_.paragraph_space * scale_);
          links_.clear();
          int link = add_link(in.url);
          image(c, {}, box, link);
        } else {
          Inline part = in;
          part.children = {c};
          run.push_back(std::move(part));
        }
      }
    } else {
      run.push_back(in);
    }
  }
  flush();
}

void Typesetter::heading(const Block& b, const Box& box) {
  if (plain_text(b.inlines).find_first_not_of(" \t\n") == std::string::npos) return;
  const int level = std::clamp(b.level, 1, 6);
  SpanStyle st;
  st.family = Family::Sans;
  st.bold = true;
  st.size = s_.heading_sizes[size_t(level - 1)] * scale_;
  st.color = s_.heading_color;
  st.color_links = false;
  space(s_.heading_space_before * (level <= 2 ? 1.2 : 1) * scale_);
  if (!b.id.empty()) {
    pending_anchors_.push_back(b.id);
    out_.outline.push_back({level, plain_text(b.inlines), b.id});
  }
  paragraph(b.inlines, box, st, Alignment::Left, 1.25, true);
  if (!out_.items.empty()) out_.items.back().keep_with_next = true;
  space(s_.heading_space_after * scale_);
}

// `box` moved right by `by`, as far as that leaves a third of the text width: past that,
// deeper lists and quotes stop indenting (their text is drawn, not squeezed to nothing).
Box Typesetter::indented(const Box& box, double by) const {
  Box inner = box;
  double step = std::max(0.0, std::min(by, box.w - width_ / 3));
  if (!box.rtl) inner.x += step;  // a right-to-left block indents from the right
  inner.w -= step;
  return inner;
}

void Typesetter::list(const Block& b, const Box& box, int depth) {
  static const char* bullets[] = {"\u2022", "\u25E6", "\u25AA"};
  const double indent = s_.list_indent * (b.list.ordered ? 1.2 : 1) * scale_;
  Box outer = box;
  outer.rtl = block_rtl(b);
  Box inner = indented(outer, indent);
  int number = b.list.start;
  for (const ListItem& item : b.items) {
    space(b.list.tight ? s_.list_item_space * scale_ : s_.paragraph_space * scale_);
    double size = s_.body_size * scale_;
    std::string text;
    if (item.task != TaskState::None) {
      text = item.task == TaskState::Checked ? "\u2611" : "\u2610";
      if (!fonts_.pick(kSerif, 0x2610, HB_SCRIPT_COMMON)) text = item.task == TaskState::Checked ? "[x]" : "[ ]";
      size *= 1.1;
    } else if (b.list.ordered) {
      text = std::to_string(number) + (b.list.delimiter == ')' ? ")" : ".");
      // A right-to-left list reads "1." as ".1" from the right: the number comes first.
      if (outer.rtl) text = "\u200F" + text + "\u200F";
    } else {
      text = bullets[depth % 3];
    }
    // The marker stands in the margin the indent leaves: left of the text, or right of
    // it in a right-to-left list.
    std::vector<Op> marker;
    const double w = label(text, kSerif, size, text_color_, 0, 0, marker);
    const double x = outer.rtl ? inner.x + inner.w + size * 0.45 : inner.x - w - size * 0.45;
    for (Op& op : marker) op.x += x;
    pending_marker_ = std::move(marker);
    ++number;
    const bool saved_tight = tight_;
    tight_ = b.list.tight;
    for (const Block& child : item.blocks) {
      if (child.kind == BlockKind::List) list(child, inner, depth + 1);
      else block(child, inner);
    }
    tight_ = saved_tight;
    if (!pending_marker_.empty()) {  // an empty item still shows its marker
      Item empty;
      empty.height = s_.body_size * scale_ * s_.body_leading;
      const double baseline = (empty.height + s_.body_size * scale_ * 0.72) / 2;
      emit(std::move(empty), inner, baseline);
    }
  }
  space(tight_ ? s_.list_item_space * scale_ : s_.paragraph_space * scale_);
}

void Typesetter::alt_frame(const std::string& alt, const Box& box) {
  const double size = s_.body_size * scale_ * 0.9;
  const double lh = size * 1.35;
  const double pad = 6;
  SpanStyle st;
  st.size = size;
  st.italic = true;
  st.color = s_.meta_color;
  Inline text;
  text.literal = alt;
  links_.clear();
  SetText t;
  collect({text}, st, t.text);
  t.text.direction = direction_of({text});
  auto lines = set_lines(t, box.w - 2 * pad, Alignment::Center, lh, size);
  Item item;
  item.height = double(lines.size()) * lh + 2 * pad;
  Op frame;
  frame.kind = Op::Stroke;
  frame.x = box.x;
  frame.w = box.w;
  frame.h = item.height;
  frame.size = 0.6;
  frame.color = s_.rule_color;
  item.ops.push_back(frame);
  for (size_t i = 0; i < lines.size(); ++i)
    for (Op op : lines[i]) {
      op.x += box.x + pad;
      op.y += pad + double(i) * lh;
      item.ops.push_back(op);
    }
  emit(std::move(item), box, pad + (lh + size * 0.72) / 2);
}

Typesetter::LoadedImage Typesetter::load_image(const Inline& img) {
  LoadedImage loaded;
  // Keyed by folder too: the chapters of a book each have their own image-1.png.
  const std::string key = chapter_->base_dir + '\n' + img.url;
  auto cached = images_.find(key);
  if (cached != images_.end()) {
    loaded = cached->second;
  } else {
    ResourceResult res = ctx_.resources.load_image(*chapter_, img.url, img.pos, ctx_.diag);
    if (res.status == ResourceStatus::Ok) {
      Resource& r = res.resource;
      std::string error;
      LayoutImage li;
      li.pos = img.pos;
      li.url = img.url;
      bool ok = false;
      if (r.media_type == "image/png") {
        auto known = broken_.find(key);
        ok = known == broken_.end() && png_size(r.data, li.width, li.height, error);
        if (known != broken_.end()) error = known->second;
        if (ok) {
          Decoding& d = decoding_.emplace_back();
          d.key = key;
          d.image = out_.images.size();
          d.data = std::move(r.data);
          decoder_.submit([&d] {
            d.ok = decode_png(d.data, d.png, d.error);
            std::string().swap(d.data);
          });
        }
      } else if (r.media_type == "image/jpeg") {
        ok = check_jpeg(r.data, li.width, li.height, error);
        if (ok) li.jpeg = r.data;
      } else {
        error = "PDF output cannot show " +
                (r.media_type.empty() ? std::string("this image format") : r.media_type) +
                " images";
      }
      if (ok) {
        loaded.width = li.width;
        loaded.height = li.height;
        loaded.image = int(out_.images.size());
        out_.images.push_back(std::move(li));
      } else {
        ctx_.diag.warning(img.pos, "image '" + img.url + "' cannot be embedded (" + error +
                                       "); its alt text is shown instead");
      }
    }
    images_[key] = loaded;
  }
  return loaded;
}

bool Typesetter::inline_sized(const Inline& img) {
  // Emoji and icons in the corpus are 72 px images written inline; anything up to about
  // twice that is set in the line rather than as a figure of its own.
  if (img.height > 0) return img.height <= 48;
  LoadedImage li = load_image(img);
  return li.image < 0 || (li.height <= 150 && li.width <= 150);
}

void Typesetter::image(const Inline& img, const std::vector<Inline>& caption, const Box& box,
                       int link) {
  std::string alt = plain_text(img.children);
  LinkTarget link_target;
  if (link >= 0) link_target = links_[size_t(link)];
  LoadedImage loaded = load_image(img);
  if (loaded.image < 0) {
    alt_frame(alt.empty() ? "[image: " + img.url + "]" : alt, box);
  } else {
    // CSS pixels are 0.75 pt; the source's width/height attributes win over the file's.
    double w = (img.width > 0 ? img.width : loaded.width) * 0.75;
    double h = img.width > 0 && img.height <= 0 ? w * loaded.height / std::max(1, loaded.width)
               : (img.height > 0 ? img.height : loaded.height) * 0.75;
    const double max_h = height_ * 0.7;
    if (w > box.w) {
      h *= box.w / w;
      w = box.w;
    }
    if (h > max_h) {
      w *= max_h / h;
      h = max_h;
    }
    Item item;
    item.height = h;
    Op op;
    op.kind = Op::Image;
    op.image = loaded.image;
    op.text = alt;
    op.x = box.x + (box.w - w) / 2;
    op.w = w;
    op.h = h;
    item.ops.push_back(op);
    alt_text(item.ops, item.ops.size() - 1);
    if (link >= 0) {
      Op l;
      l.kind = link_target.internal ? Op::GoTo : Op::Uri;
      l.text = link_target.target;
      l.x = op.x;
      l.w = w;
      l.h = h;
      item.ops.push_back(l);
    }
    if (!caption.empty()) item.keep_with_next = true;
    emit(std::move(item), box, h);
  }
  if (!caption.empty()) {
    space(4);
    SpanStyle st = body_style();
    st.size *= 0.9;
    st.italic = true;
    st.color = s_.meta_color;
    paragraph(caption, box, st, Alignment::Center, 1.35, true);
  }
  space(s_.paragraph_space * scale_);
}

void Typesetter::thematic_break(const Box& box) {
  Item item;
  item.height = s_.body_size * 2;
  item.space_before = s_.paragraph_space;
  Op line;
  line.kind = Op::Line;
  line.x = box.x + box.w * 0.35;
  line.y = item.height / 2;
  line.w = box.w * 0.3;
  line.size = 0.6;
  line.color = s_.rule_color;
  item.ops.push_back(line);
  const double height = item.height;
  emit(std::move(item), box, height);
  space(s_.paragraph_space);
}

void Typesetter::blocks(const std::vector<Block>& bs, const Box& box) {
  for (const Block& b : bs) block(b, box);
}

void Typesetter::block(const Block& b, const Box& box) {
  switch (b.kind) {
    case BlockKind::Paragraph: paragraph_with_images(b.inlines, box); break;
    case BlockKind::Heading: heading(b, box); break;
    case BlockKind::BlockQuote: {
      Box outer = box;
      outer.rtl = block_rtl(b);
      Box inner = indented(outer, s_.quote_indent);
      inner.rules.push_back(outer.rtl ? box.x + box.w - s_.quote_rule_width / 2 : box.x + s_.quote_rule_width / 2);
      Rgb saved = text_color_;
      text_color_ = s_.quote_color;
      space(s_.paragraph_space * scale_);
      ++quote_starts_;
      blocks(b.children, inner);
      if (quote_starts_) --quote_starts_;  // an empty quote drew nothing
      text_color_ = saved;
      space(s_.paragraph_space * scale_);
      break;
    }
    case BlockKind::List: list(b, box, 0); break;
    case BlockKind::CodeBlock: code_block(b.literal, box); break;
    case BlockKind::RawHtml: code_block(b.literal, box); break;
    case BlockKind::ThematicBreak: thematic_break(box); break;
    case BlockKind::Table:
      if (b.table) table(*b.table, box);
      break;
    case BlockKind::Figure: {
      space(s_.paragraph_space * scale_);
      for (const Inline& in : b.inlines) {
        if (in.kind == InlineKind::Image) image(in, b.caption, box);
        else if (image_only(in)) {
          links_.clear();
          int link = add_link(in.url);
          image(in.children[0], b.caption, box, link);
        }
      }
      break;
    }
    case BlockKind::DefinitionList: {
      for (const DefinitionItem& d : b.definitions) {
        SpanStyle st = body_style();
        st.bold = true;
        space(s_.paragraph_space * scale_);
        paragraph(d.term, box, st, Alignment::Left, s_.body_leading);
        if (!out_.items.empty()) out_.items.back().keep_with_next = true;
        Box inner = indented(box, s_.list_indent);
        for (const auto& def : d.definitions) {
          space(2);
          blocks(def, inner);
        }
      }
      break;
    }
    case BlockKind::Div: {
      // A group whose HTML gave its direction sets every paragraph in it that way.
      const Direction saved = block_direction_;
      if (b.dir == "rtl") block_direction_ = Direction::Rtl;
      else if (b.dir == "ltr") block_direction_ = Direction::Ltr;
      Box inner = box;
      if (!b.dir.empty()) inner.rtl = b.dir == "rtl";
      blocks(b.children, inner);
      block_direction_ = saved;
      break;
    }
  }
}

void Typesetter::title_block(const Metadata& meta, const std::string& anchor, int outline_level) {
  Box box{0, width_, {}};
  if (!anchor.empty()) {
    pending_anchors_.push_back(anchor);
    if (outline_level >= 0 && !meta.title.empty())
      out_.outline.push_back({outline_level, meta.title, anchor});
  }
  bool any = false;
  auto line_of = [&](const std::string& text, SpanStyle st, double leading) {
    Inline in;
    in.literal = text;
    paragraph({in}, box, st, Alignment::Left, leading, true);
    any = true;
  };
  if (!meta.title.empty()) {
    SpanStyle st;
    st.family = Family::Sans;
    st.bold = true;
    st.size = s_.title_size;
    st.color = s_.heading_color;
    line_of(meta.title, st, 1.2);
  }
  if (!meta.subtitle.empty()) {
    SpanStyle st;
    st.family = Family::Sans;
    st.size = s_.subtitle_size;
    st.color = s_.meta_color;
    space(4);
    line_of(meta.subtitle, st, 1.3);
  }
  std::string byline;
  for (size_t i = 0; i < meta.authors.size(); ++i) {
    if (i) byline += i + 1 == meta.authors.size() ? " and " : ", ";
    byline += meta.authors[i];
  }
  if (!meta.date.empty()) byline += (byline.empty() ? "" : "  \u00B7  ") + format_date(meta.date);
  if (!byline.empty()) {
    SpanStyle st;
    st.size = s_.meta_size;
    st.color = s_.meta_color;
    space(6);
    line_of(byline, st, 1.4);
  }
  if (any) {
    // A hairline under the title block separates it from the text.
    Item rule;
    rule.height = 1;
    rule.space_before = 8;
    Op line;
    line.kind = Op::Line;
    line.w = width_;
    line.size = 0.5;
    line.color = s_.rule_color;
    rule.ops.push_back(line);
    emit(std::move(rule), box, 0);
    space(s_.title_space_after);
  }
}

void Typesetter::footnotes(const Chapter& ch) {
  if (ch.footnotes.empty()) return;
  Box box{0, width_, {}};
  const double saved_scale = scale_;
  scale_ = s_.footnote_size / s_.body_size;
  Item rule;
  rule.height = 6;
  rule.space_before = s_.paragraph_space * 3;
  Op line;
  line.kind = Op::Line;
  line.w = width_ * 0.25;
  line.size = 0.5;
  line.color = s_.rule_color;
  rule.ops.push_back(line);
  rule.keep_with_next = true;
  emit(std::move(rule), box, 0);
  Box inner = indented(box, s_.list_indent);
  for (const Footnote& fn : ch.footnotes) {
    space(3);
    pending_anchors_.push_back(fn.id);
    std::vector<Op> marker;
    const std::string number = std::to_string(fn.number) + ".";
    const double w = label(number, kSerif, s_.footnote_size, s_.link_color, 0, 0, marker);
    for (Op& op : marker) op.x += inner.x - w - 4;
    Op back;
    back.kind = Op::GoTo;
    back.text = "ref-" + fn.id;
    back.x = inner.x - w - 4;
    back.w = w + 4;
    back.y = -s_.footnote_size;
    back.h = s_.footnote_size * 1.3;
    marker.push_back(back);
    pending_marker_ = std::move(marker);
    blocks(fn.blocks, inner);
    if (!pending_marker_.empty()) {
      Item empty;
      empty.height = s_.footnote_size * s_.body_leading;
      emit(std::move(empty), inner, s_.footnote_size);
    }
  }
  scale_ = saved_scale;
}

void Typesetter::chapter(const Chapter& ch, size_t index) {
  chapter_ = &ch;
  chapter_index_ = int(index);
  const bool book = ctx_.doc.is_book();
  if (book && !out_.items.empty()) pending_new_page_ = true;
  pending_space_ = 0;
  title_block(ch.meta, ch.id.empty() ? "chapter-" + std::to_string(index + 1) : ch.id,
              book ? 0 : -1);
  if (!book && index == 0 && ctx_.options.toc) toc();
  blocks(ch.blocks, Box{0, width_, {}, doc_direction_ == Direction::Rtl});
  footnotes(ch);
}

void Typesetter::running_head(const Chapter& ch) {
  // The chapter's title in the head of its pages, shortened with an ellipsis at a cluster
  // boundary when it is wider than the measure.
  std::vector<Op> ops;
  const std::string& title = ch.meta.title;
  const double size = s_.running_size;
  if (!title.empty()) {
    double w = label(title, kSerifItalic, size, s_.running_color, 0, 0, ops);
    std::string shown = title;
    while (w > width_ && shown.size() > 4) {
      size_t cut = shown.size() - 1;
      while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
      shown.resize(cut);
      ops.clear();
      w = label(shown + "\u2026", kSerifItalic, size, s_.running_color, 0, 0, ops);
    }
    // A right-to-left title stands at the right.
    if (first_strong(title) == Direction::Rtl)
      for (Op& op : ops) op.x += width_ - w;
  }
  out_.running_heads.push_back(std::move(ops));
}

Layout Typesetter::run() {
  text_color_ = s_.body_color;
  const Document& doc = ctx_.doc;
  for (const Chapter& ch : doc.chapters) {
    anchors_.insert(ch.id);
    for (const Footnote& fn : ch.footnotes) anchors_.insert(fn.id);
    std::function<void(const std::vector<Block>&)> scan = [&](const std::vector<Block>& bs) {
      for (const Block& b : bs) {
        if (!b.id.empty()) anchors_.insert(b.id);
        scan(b.children);
        for (const ListItem& it : b.items) scan(it.blocks);
      }
    };
    scan(ch.blocks);
    running_head(ch);
  }
  if (doc.is_book()) {
    if (!doc.meta.title.empty()) title_block(doc.meta, "", -1);
    if (ctx_.options.toc) toc();
  }
  for (size_t i = 0; i < doc.chapters.size(); ++i) chapter(doc.chapters[i], i);
  decoder_.wait();
  for (Decoding& d : decoding_) {
    if (d.ok) out_.images[d.image].png = std::move(d.png);
    else found_broken_[d.key] = d.error;
  }
  decoding_.clear();
  return std::move(out_);
}


Layout typeset(const RenderContext& ctx, const Style& style, Fonts& fonts) {
  // PNGs are laid out by the size in their header while they decode. One that turns out
  // damaged (rare) must show its alt text instead, which changes the layout: the document
  // is then laid out once more, knowing it, and only that run's messages are kept.
  Diagnostics said;
  const RenderContext first{ctx.doc, ctx.options, said, ctx.resources};
  Typesetter::BrokenImages broken;
  {
    Typesetter t(first, style, fonts, broken);
    Layout layout = t.run();
    if (t.broken().empty()) {
      ctx.diag.append(said);
      return layout;
    }
    broken = t.broken();
  }
  Typesetter again(ctx, style, fonts, broken);
  return again.run();
}

}  // namespace relconv::pdf
