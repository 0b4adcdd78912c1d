// The doctest main, alone in its translation unit (doctest's implementation is slow to
// compile). Test files: one per module, test_<module>.cpp.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
