// Small helpers shared by the store's files: RocksDB status mapping, proto
// values, waiting on a callback, page sizes. Internal to the store.

#ifndef JIXIAO_STORAGE_SVC_STORE_ROCKS_UTIL_H_
#define JIXIAO_STORAGE_SVC_STORE_ROCKS_UTIL_H_

#include <rocksdb/db.h>

#include <future>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace jixiao::store {

// A RocksDB failure as INTERNAL (or NOT_FOUND, or RESOURCE_EXHAUSTED
// "disk full: ..." when out of space), naming what was being done.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view doing);

// Reads and parses one record. NOT_FOUND if absent; INTERNAL if unreadable.
absl::Status GetProto(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, const std::string& key,
                      google::protobuf::Message* message);

// Starts something that answers through a callback (`start` is given the
// callback) and waits for the answer: the blocking form of an asynchronous
// write.
template <typename T>
T Await(absl::FunctionRef<void(absl::AnyInvocable<void(T) &&>)> start) {
  std::promise<T> answer;
  std::future<T> answered = answer.get_future();
  start([&answer](T result) { answer.set_value(std::move(result)); });
  return answered.get();
}

// Page size: `requested` if within (0, 1000], 100 if 0; INVALID_ARGUMENT if negative.
absl::StatusOr<int> PageSize(int requested);
// A page also ends once what it holds reaches this many bytes, so that a
// listing of large reports stays far below any message limit.
inline constexpr size_t kMaxPageBytes = 4 << 20;

}  // namespace jixiao::store

#endif  // JIXIAO_STORAGE_SVC_STORE_ROCKS_UTIL_H_
