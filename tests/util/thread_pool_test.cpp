// The thread pool under the trainer: every index runs exactly once per run(), run() returns
// only when all have finished, index 0 runs on the caller, and the pool survives many short
// runs in a row (a training step hands work over twice) and a run right after idling long
// enough for its threads to fall asleep; barrier() inside a job holds every thread until all
// have reached it.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "util/thread_pool.h"

namespace dt {
namespace {

TEST_CASE("thread pool: each index runs once per run, and run waits for all") {
  for (int threads : {1, 2, 3, 4}) {
    ThreadPool pool(threads);
    CHECK(pool.size() >= 1);
    CHECK(pool.size() <= threads);
    std::vector<std::atomic<int>> hits(pool.size());
    for (auto& h : hits) h = 0;
    pool.run([&](int t) {
      REQUIRE(t >= 0);
      REQUIRE(t < pool.size());
      // The slowest index decides when run() may return.
      if (t == pool.size() - 1) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      hits[t].fetch_add(1);
    });
    for (auto& h : hits) CHECK(h.load() == 1);
  }
}

TEST_CASE("thread pool: index 0 runs on the calling thread") {
  ThreadPool pool(2);
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id seen;
  pool.run([&](int t) {
    if (t == 0) seen = std::this_thread::get_id();
  });
  const bool on_caller = seen == caller;
  CHECK(on_caller);
}

TEST_CASE("thread pool: thousands of short runs in a row add up exactly") {
  ThreadPool pool(ThreadPool::hardware_threads());
  std::vector<long> sums(pool.size(), 0);
  const int runs = 5000;
  for (int r = 0; r < runs; ++r) pool.run([&](int t) { sums[t] += r; });
  const long expected = long(runs) * (runs - 1) / 2;
  for (long s : sums) CHECK(s == expected);
}

TEST_CASE("thread pool: a run after the threads fell asleep still completes") {
  ThreadPool pool(2);
  std::atomic<int> count{0};
  pool.run([&](int) { count.fetch_add(1); });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // past the spin, into the wait
  pool.run([&](int) { count.fetch_add(1); });
  CHECK(count.load() == 2 * pool.size());
}

TEST_CASE("thread pool: barrier() inside a job lets no thread past until all arrived") {
  for (int threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    const int T = pool.size();
    std::vector<std::atomic<int>> phase(T);
    std::atomic<int> early{0};
    for (int r = 0; r < 500; ++r) {
      for (auto& p : phase) p = 0;
      pool.run([&](int t) {
        // Late arrivals on the last index, now and then past the spin into the wait.
        if (t == T - 1 && r % 100 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(3));
        phase[t] = 1;
        pool.barrier();
        for (int u = 0; u < T; ++u)
          if (phase[u].load() != 1) early.fetch_add(1);
        pool.barrier();  // a second barrier in the same job reuses the count
        phase[t] = 2;
      });
      for (auto& p : phase) CHECK(p.load() == 2);
    }
    CHECK(early.load() == 0);
  }
}

TEST_CASE("thread pool: this build reports how many threads it can use") {
  CHECK(ThreadPool::hardware_threads() >= 1);
}

}  // namespace
}  // namespace dt
