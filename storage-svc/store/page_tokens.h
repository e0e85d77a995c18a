// Page tokens: where a listing's previous page ended.
//
// A token is given out with a page and sent back for the next one. It
// binds three things under an HMAC-SHA256 with a secret only the store
// knows: the key the previous page ended at, and the query (every filter
// of the listing) it was given for. A token that was altered, made up, or
// given for another query is refused, so a client can neither invent a
// position nor carry one from a listing it may make into one it may not.
//
// The position is also checked against the range the query scans: even a
// token that verifies is used only if its key lies inside that range, so a
// scan never leaves the caller's query whatever the token says (defence in
// depth: a leaked secret still gives nothing beyond the caller's own rows).
//
// The secret is created at random when a store is first opened and kept in
// the store itself, so tokens survive restarts and a restored backup.
//
// Thread-safe: immutable after construction.

#ifndef JIXIAO_STORAGE_SVC_STORE_PAGE_TOKENS_H_
#define JIXIAO_STORAGE_SVC_STORE_PAGE_TOKENS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace jixiao::store {

class PageTokens {
 public:
  // Reads the store's token secret from `family`, creating it (a synced
  // write) the first time. A store opened read-only (a full disk) that has
  // no secret yet, or no `family` (null: written before it existed), gets a
  // secret of its own until the next start: its tokens then do not survive
  // a restart. INTERNAL if the secret cannot be read or written.
  static absl::StatusOr<PageTokens> Open(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
                                         bool read_only);

  explicit PageTokens(std::string secret) : secret_(std::move(secret)) {}

  // The token for a page of `query` that ended at `after_key`.
  std::string Encode(absl::string_view after_key, absl::string_view query) const;

  // The key to resume after: "" for an empty token (a first page). The key
  // lies within [lower, upper) ("" for `upper`: no end). INVALID_ARGUMENT
  // naming page_token if the token is malformed, was not given by this
  // store, belongs to another query, or points outside that range.
  absl::StatusOr<std::string> Decode(absl::string_view token, absl::string_view query,
                                     absl::string_view lower, absl::string_view upper) const;

 private:
  std::string Mac(absl::string_view after_key, absl::string_view query) const;

  std::string secret_;
};

}  // namespace jixiao::store

#endif  // JIXIAO_STORAGE_SVC_STORE_PAGE_TOKENS_H_
