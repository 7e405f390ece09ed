// A fixed set of worker threads that run one function on every thread and wait for all of
// them. The trainer splits a batch into one shard per thread, so "run this on each of N
// threads" is the only primitive needed. With one thread (or a build without threads, such
// as the single-threaded WebAssembly fallback) the work runs inline on the caller.
//
// A training step is a few milliseconds and calls run() twice, so the hand-over must cost
// microseconds: both sides spin on atomics for a short while before falling back to sleeping
// on a condition variable (waking a sleeping thread costs tens of microseconds). Inside a job,
// barrier() lines the threads up the same way without handing the job back to the caller.
#pragma once
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace dt {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return threads_; }
  // Calls fn(t) for t in [0, size()), t = 0 on the calling thread; returns when all are done.
  // Takes any callable by reference: no std::function, so running a step allocates nothing.
  template <class F>
  void run(F&& fn) {
    run_erased([](void* f, int t) { (*static_cast<std::remove_reference_t<F>*>(f))(t); }, &fn);
  }

  // Called by every thread of the running job: returns once all size() threads have called it.
  // Cheaper than ending the job and starting another: nobody goes back to the pool's loop.
  void barrier();

  // How many hardware threads this build can actually use (1 without thread support).
  static int hardware_threads();

 private:
  using Job = void (*)(void* fn, int t);
  void run_erased(Job job, void* fn);
  void worker_loop(int t);
  int threads_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable start_cv_, done_cv_, barrier_cv_;
  Job job_ = nullptr;          // written before generation_ is bumped, read after seeing it
  void* job_fn_ = nullptr;
  std::atomic<unsigned long> generation_{0};  // bumped (under mu_) to start a job
  std::atomic<int> pending_{0};               // workers still running the current job
  std::atomic<bool> stop_{false};
  std::atomic<int> arrived_{0};                      // threads waiting at the current barrier()
  std::atomic<unsigned long> barrier_generation_{0};  // bumped (under mu_) when all have arrived
};

}  // namespace dt
