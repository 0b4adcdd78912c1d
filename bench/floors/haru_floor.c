/* The libharu floor of one PDF per process (bench/run.sh builds it, bench.py runs it once
 * per document in the per-doc group as "libharu alone").
 *
 *   haru_floor OUT.pdf
 *
 * It does the least a PDF writer built on libharu with Unicode text must do: the process
 * starts with libharu linked, makes a document with UTF-8 encodings, loads one TrueType font
 * to embed (DejaVu Serif), adds one page, writes one short line on it, saves OUT.pdf and
 * frees the document. No Markdown is read and nothing is laid out. Streams are left as
 * libharu writes them by default (not deflated). relconv is required to write PDF with
 * libharu, so this row shows how close a process per document can get to cmark-gfm's (the
 * parser alone) while it uses libharu and one embedded font at all; the rest of relconv's
 * per-document PDF time is relconv's own (more fonts, layout, images, deflating). */
#include <stdio.h>
#include <stdlib.h>
#include <hpdf.h>

#define FONT "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data) {
  (void)user_data;
  fprintf(stderr, "haru_floor: libharu error 0x%04X (detail %u)\n", (unsigned)error_no, (unsigned)detail_no);
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: haru_floor OUT.pdf\n");
    return 2;
  }
  HPDF_Doc pdf = HPDF_New(on_error, NULL);
  if (!pdf) {
    fprintf(stderr, "haru_floor: HPDF_New failed\n");
    return 1;
  }
  /* Every libharu failure below goes to on_error, which exits. */
  HPDF_UseUTFEncodings(pdf);
  HPDF_SetCurrentEncoder(pdf, "UTF-8");
  const char *name = HPDF_LoadTTFontFromFile(pdf, FONT, HPDF_TRUE);
  HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
  HPDF_Page page = HPDF_AddPage(pdf);
  HPDF_Page_BeginText(page);
  HPDF_Page_SetFontAndSize(page, font, 12);
  HPDF_Page_TextOut(page, 72, HPDF_Page_GetHeight(page) - 72, "One short line, set in DejaVu Serif.");
  HPDF_Page_EndText(page);
  HPDF_SaveToFile(pdf, argv[1]);
  HPDF_Free(pdf);
  return 0;
}
