#include "storage-svc/store/page_tokens.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <rocksdb/db.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/base/sha256.h"
#include "common/report/field_violations.h"
#include "storage-svc/store/records.pb.h"
#include "storage-svc/store/rocks_util.h"

namespace jixiao::store {
namespace {

constexpr char kSecretKey[] = "page-token-secret";
constexpr size_t kSecretBytes = 32;

absl::Status Refused(absl::string_view message, absl::string_view why) {
  return report::InvalidArgumentWithViolations(message, {{"page_token", std::string(why)}});
}

}  // namespace

absl::StatusOr<PageTokens> PageTokens::Open(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
                                            bool read_only) {
  std::string secret;
  rocksdb::Status status = family == nullptr
                               ? rocksdb::Status::NotFound()
                               : db->Get(rocksdb::ReadOptions(), family, kSecretKey, &secret);
  if (status.ok() && secret.size() == kSecretBytes) return PageTokens(std::move(secret));
  if (status.ok()) return absl::InternalError("the stored page-token secret is corrupt");
  if (!status.IsNotFound()) return FromRocks(status, "read the page-token secret");
  secret.resize(kSecretBytes);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()), kSecretBytes) != 1) {
    return absl::InternalError("no random bytes for the page-token secret");
  }
  if (read_only || family == nullptr) return PageTokens(std::move(secret));
  rocksdb::WriteOptions synced;
  synced.sync = true;
  status = db->Put(synced, family, kSecretKey, secret);
  if (!status.ok()) return FromRocks(status, "write the page-token secret");
  return PageTokens(std::move(secret));
}

std::string PageTokens::Mac(absl::string_view after_key, absl::string_view query) const {
  // Length-prefixed, so that no (key, query) pair reads as another.
  return base::HmacSha256(secret_, absl::StrCat(query.size(), ":", query, after_key));
}

std::string PageTokens::Encode(absl::string_view after_key, absl::string_view query) const {
  storage::PageToken token;
  token.set_after_key(std::string(after_key));
  token.set_mac(Mac(after_key, query));
  return absl::WebSafeBase64Escape(token.SerializeAsString());
}

absl::StatusOr<std::string> PageTokens::Decode(absl::string_view text, absl::string_view query,
                                               absl::string_view lower,
                                               absl::string_view upper) const {
  if (text.empty()) return std::string();
  std::string bytes;
  storage::PageToken token;
  // A token is a key of at most a few hundred bytes and a MAC.
  if (text.size() > 4096 || !absl::WebSafeBase64Unescape(text, &bytes) ||
      !token.ParseFromString(bytes) || token.after_key().empty()) {
    return Refused("malformed page token", "is not a token this server gave out");
  }
  const std::string expected = Mac(token.after_key(), query);
  if (token.mac().size() != expected.size() ||
      CRYPTO_memcmp(token.mac().data(), expected.data(), expected.size()) != 0) {
    return Refused("page token refused",
                   "was not given for this listing (other filters, or altered); start again "
                   "without it");
  }
  absl::string_view key = token.after_key();
  if (key < lower || (!upper.empty() && key >= upper)) {
    return Refused("page token refused", "points outside this listing; start again without it");
  }
  return token.after_key();
}

}  // namespace jixiao::store
