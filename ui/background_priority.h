#pragma once

namespace sdm::ui {

// Lowers the calling thread's scheduling priority (Linux: nice 10 for this thread, and for the
// threads it starts afterwards — LibTorch's OpenMP pool). On a machine whose cores the sampler
// fills, the GUI thread then gets the CPU as soon as it wakes: the event loop's longest gap while
// the upscaler runs falls severalfold (benchmarks/README.md), and with an idle GUI sampling is
// as fast as before (only the relative priority changes). Elsewhere:
// nothing.
void lowerThreadPriority();

}  // namespace sdm::ui
