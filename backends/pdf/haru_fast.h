// Faster replacements for libharu internals (haru_fast.cpp).
#pragma once

namespace relconv::pdf {

// Empties this thread's glyph lookup cache. Called when a document's fonts are set up and
// freed, so that the arrays of a font freed before are never taken for a new font's.
void forget_glyph_lookups();

}  // namespace relconv::pdf
