#include "backends/pdf/images.h"

#include <png.h>
// jpeglib.h needs FILE and size_t declared first.
#include <csetjmp>
#include <cstdio>
#include <jpeglib.h>

namespace relconv::pdf {

namespace {

// Reads the PNG's header into `image`; false with a reason when it is not a PNG libpng
// reads, or one too large to embed.
bool begin_png(const std::string& data, png_image& image, std::string& error) {
  image = png_image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, data.data(), data.size())) {
    error = image.message;
    return false;
  }
  if (image.width == 0 || image.height == 0 || image.width > 20000 || image.height > 20000 ||
      uint64_t(image.width) * image.height > 40'000'000u) {
    png_image_free(&image);
    error = "image is too large";
    return false;
  }
  return true;
}

}  // namespace

bool png_size(const std::string& data, int& width, int& height, std::string& error) {
  png_image image;
  if (!begin_png(data, image, error)) return false;
  width = int(image.width);
  height = int(image.height);
  png_image_free(&image);
  return true;
}

bool decode_png(const std::string& data, DecodedImage& out, std::string& error) {
  png_image image;
  if (!begin_png(data, image, error)) return false;
  const bool color = image.format & PNG_FORMAT_FLAG_COLOR;
  // Transparency from an alpha channel or a tRNS chunk (PNG_FORMAT_FLAG_ALPHA covers both).
  const bool has_alpha = image.format & PNG_FORMAT_FLAG_ALPHA;
  const size_t n = size_t(image.width) * image.height;
  const size_t samples = color ? 3 : 1;
  out.width = int(image.width);
  out.height = int(image.height);
  out.gray = !color;
  out.alpha.clear();
  if (!has_alpha) {
    // Opaque: libpng writes the samples the PDF wants.
    image.format = color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    out.pixels.resize(n * samples);
    if (!png_image_finish_read(&image, nullptr, out.pixels.data(), 0, nullptr)) {
      error = image.message;
      png_image_free(&image);
      return false;
    }
    return true;
  }
  image.format = color ? PNG_FORMAT_RGBA : PNG_FORMAT_GA;
  const size_t channels = samples + 1;
  std::vector<uint8_t> buffer(n * channels);
  if (!png_image_finish_read(&image, nullptr, buffer.data(), 0, nullptr)) {
    error = image.message;
    png_image_free(&image);
    return false;
  }
  // The samples and the alpha apart (an image and its soft mask); no mask when every
  // pixel is opaque after all.
  out.pixels.resize(n * samples);
  out.alpha.resize(n);
  uint8_t all = 255;
  const uint8_t* in = buffer.data();
  uint8_t* px = out.pixels.data();
  for (size_t i = 0; i < n; ++i, in += channels, px += samples) {
    px[0] = in[0];
    if (color) {
      px[1] = in[1];
      px[2] = in[2];
    }
    out.alpha[i] = in[samples];
    all &= in[samples];
  }
  if (all == 255) std::vector<uint8_t>().swap(out.alpha);
  return true;
}

namespace {

struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_fail(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void jpeg_quiet(j_common_ptr, int) {}

}  // namespace

bool check_jpeg(const std::string& data, int& width, int& height, std::string& error) {
  jpeg_decompress_struct cinfo{};
  JpegError err{};
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = jpeg_fail;
  err.mgr.emit_message = jpeg_quiet;
  // No C++ objects with destructors live between setjmp and a longjmp back to it.
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    error = err.message;
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(data.data()),
               static_cast<unsigned long>(data.size()));
  jpeg_read_header(&cinfo, TRUE);
  cinfo.dct_method = JDCT_IFAST;
  cinfo.scale_num = 1;
  cinfo.scale_denom = 8;  // a full decode at 1/8 size checks every coefficient, cheaply
  jpeg_start_decompress(&cinfo);
  JSAMPARRAY row = (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE,
                                              cinfo.output_width * cinfo.output_components, 1);
  while (cinfo.output_scanline < cinfo.output_height) jpeg_read_scanlines(&cinfo, row, 1);
  const bool truncated = err.mgr.num_warnings > 0;
  width = int(cinfo.image_width);
  height = int(cinfo.image_height);
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  if (truncated) {
    error = "the JPEG data is damaged or truncated";
    return false;
  }
  return true;
}

}  // namespace relconv::pdf
