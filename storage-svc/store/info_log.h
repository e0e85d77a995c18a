// RocksDB's info log (the LOG file in the data directory), written so that
// a full disk cannot bring the store down. Internal to the store.
//
// RocksDB 7.8's own info log writes through a WritableFileWriter, which
// asserts (aborting the process, in Debian's build) when it is written to
// again after a write of it failed: on a full disk, the next line RocksDB
// logs (it logs the very error) killed storage-svc, and every restart on
// the full disk died the same way. This one writes with stdio and ignores
// failures: lines that do not fit are lost, nothing else.
//
// Thread-safe.

#ifndef JIXIAO_STORAGE_SVC_STORE_INFO_LOG_H_
#define JIXIAO_STORAGE_SVC_STORE_INFO_LOG_H_

#include <rocksdb/env.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace jixiao::store {

class InfoLog final : public rocksdb::Logger {
 public:
  // Appends to `path`, first moving it to `path`.old if it has grown past
  // 16 MiB. Errors (and worse) are also told to `errors` (may be null), one
  // line each. A file that cannot be opened leaves only `errors`.
  InfoLog(const std::string& path, std::function<void(const std::string&)> errors);
  ~InfoLog() override;

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override;
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override;
  void Flush() override;

 private:
  void Write(const char* level, const char* format, va_list ap);

  const std::function<void(const std::string&)> errors_;
  std::mutex mutex_;
  std::FILE* file_ = nullptr;  // guarded by mutex_; null if it cannot be opened
};

}  // namespace jixiao::store

#endif  // JIXIAO_STORAGE_SVC_STORE_INFO_LOG_H_
