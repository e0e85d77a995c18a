// Fuzzes page-token decoding: any text a client sends as a page_token must
// be refused with INVALID_ARGUMENT or decode to a key inside the range asked
// for, and a token the store made must decode to its own key.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "storage-svc/store/page_tokens.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const jixiao::store::PageTokens tokens(std::string(32, 's'));
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto decoded = tokens.Decode(text, "list|2019||0", "m", "n");
  if (decoded.ok()) {
    if (!text.empty() && (*decoded < "m" || *decoded >= "n")) std::abort();
  } else if (!absl::IsInvalidArgument(decoded.status())) {
    std::abort();
  }
  // The same bytes as a position: what the store gives out, it takes back.
  // (The store's keys are a few hundred bytes at most: a department code of
  // 64 and a few integers; tokens of longer ones are refused as oversized.)
  if (text.size() > 512) return 0;
  const std::string key = "m" + text;
  auto round = tokens.Decode(tokens.Encode(key, "q"), "q", "m", "n");
  if (!round.ok() || *round != key) std::abort();
  return 0;
}
