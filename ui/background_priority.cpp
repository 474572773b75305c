#include "ui/background_priority.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace sdm::ui {

void lowerThreadPriority() {
#ifdef __linux__
  // Linux keeps a nice value per thread: PRIO_PROCESS with a thread id sets that thread's.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
#endif
}

}  // namespace sdm::ui
