// The ZIP container of an EPUB (OCF 3.3, section 4.2): `mimetype` first, stored without
// compression and without extra fields, then every other entry deflated in the order given.
// Entry times are written as DOS date and time directly (zip_file_set_dostime), computed
// in UTC, so the bytes do not depend on the machine's time zone.
//
// Deflating is most of the work (a third of a whole book's), and libzip does it one entry
// after another in zip_close. So the entries are deflated here first, on `jobs` threads,
// and handed to libzip as already-compressed data, which it copies. The settings are
// zlib's defaults (level 6, memory level 8), raw deflate as ZIP wants. libzip would use
// memory level 9, whose larger hash table zlib clears for every entry: on the corpus book
// that cost 7% more time, and the book was 6 bytes larger.
#include <zip.h>
#include <zlib.h>

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

bool deflate_into(z_stream& z, const std::string& in, Deflated& out) {
  if (deflateReset(&z) != Z_OK) return false;
  out.data.resize(deflateBound(&z, uLong(in.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = uInt(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data.data());
  z.avail_out = uInt(out.data.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) return false;
  out.data.resize(out.data.size() - z.avail_out);
  out.size = in.size();
  out.crc = uint32_t(crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(in.data()), uInt(in.size())));
  return true;
}

// Deflates `todo` (indices into `entries`) on up to `jobs` threads. False when zlib fails.
bool deflate_all(const std::vector<ZipEntry>& entries, const std::vector<size_t>& todo,
                 std::vector<Deflated>& out, int jobs) {
  const size_t threads = size_t(std::max(jobs, 1));
  struct Stream {
    z_stream z{};
    bool ready = false;
  };
  std::vector<Stream> streams(std::max<size_t>(1, std::min(threads, todo.size())));  // one a thread
  std::atomic<bool> ok{true};
  parallel_for(todo.size(), threads, [&](size_t k, size_t worker) {
    Stream& s = streams[worker];
    if (!s.ready) s.ready = deflateInit2(&s.z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    if (!s.ready || !deflate_into(s.z, entries[todo[k]].data, out[k])) ok = false;
  });
  for (Stream& s : streams)
    if (s.ready) deflateEnd(&s.z);
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
    fail("zlib could not deflate an entry");
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
                                 store ? 0 : 6) < 0 ||  // zlib's default (measured: level 9 took 15% more CPU for a 0.1% smaller corpus book)
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
