// Making an SVG image acceptable to EPUB reading systems and epubcheck.
//
// SVG files from tools carry things EPUB 3 forbids or epubcheck rejects: a DOCTYPE
// pointing at the external SVG 1.1 DTD (RSC-005 errors, and a reader must not fetch it),
// <path> elements without the required `d` attribute (matplotlib writes these), scripts
// and event handlers (scripted content needs a manifest property and is not wanted in a
// converted post), and references to remote resources. The file is parsed with libxml2
// without network access and without expanding entities; anything still doubtful makes
// the image fall back to its alt text.
//
// This file is built into the html module (relconv-html.so) with the raw-HTML
// interpreter, not into the EPUB module: it is libxml2's only use in EPUB, and loading
// libxml2 (with ICU and the shared C++ runtime) cost more than the rest of making a post's
// EPUB. So a book without SVG images never loads it (book.h, clean_svg).
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "backends/epub/book.h"

namespace relconv::epub {

namespace {

const char* kSvgNs = "http://www.w3.org/2000/svg";
const char* kXlinkNs = "http://www.w3.org/1999/xlink";

// Whether an href must go: anything outside the file (a scheme, a network path or a
// relative file, since the SVG is packaged alone) and fragments naming no element
// (epubcheck RSC-012).
bool bad_reference(const xmlChar* value, const std::set<std::string>& ids) {
  const char* v = reinterpret_cast<const char*>(value);
  while (*v == ' ' || *v == '\t' || *v == '\n') ++v;
  if (*v == 0) return false;
  if (*v == '#') return ids.count(v + 1) == 0;
  return true;
}

void collect_ids(xmlNodePtr node, std::set<std::string>& ids) {
  for (xmlNodePtr n = node; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE) continue;
    if (xmlChar* id = xmlGetProp(n, BAD_CAST "id")) {
      ids.insert(reinterpret_cast<const char*>(id));
      xmlFree(id);
    }
    collect_ids(n->children, ids);
  }
}

// Cleans `node` and its subtree; returns false when something cannot be made safe.
bool clean(xmlNodePtr node, const std::set<std::string>& ids, std::string& why) {
  for (xmlNodePtr child = node->children; child;) {
    xmlNodePtr next = child->next;
    bool drop = false;
    switch (child->type) {
      case XML_ELEMENT_NODE: {
        const char* name = reinterpret_cast<const char*>(child->name);
        bool svg = child->ns && child->ns->href &&
                   std::strcmp(reinterpret_cast<const char*>(child->ns->href), kSvgNs) == 0;
        if (svg && (std::strcmp(name, "script") == 0 || std::strcmp(name, "foreignObject") == 0 ||
                    std::strcmp(name, "handler") == 0))
          drop = true;
        break;
      }
      case XML_ENTITY_REF_NODE:
      case XML_ENTITY_NODE:
        why = "it uses XML entities";
        return false;
      case XML_PI_NODE:
      case XML_XINCLUDE_START:
      case XML_XINCLUDE_END:
        drop = true;
        break;
      default:
        break;
    }
    if (drop) {
      xmlUnlinkNode(child);
      xmlFreeNode(child);
    } else if (child->type == XML_ELEMENT_NODE) {
      // Attributes: event handlers go; references that leave the file go.
      for (xmlAttrPtr a = child->properties; a;) {
        xmlAttrPtr next_attr = a->next;
        const char* an = reinterpret_cast<const char*>(a->name);
        bool remove = std::strncmp(an, "on", 2) == 0;
        if (std::strcmp(an, "href") == 0 &&
            (!a->ns || std::strcmp(reinterpret_cast<const char*>(a->ns->href), kXlinkNs) == 0)) {
          xmlChar* v = xmlNodeListGetString(child->doc, a->children, 1);
          if (v && bad_reference(v, ids)) remove = true;
          xmlFree(v);
        }
        if (remove) xmlRemoveProp(a);
        a = next_attr;
      }
      if (std::strcmp(reinterpret_cast<const char*>(child->name), "path") == 0 &&
          !xmlHasProp(child, BAD_CAST "d"))
        xmlSetProp(child, BAD_CAST "d", BAD_CAST "");
      if (!clean(child, ids, why)) return false;
    }
    child = next;
  }
  return true;
}

}  // namespace

bool clean_svg_with_libxml2(const std::string& in, std::string& out, std::string& why) {
  // libxml2 must be initialised once before threads use it (render() may run on several
  // threads); a function-local static runs exactly once.
  static const bool initialised = (xmlInitParser(), true);
  (void)initialised;
  int flags = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  xmlDocPtr doc = xmlReadMemory(in.data(), static_cast<int>(in.size()), "image.svg", nullptr, flags);
  if (!doc) {
    why = "it is not well-formed XML";
    return false;
  }
  bool ok = true;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  if (!root || std::strcmp(reinterpret_cast<const char*>(root->name), "svg") != 0 || !root->ns ||
      std::strcmp(reinterpret_cast<const char*>(root->ns->href), kSvgNs) != 0) {
    why = "its root element is not <svg> in the SVG namespace";
    ok = false;
  }
  if (ok) {
    // The DOCTYPE (internal and external subset) goes: epubcheck rejects the external
    // SVG DTD, and an internal subset could only declare entities, which we refuse.
    if (doc->intSubset) {
      xmlDtdPtr dtd = doc->intSubset;
      xmlUnlinkNode(reinterpret_cast<xmlNodePtr>(dtd));
      xmlFreeDtd(dtd);
      doc->intSubset = nullptr;
    }
    // Processing instructions and comments before the root (stylesheets) go too.
    for (xmlNodePtr n = doc->children; n;) {
      xmlNodePtr next = n->next;
      if (n->type == XML_PI_NODE) {
        xmlUnlinkNode(n);
        xmlFreeNode(n);
      }
      n = next;
    }
    if (std::strcmp(reinterpret_cast<const char*>(root->name), "svg") == 0) {
      for (xmlAttrPtr a = root->properties; a;) {
        xmlAttrPtr next = a->next;
        if (std::strncmp(reinterpret_cast<const char*>(a->name), "on", 2) == 0) xmlRemoveProp(a);
        a = next;
      }
    }
    std::set<std::string> ids;
    collect_ids(root, ids);
    ok = clean(root, ids, why);
  }
  if (ok) {
    xmlChar* mem = nullptr;
    int size = 0;
    xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    if (mem) {
      out.assign(reinterpret_cast<const char*>(mem), static_cast<size_t>(size));
      xmlFree(mem);
    } else {
      why = "it could not be written back";
      ok = false;
    }
  }
  xmlFreeDoc(doc);
  return ok;
}

}  // namespace relconv::epub

extern "C" relconv::epub::SvgCleaner relconv_svg_cleaner() { return &relconv::epub::clean_svg_with_libxml2; }
