// The man page backend: a Document as roff with the man(7) macros.
//
// The page is written for both formatters people read man pages with, groff (`man -l`)
// and mandoc, and for their linters: `mandoc -T lint` and `groff -man -ww -z` report
// nothing on it. Text reaches the page only through escape.h. Macro choices and the
// quirks they avoid are commented where they are made (man.cpp).
#pragma once

#include <string>

#include "backend/backend.h"

namespace relconv::man {

const Backend& backend();

// The page name and section a document gets (exposed for tests and for the CLI's
// default output name): the name is meta.man_name, else a slug of the title; the
// section is meta.man_section, else "7".
std::string page_name(const Metadata& meta);
std::string page_section(const Metadata& meta);

}  // namespace relconv::man
