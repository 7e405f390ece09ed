// Training speed on this machine: keras-cnn samples/s through the real Trainer on random
// images (speed does not depend on the pixels), after a few warm-up steps.
#pragma once

namespace dt::bench {

double train_samples_per_second(int batch, int threads, int steps);

}  // namespace dt::bench
