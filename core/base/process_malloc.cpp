#include "core/base/process_malloc.h"

#include <cstdlib>

#ifdef SDM_WITH_TCMALLOC
#include <gperftools/malloc_extension_c.h>
#include <gperftools/tcmalloc.h>
#endif

namespace sdm {

std::string process_malloc() {
#ifdef SDM_WITH_TCMALLOC
  // Linked is not yet serving: a malloc resolved elsewhere first (a preloaded one, say) would
  // leave tcmalloc's count unchanged.
  constexpr size_t kProbe = size_t{1} << 20;
  size_t before = 0, after = 0;
  MallocExtension_GetNumericProperty("generic.current_allocated_bytes", &before);
  auto* probe = static_cast<volatile char*>(std::malloc(kProbe));
  if (probe) probe[0] = 1;  // used, so the pair cannot be optimised away
  MallocExtension_GetNumericProperty("generic.current_allocated_bytes", &after);
  std::free(const_cast<char*>(probe));
  if (probe && after >= before + kProbe) return std::string("tcmalloc (") + tc_version(nullptr, nullptr, nullptr) + ")";
#endif
  return "glibc";
}

}  // namespace sdm
