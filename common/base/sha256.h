// SHA-256 and HMAC-SHA-256 over bytes (OpenSSL), as raw bytes;
// absl::BytesToHexString writes them in hexadecimal.

#ifndef JIXIAO_COMMON_BASE_SHA256_H_
#define JIXIAO_COMMON_BASE_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace jixiao::base {

inline constexpr size_t kSha256Bytes = 32;

// The SHA-256 digest of `bytes`.
std::string Sha256(absl::string_view bytes);

// HMAC-SHA-256 of `bytes` under `key`.
std::string HmacSha256(absl::string_view key, absl::string_view bytes);

}  // namespace jixiao::base

#endif  // JIXIAO_COMMON_BASE_SHA256_H_
