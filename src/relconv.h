// relconv's library API in one include: the model, parsing, backends and conversion.
// See convert/convert.h for the functions the command line itself uses.
#pragma once

#include "backend/backend.h"
#include "convert/batch.h"
#include "convert/convert.h"
#include "diag/diag.h"
#include "doc/dump.h"
#include "doc/model.h"
#include "io/resources.h"
#include "parse/parse.h"
