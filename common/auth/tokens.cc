#include "common/auth/tokens.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/auth/records_file.h"
#include "common/base/files.h"
#include "common/base/sha256.h"

namespace jixiao::auth {

const char* RoleName(Role role) {
  switch (role) {
    case Role::kDepartment:
      return "department";
    case Role::kReviewer:
      return "reviewer";
    case Role::kAdmin:
      return "admin";
  }
  return "?";
}

std::string TokenHash(absl::string_view token) {
  return absl::BytesToHexString(base::Sha256(token));
}

absl::StatusOr<TokenTable> TokenTable::Load(const std::string& path) {
  auto text = base::ReadFile(path, "token file");
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

absl::StatusOr<TokenTable> TokenTable::Parse(absl::string_view text, absl::string_view source) {
  TokenTable table;
  absl::Status status = ForEachRecord(text, source, [&table](const auto& fields) {
    auto bad = [](absl::string_view why) { return absl::InvalidArgumentError(why); };
    if (fields.size() < 3 || fields.size() > 4) {
      return bad("expected: sha256-hex name role [department]");
    }
    std::string hash = absl::AsciiStrToLower(fields[0]);
    if (hash.size() != 64 || hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return bad("the first field must be the token's SHA-256 in hex (64 characters)");
    }
    Principal principal;
    principal.name = std::string(fields[1]);
    if (fields[2] == "department") {
      principal.role = Role::kDepartment;
      if (fields.size() != 4) return bad("a department principal needs its department code");
      principal.department = std::string(fields[3]);
    } else if (fields[2] == "reviewer" || fields[2] == "admin") {
      principal.role = fields[2] == "admin" ? Role::kAdmin : Role::kReviewer;
      if (fields.size() != 3) return bad("only a department principal has a department code");
    } else {
      return bad(absl::StrCat("unknown role \"", fields[2], "\": department, reviewer or admin"));
    }
    if (!table.by_hash_.emplace(hash, principal).second) {
      return bad("this token hash appears twice");
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return table;
}

absl::StatusOr<Principal> TokenTable::Authenticate(absl::string_view authorization) const {
  if (authorization.empty()) {
    return absl::UnauthenticatedError("no credentials: send \"authorization: Bearer <token>\"");
  }
  if (!absl::ConsumePrefix(&authorization, kBearerPrefix) || authorization.empty()) {
    return absl::UnauthenticatedError("the authorization metadata is not a bearer token");
  }
  auto it = by_hash_.find(TokenHash(authorization));
  if (it == by_hash_.end()) return absl::UnauthenticatedError("unknown token");
  return it->second;
}

}  // namespace jixiao::auth
