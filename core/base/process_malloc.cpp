#include "core/base/process_malloc.h"

#include <dlfcn.h>

#include <cstddef>
#include <cstdlib>

namespace sdm {

std::string process_malloc() {
  // Looked up, not linked: the program chooses its malloc (sdm_malloc in core/base/CMakeLists.txt).
  using Property = int (*)(const char*, size_t*);
  using Version = const char* (*)(int*, int*, const char**);
  const auto property = reinterpret_cast<Property>(dlsym(RTLD_DEFAULT, "MallocExtension_GetNumericProperty"));
  const auto version = reinterpret_cast<Version>(dlsym(RTLD_DEFAULT, "tc_version"));
  if (!property || !version) return "glibc";
  // Loaded is not yet serving: a malloc resolved elsewhere first (a preloaded one, say) would
  // leave tcmalloc's count unchanged.
  constexpr size_t kProbe = size_t{1} << 20;
  size_t before = 0, after = 0;
  property("generic.current_allocated_bytes", &before);
  auto* probe = static_cast<volatile char*>(std::malloc(kProbe));
  if (probe) probe[0] = 1;  // used, so the pair cannot be optimised away
  property("generic.current_allocated_bytes", &after);
  std::free(const_cast<char*>(probe));
  if (probe && after >= before + kProbe) return std::string("tcmalloc (") + version(nullptr, nullptr, nullptr) + ")";
  return "glibc";
}

}  // namespace sdm
