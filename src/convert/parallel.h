// Work shared out over threads: the inputs of a book, the documents of a batch, the files
// of an EPUB, a PDF's images and streams. Results go into slots by index, so what is
// written never depends on which thread did what.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace relconv {

// Calls fn(i, worker) for every i in [0, count) on up to `threads` threads, the caller's
// among them; `worker` (below min(threads, count)) says which thread it is, for state kept
// per thread. Each thread takes the next index when it has finished one. fn must not
// throw: keep a failure in its slot.
template <typename Fn>
void parallel_for(size_t count, size_t threads, Fn&& fn) {
  threads = std::max<size_t>(1, std::min(threads, count));
  std::atomic<size_t> next{0};
  auto work = [&](size_t worker) {
    for (size_t i; (i = next++) < count;) fn(i, worker);
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& t : pool) t.join();
}

// Tasks run in the background while the caller goes on: taken in the order submitted by
// up to `threads - 1` threads of the queue's own (started on the first submit), and by
// the caller in wait(). With `threads` 1 every task runs in wait(), on the caller's
// thread. A task must not throw: keep a failure in its slot. Declare the queue after what
// its tasks use, so that it is destroyed (dropping the tasks not started, waiting for the
// running ones) before them.
class TaskQueue {
 public:
  explicit TaskQueue(size_t threads) : threads_(std::max<size_t>(threads, 1)) {}
  ~TaskQueue() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      tasks_.clear();
    }
    wake_.notify_all();
    for (std::thread& t : pool_) t.join();
  }
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  void submit(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    if (pool_.empty())
      for (size_t t = 1; t < threads_; ++t) pool_.emplace_back([this] { work(); });
    wake_.notify_one();
  }

  // Runs the tasks not started yet on this thread too, then waits for the running ones.
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (run_one(lock)) {
    }
    done_.wait(lock, [this] { return running_ == 0; });
  }

 private:
  bool run_one(std::unique_lock<std::mutex>& lock) {
    if (tasks_.empty()) return false;
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    ++running_;
    lock.unlock();
    task();
    lock.lock();
    if (--running_ == 0) done_.notify_all();
    return true;
  }
  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_)
      if (!run_one(lock)) wake_.wait(lock);
  }

  const size_t threads_;
  std::deque<std::function<void()>> tasks_;
  size_t running_ = 0;
  bool stop_ = false;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> pool_;
};

}  // namespace relconv
