#include "util/thread_pool.h"

namespace dt {

namespace {
// How long a waiting side polls before it sleeps: longer than the imbalance between the
// shards of a step and the gap between a step's two run() calls (waking a sleeping thread
// costs more than that), far shorter than a scheduler time slice. Both come to roughly half
// a millisecond: a poll with x86's pause hint takes ~20 ns; wasm has no such hint and polls
// in ~1-2 ns. (Bounding the spin by the clock instead made 2-thread training in the browser
// 10% slower: reading the clock there is a call out to JavaScript.)
#if defined(__x86_64__) || defined(__i386__)
constexpr int kSpinPolls = 20000;
inline void cpu_relax() { __builtin_ia32_pause(); }
#else
constexpr int kSpinPolls = 300000;
inline void cpu_relax() {}
#endif

// Polls done() until it holds or kSpinPolls run out; returns its last value.
template <class Done>
bool spin_until(Done&& done) {
  for (int i = 0; i < kSpinPolls; ++i) {
    if (done()) return true;
    cpu_relax();
  }
  return done();
}

bool threads_available() {
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
  return false;
#else
  return true;
#endif
}
}  // namespace

int ThreadPool::hardware_threads() {
  if (!threads_available()) return 1;
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

ThreadPool::ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads) {
  if (!threads_available()) threads_ = 1;
  for (int t = 1; t < threads_; ++t) workers_.emplace_back([this, t] { worker_loop(t); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
  }
  start_cv_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::run_erased(Job job, void* fn) {
  if (threads_ == 1) {
    job(fn, 0);
    return;
  }
  job_ = job;
  job_fn_ = fn;
  pending_.store(threads_ - 1, std::memory_order_relaxed);
  {
    // Under the lock, so a worker between its last poll and its sleep cannot miss the bump.
    std::lock_guard<std::mutex> lock(mu_);
    generation_.fetch_add(1, std::memory_order_release);
  }
  start_cv_.notify_all();
  job(fn, 0);
  if (!spin_until([this] { return pending_.load(std::memory_order_acquire) == 0; })) {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
  }
}

void ThreadPool::barrier() {
  if (threads_ == 1) return;
  const unsigned long generation = barrier_generation_.load(std::memory_order_acquire);
  if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == threads_) {
    // The last to arrive: reset the count before the bump, so that a thread leaving this
    // barrier for the next one counts from zero.
    arrived_.store(0, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mu_);
      barrier_generation_.fetch_add(1, std::memory_order_release);
    }
    barrier_cv_.notify_all();
    return;
  }
  auto passed = [&] { return barrier_generation_.load(std::memory_order_acquire) != generation; };
  if (!spin_until(passed)) {
    std::unique_lock<std::mutex> lock(mu_);
    barrier_cv_.wait(lock, passed);
  }
}

void ThreadPool::worker_loop(int t) {
  unsigned long seen = 0;
  for (;;) {
    if (!spin_until([&] { return generation_.load(std::memory_order_acquire) != seen || stop_.load(); })) {
      std::unique_lock<std::mutex> lock(mu_);
      start_cv_.wait(lock, [&] { return stop_.load() || generation_.load(std::memory_order_acquire) != seen; });
    }
    if (stop_.load()) return;
    seen = generation_.load(std::memory_order_acquire);
    job_(job_fn_, t);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      // The caller may be asleep: take the lock so the notify cannot fall between its check
      // and its wait.
      std::lock_guard<std::mutex> lock(mu_);
      done_cv_.notify_one();
    }
  }
}

}  // namespace dt
