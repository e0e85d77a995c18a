#include "storage-svc/store/info_log.h"

#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdarg>
#include <ctime>

namespace jixiao::store {

InfoLog::InfoLog(const std::string& path, std::function<void(const std::string&)> errors)
    : Logger(rocksdb::InfoLogLevel::INFO_LEVEL), errors_(std::move(errors)) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && info.st_size > (16 << 20)) {
    std::rename(path.c_str(), (path + ".old").c_str());
  }
  file_ = std::fopen(path.c_str(), "ae");
}

InfoLog::~InfoLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void InfoLog::Logv(const char* format, va_list ap) { Write("", format, ap); }

void InfoLog::Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) {
  if (level < GetInfoLogLevel()) return;
  static const char* const kLevels[] = {"[DEBUG] ", "",         "[WARN] ",
                                        "[ERROR] ", "[FATAL] ", "[HEADER] "};
  const int index = static_cast<int>(level);
  const char* name = index >= 0 && index < 6 ? kLevels[index] : "";
  if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL && level != rocksdb::InfoLogLevel::HEADER_LEVEL &&
      errors_) {
    va_list copy;
    va_copy(copy, ap);
    char line[1024];
    std::vsnprintf(line, sizeof(line), format, copy);
    va_end(copy);
    errors_(std::string("rocksdb: ") + name + line);
  }
  Write(name, format, ap);
}

void InfoLog::Write(const char* level, const char* format, va_list ap) {
  timeval now;
  ::gettimeofday(&now, nullptr);
  std::tm local;
  ::localtime_r(&now.tv_sec, &local);
  char stamp[64];
  std::snprintf(stamp, sizeof(stamp), "%04d/%02d/%02d-%02d:%02d:%02d.%06ld %lx ",
                local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min,
                local.tm_sec, static_cast<long>(now.tv_usec),
                static_cast<unsigned long>(::gettid()));
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_ == nullptr) return;
  // Failures (a full disk) are ignored: the line is lost, and the stream's
  // error flag is cleared so that later lines are tried again.
  std::fputs(stamp, file_);
  std::fputs(level, file_);
  std::vfprintf(file_, format, ap);
  std::fputc('\n', file_);
  std::fflush(file_);
  std::clearerr(file_);
}

void InfoLog::Flush() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_ != nullptr) {
    std::fflush(file_);
    std::clearerr(file_);
  }
}

}  // namespace jixiao::store
