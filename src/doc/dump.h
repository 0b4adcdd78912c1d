// A readable, indented dump of the model (`relconv --to tree`), for parser tests and for
// seeing what a backend is given. One node a line, with its source position.
#pragma once

#include <string>

#include "doc/model.h"

namespace relconv {

std::string dump(const Document& doc);

}  // namespace relconv
