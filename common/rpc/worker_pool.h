// A fixed set of threads for work that blocks, such as synced writes.
//
// gRPC's callback API runs handlers on a few threads of its own; a handler
// that waits for the disk there keeps every other call waiting too, and
// caps how many writes RocksDB can commit as one group. A service hands
// such work to a WorkerPool and finishes the call from the worker.
//
// Thread-safe. The destructor runs all work already scheduled, then joins.

#ifndef JIXIAO_COMMON_RPC_WORKER_POOL_H_
#define JIXIAO_COMMON_RPC_WORKER_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace jixiao::rpc {

class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Schedule(std::function<void()> work);

 private:
  void Work();

  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_WORKER_POOL_H_
