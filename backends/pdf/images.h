// Image decoding for the PDF backend. PNG is decoded here with libpng and handed to
// libharu as raw pixels (libharu's own PNG loader fails on interlaced files and over-reads
// low-bit palette images with transparency: LIBRARIES.md section 3). JPEG is checked with
// libjpeg before libharu embeds it unchanged, so a corrupt file becomes a warning instead
// of a broken document.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace relconv::pdf {

struct DecodedImage {
  int width = 0, height = 0;
  bool gray = false;              // 1 sample per pixel, else RGB
  std::vector<uint8_t> pixels;    // width * height * (gray ? 1 : 3)
  std::vector<uint8_t> alpha;     // width * height, empty when fully opaque
};

// The pixel size from a PNG's header, which libpng has read; false with a reason in
// `error` when it cannot (or the image is too large to embed). The data may still be
// damaged further on: only decode_png knows.
bool png_size(const std::string& data, int& width, int& height, std::string& error);

// Decodes any PNG (palette, tRNS, gray, 16-bit, interlaced) to 8-bit samples. Returns
// false with a reason in `error`.
bool decode_png(const std::string& data, DecodedImage& out, std::string& error);

// Fully decodes a JPEG with libjpeg to prove libharu can embed it. Returns false with a
// reason in `error`; sets the pixel size on success.
bool check_jpeg(const std::string& data, int& width, int& height, std::string& error);

}  // namespace relconv::pdf
