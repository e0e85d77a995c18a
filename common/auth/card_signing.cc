#include "common/auth/card_signing.h"

#include <openssl/crypto.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/auth/records_file.h"
#include "common/base/files.h"
#include "common/base/sha256.h"
#include "common/report/deterministic.h"
#include "common/report/field_violations.h"

namespace jixiao::auth {
namespace {

// A card scored without last year's report signs exactly what cards signed
// before there were prior reports: its stored signatures still hold.
std::string Hmac(const std::string& key, const v1::ScoreCard& card, const std::string& digest,
                 const std::string& prior_digest) {
  v1::ScoreCard unsigned_card = card;
  unsigned_card.clear_signature();
  unsigned_card.clear_saved_time();  // the store's, set after signing
  return base::HmacSha256(key, report::DeterministicBytes(unsigned_card) + digest + prior_digest);
}

absl::Status Refused(absl::string_view why) {
  return report::InvalidArgumentWithViolations(absl::StrCat("score card refused: ", why),
                                               {{"card.signature", std::string(why)}});
}

}  // namespace

std::string ReportDigest(const v1::Report& report) { return report::DeterministicDigest(report); }

absl::StatusOr<SigningKeys> SigningKeys::Load(const std::string& path) {
  auto text = base::ReadFile(path, "signing key file");
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

absl::StatusOr<SigningKeys> SigningKeys::Parse(absl::string_view text, absl::string_view source) {
  SigningKeys keys;
  absl::Status status = ForEachRecord(text, source, [&keys](const auto& fields) {
    auto bad = [](absl::string_view why) { return absl::InvalidArgumentError(why); };
    if (fields.size() != 2) return bad("expected: key-id secret-in-hex");
    if (fields[1].size() % 2 != 0 ||
        fields[1].find_first_not_of("0123456789abcdefABCDEF") != absl::string_view::npos) {
      return bad("the secret must be hexadecimal");
    }
    std::string secret = absl::HexStringToBytes(fields[1]);
    if (secret.size() < 32) return bad("the secret must be at least 32 bytes (64 hex digits)");
    for (const auto& [id, unused] : keys.keys_) {
      if (id == fields[0]) return bad(absl::StrCat("key id ", fields[0], " appears twice"));
    }
    keys.keys_.emplace_back(std::string(fields[0]), std::move(secret));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (keys.keys_.empty()) return absl::InvalidArgumentError(absl::StrCat(source, ": no keys"));
  return keys;
}

void SigningKeys::Sign(const v1::Report& report, const v1::Report* prior,
                       v1::ScoreCard& card) const {
  const auto& [id, secret] = keys_.front();
  std::string digest = ReportDigest(report);
  std::string prior_digest = prior == nullptr ? "" : ReportDigest(*prior);
  card.clear_signature();
  std::string hmac = Hmac(secret, card, digest, prior_digest);
  v1::CardSignature& signature = *card.mutable_signature();
  signature.set_key_id(id);
  signature.set_report_sha256(digest);
  signature.set_prior_report_sha256(prior_digest);
  signature.set_hmac(hmac);
}

absl::Status SigningKeys::Verify(const v1::Report& report, const v1::Report* prior,
                                 const v1::ScoreCard& card) const {
  if (!card.has_signature()) return Refused("it is not signed by scoring-svc");
  const v1::CardSignature& signature = card.signature();
  const std::string* secret = nullptr;
  for (const auto& [id, key] : keys_) {
    if (id == signature.key_id()) secret = &key;
  }
  if (secret == nullptr)
    return Refused(absl::StrCat("unknown signing key \"", signature.key_id(), "\""));
  std::string digest = ReportDigest(report);
  if (signature.report_sha256() != digest) {
    return Refused("it was computed from another version of the report than the revision it names");
  }
  std::string prior_digest = prior == nullptr ? "" : ReportDigest(*prior);
  if (signature.prior_report_sha256() != prior_digest) {
    return Refused(prior == nullptr
                       ? "it was scored with a last-year report it does not name"
                       : "it was computed from another version of last year's report than the "
                         "revision it names");
  }
  std::string expected = Hmac(*secret, card, digest, prior_digest);
  if (signature.hmac().size() != expected.size() ||
      CRYPTO_memcmp(signature.hmac().data(), expected.data(), expected.size()) != 0) {
    return Refused("its signature does not match its contents");
  }
  return absl::OkStatus();
}

}  // namespace jixiao::auth
