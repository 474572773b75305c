// The programs' malloc: tcmalloc where the build found it, and then really the one serving.
#include "core/base/process_malloc.h"

#include <doctest/doctest.h>

using namespace sdm;

TEST_CASE("the process's malloc is the one the build linked") {
#ifdef SDM_WITH_TCMALLOC
  // process_malloc allocates to tell: a preloaded or earlier-resolved malloc would read "glibc".
  CHECK(process_malloc().rfind("tcmalloc (gperftools ", 0) == 0);
#else
  CHECK(process_malloc() == "glibc");
#endif
}
