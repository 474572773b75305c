#pragma once

namespace sdm::ui {

// Lowers the calling thread's scheduling priority (Linux: nice 10 for this thread, and for the
// threads it starts afterwards — LibTorch's OpenMP pool). On a machine whose cores the sampler
// fills, the GUI thread then gets the CPU as soon as it wakes: measured on 2 cores, the event
// loop's longest gap while the upscaler runs fell from 60 ms to 12 ms (one picture), and with
// an idle GUI sampling is as fast as before (only the relative priority changes). Elsewhere:
// nothing.
void lowerThreadPriority();

}  // namespace sdm::ui
