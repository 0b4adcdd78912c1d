// The ZIP container of an EPUB (OCF 3.3, section 4.2): `mimetype` first, stored without
// compression and without extra fields, then every other entry deflated in the order given.
// Entry times are written as DOS date and time directly (zip_file_set_dostime), computed
// in UTC, so the bytes do not depend on the machine's time zone.
//
// Deflating was most of the work (a third of a whole book's, with zlib in libzip), and
// libzip does it one entry after another in zip_close. So the entries are deflated here
// first, on `jobs` threads, with libdeflate, and handed to libzip as already-compressed
// data, which it copies. Level 1: on the corpus book's XHTML (823 KB) libdeflate took 5 ms
// at level 1, 10 ms at 6 and zlib 14 ms at 6, for 303, 295 and 298 KB; the book, mostly
// images stored as they are, is 1% larger than at level 6.
#include <libdeflate.h>
#include <zip.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <ctime>
#include <memory>

#include "backends/epub/book.h"
#include "convert/parallel.h"
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

// An entry's data deflated, with what libzip needs to copy it as it is.
struct Deflated {
  std::string data;
  uint64_t size = 0;  // uncompressed
  uint32_t crc = 0;
  zip_error_t error;
  uint64_t at = 0;  // read position
};

// Into uninitialised memory of the bound's size (a string of that size would be zeroed
// first), then copied at its size.
bool deflate_into(libdeflate_compressor* c, const std::string& in, Deflated& out) {
  const size_t bound = libdeflate_deflate_compress_bound(c, in.size());
  std::unique_ptr<char[]> buffer(new char[bound]);
  const size_t n = libdeflate_deflate_compress(c, in.data(), in.size(), buffer.get(), bound);
  if (n == 0) return false;
  out.data.assign(buffer.get(), n);
  out.size = in.size();
  out.crc = libdeflate_crc32(0, in.data(), in.size());
  return true;
}

// Deflates `todo` (indices into `entries`) on up to `jobs` threads. False when libdeflate
// fails (it cannot, with room for its bound, but for memory).
bool deflate_all(const std::vector<ZipEntry>& entries, const std::vector<size_t>& todo,
                 std::vector<Deflated>& out, int jobs) {
  const size_t threads = size_t(std::max(jobs, 1));
  std::vector<libdeflate_compressor*> compressors(std::max<size_t>(1, std::min(threads, todo.size())));  // one a thread
  std::atomic<bool> ok{true};
  parallel_for(todo.size(), threads, [&](size_t k, size_t worker) {
    libdeflate_compressor*& c = compressors[worker];
    if (!c) c = libdeflate_alloc_compressor(1);
    if (!c || !deflate_into(c, entries[todo[k]].data, out[k])) ok = false;
  });
  for (libdeflate_compressor* c : compressors)
    if (c) libdeflate_free_compressor(c);
  return ok;
}

// A libzip source of data that is deflated already.
zip_int64_t deflated_source(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto* d = static_cast<Deflated*>(user);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      d->at = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      zip_uint64_t n = std::min<zip_uint64_t>(len, d->data.size() - d->at);
      std::memcpy(data, d->data.data() + d->at, n);
      d->at += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
      st->size = d->size;
      st->comp_size = d->data.size();
      st->comp_method = ZIP_CM_DEFLATE;
      st->crc = d->crc;
      return sizeof(*st);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&d->error, data, len);
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      zip_error_set(&d->error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

}  // namespace

std::string write_zip(const std::vector<ZipEntry>& entries, int64_t epoch, int jobs) {
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

  std::vector<size_t> todo;  // the entries deflated here
  std::vector<size_t> slot(entries.size(), SIZE_MAX);
  for (size_t i = 0; i < entries.size(); ++i) {
    const ZipEntry& e = entries[i];
    if (e.compress && e.name != "mimetype" && !e.data.empty()) {
      slot[i] = todo.size();
      todo.push_back(i);
    }
  }
  std::vector<Deflated> deflated(todo.size());
  for (auto& d : deflated) zip_error_init(&d.error);
  if (!deflate_all(entries, todo, deflated, jobs)) {
    zip_discard(archive);
    zip_source_free(buffer);
    fail("could not deflate an entry (out of memory)");
  }

  for (size_t k = 0; k < entries.size(); ++k) {
    const ZipEntry& e = entries[k];
    zip_source_t* src = slot[k] != SIZE_MAX ? zip_source_function(archive, deflated_source, &deflated[slot[k]])
                                            : zip_source_buffer(archive, e.data.data(), e.data.size(), 0);
    if (!src) abandon(e.name);
    zip_int64_t index = zip_file_add(archive, e.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(src);
      abandon(e.name);
    }
    auto i = static_cast<zip_uint64_t>(index);
    bool store = !e.compress || e.name == "mimetype";
    if (zip_set_file_compression(archive, i, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
                                 store ? 0 : 1) < 0 ||  // as deflated above
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
  for (auto& d : deflated) zip_error_fini(&d.error);
  return out;
}

}  // namespace relconv::epub
