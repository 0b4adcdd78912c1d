// The ZIP container of an EPUB (OCF 3.3, section 4.2): `mimetype` first, stored without
// compression and without extra fields, then every other entry deflated in the order given.
// Entry times are written as DOS date and time directly (zip_file_set_dostime), computed
// in UTC, so the bytes do not depend on the machine's time zone.
#include <zip.h>

#include <ctime>
#include <memory>

#include "backends/epub/book.h"
#include "diag/diag.h"

namespace relconv::epub {

namespace {

std::string zip_message(zip_error_t* error) {
  std::string m = zip_error_strerror(error);
  zip_error_fini(error);
  return m;
}

[[noreturn]] void fail(const std::string& what) {
  throw Error(std::string(), "cannot write EPUB container: " + what, kExitOutputError);
}

}  // namespace

std::string write_zip(const std::vector<ZipEntry>& entries, int64_t epoch) {
  // DOS times cover 1980-2107.
  if (epoch < 315532800) epoch = 315532800;
  if (epoch > 4354819199LL) epoch = 4354819199LL;
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  auto dos_time = static_cast<zip_uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  auto dos_date = static_cast<zip_uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);

  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!buffer) fail(zip_message(&error));
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (!archive) {
    zip_source_free(buffer);
    fail(zip_message(&error));
  }
  zip_source_keep(buffer);  // read it back after zip_close
  auto abandon = [&](const std::string& what) {
    std::string m = what + ": " + zip_strerror(archive);
    zip_discard(archive);
    zip_source_free(buffer);
    fail(m);
  };

  for (const ZipEntry& e : entries) {
    zip_source_t* src = zip_source_buffer(archive, e.data.data(), e.data.size(), 0);
    if (!src) abandon(e.name);
    zip_int64_t index = zip_file_add(archive, e.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(src);
      abandon(e.name);
    }
    auto i = static_cast<zip_uint64_t>(index);
    bool store = !e.compress || e.name == "mimetype";
    if (zip_set_file_compression(archive, i, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                 store ? 0 : 9) < 0 ||
        zip_file_set_dostime(archive, i, dos_time, dos_date, 0) < 0)
      abandon(e.name);
  }
  if (zip_close(archive) < 0) abandon("closing the archive");

  std::string out;
  zip_stat_t st;
  if (zip_source_stat(buffer, &st) < 0 || zip_source_open(buffer) < 0) {
    zip_source_free(buffer);
    fail("reading the archive back");
  }
  out.resize(st.size);
  zip_int64_t n = zip_source_read(buffer, out.data(), st.size);
  zip_source_close(buffer);
  zip_source_free(buffer);
  if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) fail("reading the archive back");
  return out;
}

}  // namespace relconv::epub
