// A queue whose items are taken all at once: the way a thread that does
// something slow per call (a synced write, a WAL sync) shares it among
// every item that arrived while it was busy.
//
// Producers Push; whoever drains takes everything queued in one swap, and
// handles it while the next batch queues. Two ways to drain:
//
//   A thread of its own (Take; Stop to end it):
//
//     std::vector<Write> batch;
//     while (queue.Take(batch)) {
//       WriteAll(batch);
//       batch.clear();  // here, not under the queue's lock
//     }
//
//   Or the producers themselves (PushAndLead, TakeOrResign): the one that
//   finds nobody draining becomes the leader, and drains until the queue is
//   empty; the others return at once.
//
//     if (!queue.PushAndLead(std::move(write))) return;  // the leader has it
//     std::vector<Write> batch;
//     while (queue.TakeOrResign(batch)) {
//       WriteAll(batch);
//       batch.clear();
//     }
//
// One queue is drained one way. A Push is one lock and no allocation once
// the vectors have grown (the two swap their storage); a waiting drainer is
// woken only by the Push that finds the queue empty, so a batch of N items
// costs one wake-up. Thread-safe.

#ifndef JIXIAO_COMMON_BASE_DRAIN_QUEUE_H_
#define JIXIAO_COMMON_BASE_DRAIN_QUEUE_H_

#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

namespace jixiao::base {

template <typename T>
class DrainQueue {
 public:
  DrainQueue() = default;
  DrainQueue(const DrainQueue&) = delete;
  DrainQueue& operator=(const DrainQueue&) = delete;

  // Queues `item`, waking a thread waiting in Take if it is the first.
  void Push(T item) {
    bool was_empty;
    {
      std::lock_guard<std::mutex> lock(mu_);
      was_empty = items_.empty();
      items_.push_back(std::move(item));
    }
    if (was_empty) queued_.notify_one();
  }

  // Waits until something is queued or Stop was called, then moves
  // everything queued into `batch` and returns true; false once stopped
  // with nothing left. `batch` is cleared first (clear it after handling
  // it, so that its items are destroyed outside the lock); its capacity is
  // reused. One thread at a time.
  bool Take(std::vector<T>& batch) {
    batch.clear();
    std::unique_lock<std::mutex> lock(mu_);
    queued_.wait(lock, [this] { return stopping_ || !items_.empty(); });
    if (items_.empty()) return false;  // stopping, and nothing left
    batch.swap(items_);
    return true;
  }

  // Take returns false once the queue is empty: what is queued still comes
  // out. Pushing after Stop is a mistake.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    queued_.notify_one();
  }

  // Queues `item`; true if the caller is now the leader and must drain the
  // queue with TakeOrResign until it returns false, false if a leader
  // already is draining (and will take the item).
  bool PushAndLead(T item) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(std::move(item));
    if (leading_) return false;
    leading_ = true;
    return true;
  }

  // For the leader: moves everything queued into `batch` (cleared first,
  // as in Take) and returns true; if nothing is queued, returns false and
  // the caller is no longer the leader.
  bool TakeOrResign(std::vector<T>& batch) {
    batch.clear();
    std::lock_guard<std::mutex> lock(mu_);
    if (items_.empty()) {
      leading_ = false;
      return false;
    }
    batch.swap(items_);
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable queued_;
  std::vector<T> items_;   // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  bool leading_ = false;   // guarded by mu_: a producer is draining
};

}  // namespace jixiao::base

#endif  // JIXIAO_COMMON_BASE_DRAIN_QUEUE_H_
