// libharu 2.3.0 copies and fills memory a byte at a time (HPDF_MemCpy, HPDF_MemSet), for
// every stream it holds: image pixels when they are loaded, then as relconv reads and
// rewrites its streams deflated (text_layer.cpp), then again as it saves. That was 6% of a
// PDF book's instructions (callgrind, 182 of 2,986 million). These versions, put in its
// place by the dynamic linker, give the same results with memmove and memset.
//
// libhpdf.so calls these functions through its PLT, and a program or module that defines
// a symbol which a library it links also defines is searched first, so libharu's own calls
// come here (ELF symbol interposition, as with malloc; `LD_DEBUG=bindings` shows it). A
// unit test compares them with libharu's own.
#include <hpdf.h>
#include <hpdf_utils.h>

#include <cstring>

extern "C" HPDF_BYTE* HPDF_MemCpy(HPDF_BYTE* out, const HPDF_BYTE* in, HPDF_UINT n) {
  if (n <= 4) {
    for (HPDF_UINT i = 0; i < n; ++i) out[i] = in[i];  // forwards, as libharu, if they overlap
    return out + n;
  }
  if (out > in && out < in + n) {  // libharu's forward copy repeats the bytes it overwrites
    while (n > 0) {
      *out++ = *in++;
      --n;
    }
    return out;
  }
  std::memmove(out, in, n);
  return out + n;
}

extern "C" void* HPDF_MemSet(void* s, HPDF_BYTE c, HPDF_UINT n) {
  std::memset(s, c, n);
  return static_cast<HPDF_BYTE*>(s) + n;
}
