/* The libzip floor of one EPUB per process (bench/run.sh builds it, bench.py runs it once
 * per document in the per-doc group as "libzip alone").
 *
 *   zip_floor OUT.epub
 *
 * It does the least an EPUB writer built on libzip must do: the process starts with libzip
 * linked (and what libzip loads, libcrypto among them), creates a zip at OUT.epub with one
 * stored entry, EPUB's "mimetype" (application/epub+zip), and closes it. No Markdown is read
 * and nothing is rendered. relconv is required to write EPUB with libzip, so this row shows
 * how close a process per document can get to cmark-gfm's (the parser alone) while it uses
 * libzip at all; the rest of relconv's per-document EPUB time is relconv's own. */
#include <stdio.h>
#include <zip.h>

static const char mimetype[] = "application/epub+zip";

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: zip_floor OUT.epub\n");
    return 2;
  }
  int code = 0;
  zip_t *zip = zip_open(argv[1], ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (!zip) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    fprintf(stderr, "zip_floor: %s: %s\n", argv[1], zip_error_strerror(&error));
    zip_error_fini(&error);
    return 1;
  }
  zip_source_t *src = zip_source_buffer(zip, mimetype, sizeof mimetype - 1, 0);
  zip_int64_t index = src ? zip_file_add(zip, "mimetype", src, ZIP_FL_ENC_UTF_8) : -1;
  if (index < 0) zip_source_free(src);  /* zip_file_add did not take it */
  if (index < 0 || zip_set_file_compression(zip, (zip_uint64_t)index, ZIP_CM_STORE, 0) != 0 ||
      zip_close(zip) != 0) {
    fprintf(stderr, "zip_floor: %s: %s\n", argv[1], zip_strerror(zip));
    zip_discard(zip);
    return 1;
  }
  return 0;
}
