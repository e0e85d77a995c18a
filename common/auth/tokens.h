// Who is calling: bearer tokens mapped to principals.
//
// A token file holds one line per token: the SHA-256 of the token (hex), the
// principal's name, its role, and for a department its department code:
//
//   # sha256(token)                                                   name          role department
//   9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  lh-submitter  department
//   LH-ZWFWSJGLJ 60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752  wang reviewer
//
// Only hashes are stored, so the file reveals no token. A caller sends
// "authorization: Bearer <token>" in its call metadata. Thread-safe:
// immutable after Load.

#ifndef JIXIAO_COMMON_AUTH_TOKENS_H_
#define JIXIAO_COMMON_AUTH_TOKENS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jixiao::auth {

enum class Role { kDepartment, kReviewer, kAdmin };

struct Principal {
  std::string name;
  Role role = Role::kDepartment;
  std::string department;  // role kDepartment only
};

const char* RoleName(Role role);

// The metadata key, and the scheme its value starts with.
inline constexpr char kAuthorizationMetadata[] = "authorization";
inline constexpr char kBearerPrefix[] = "Bearer ";

// SHA-256 of `token`, lower-case hex.
std::string TokenHash(absl::string_view token);

class TokenTable {
 public:
  // Reads a token file. INVALID_ARGUMENT names the line and what is wrong;
  // NOT_FOUND if the file cannot be read.
  static absl::StatusOr<TokenTable> Load(const std::string& path);
  static absl::StatusOr<TokenTable> Parse(absl::string_view text, absl::string_view source);

  // The principal an "authorization" metadata value stands for.
  // UNAUTHENTICATED if it is absent, not a bearer token, or unknown.
  absl::StatusOr<Principal> Authenticate(absl::string_view authorization) const;

  size_t size() const { return by_hash_.size(); }

 private:
  std::map<std::string, Principal> by_hash_;
};

}  // namespace jixiao::auth

#endif  // JIXIAO_COMMON_AUTH_TOKENS_H_
