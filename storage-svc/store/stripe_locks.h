// Locks over a fixed number of stripes that keys hash to. A lock may be
// released by another thread than the one that took it: a write takes its
// report's stripe, and the committer thread releases it once the write is
// durable (group_commit.h).

#ifndef JIXIAO_STORAGE_SVC_STORE_STRIPE_LOCKS_H_
#define JIXIAO_STORAGE_SVC_STORE_STRIPE_LOCKS_H_

#include <array>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>

namespace jixiao::store {

class StripeLocks {
 public:
  static constexpr size_t kStripes = 256;

  // Holds one stripe until released or destroyed. Movable.
  class Lock {
   public:
    Lock() = default;
    Lock(Lock&& other) noexcept : owner_(other.owner_), stripe_(other.stripe_) {
      other.owner_ = nullptr;
    }
    Lock& operator=(Lock&& other) noexcept {
      if (this != &other) {
        Release();
        owner_ = other.owner_;
        stripe_ = other.stripe_;
        other.owner_ = nullptr;
      }
      return *this;
    }
    ~Lock() { Release(); }
    void Release() {
      if (owner_ != nullptr) owner_->Release(stripe_);
      owner_ = nullptr;
    }

   private:
    friend class StripeLocks;
    Lock(StripeLocks* owner, size_t stripe) : owner_(owner), stripe_(stripe) {}
    StripeLocks* owner_ = nullptr;
    size_t stripe_ = 0;
  };

  // Waits until `key`'s stripe is free, and takes it.
  Lock Acquire(const std::string& key) {
    size_t stripe = std::hash<std::string>()(key) % kStripes;
    std::unique_lock<std::mutex> lock(mu_);
    released_.wait(lock, [&] { return !held_[stripe]; });
    held_[stripe] = true;
    return Lock(this, stripe);
  }

 private:
  void Release(size_t stripe) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      held_[stripe] = false;
    }
    released_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable released_;
  std::array<bool, kStripes> held_{};  // guarded by mu_
};

}  // namespace jixiao::store

#endif  // JIXIAO_STORAGE_SVC_STORE_STRIPE_LOCKS_H_
