// The files the services are started with in integration tests: who may
// call (--tokens) and what cards are signed with (--signing-keys).
//
//   WriteTokenFile(dir + "/tokens", {{"lh-token", "lh department LH-ZWFWSJGLJ"},
//                                    {"admin-token", "ops admin"}});
//   WriteSigningKeyFile(dir + "/keys");

#ifndef JIXIAO_TESTS_FIXTURES_H_
#define JIXIAO_TESTS_FIXTURES_H_

#include <fstream>
#include <string>
#include <vector>

#include "common/auth/tokens.h"

namespace jixiao::testing {

// One line of a token file: the bearer token a caller sends, and who that
// is: "NAME ROLE [DEPARTMENT]" ("wang reviewer").
struct Principal {
  std::string token;
  std::string who;
};

// Writes a token file as an operator does: each token's hash, then who.
inline void WriteTokenFile(const std::string& path, const std::vector<Principal>& principals) {
  std::ofstream file(path);
  for (const Principal& principal : principals) {
    file << auth::TokenHash(principal.token) << " " << principal.who << "\n";
  }
}

// Writes a signing key file holding one key, k1.
inline void WriteSigningKeyFile(const std::string& path) {
  std::ofstream(path) << "k1 " << std::string(64, 'a') << "\n";
}

}  // namespace jixiao::testing

#endif  // JIXIAO_TESTS_FIXTURES_H_
