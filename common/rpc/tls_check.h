// Checks of a server's TLS files before they are handed to gRPC, so that a
// configuration mistake is told as what it is (and exits 2, which systemd
// does not restart in a loop) instead of a bare "cannot listen".

#ifndef JIXIAO_COMMON_RPC_TLS_CHECK_H_
#define JIXIAO_COMMON_RPC_TLS_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace jixiao::rpc {

// OK if `cert_pem` holds a PEM certificate (the first of a chain) and
// `key_pem` the private key of that certificate; INVALID_ARGUMENT naming
// --tls-cert or --tls-key and what is wrong otherwise. Adds to `warnings`
// what still lets the server start but clients will refuse: a certificate
// expired or not yet valid at `now`, or expiring within 30 days.
absl::Status CheckCertificateAndKey(const std::string& cert_pem, const std::string& key_pem,
                                    absl::Time now, std::vector<std::string>* warnings);

// OK if `pem` holds at least one PEM certificate (a CA to trust: the
// services' --tls-client-ca); INVALID_ARGUMENT naming `flag` otherwise.
absl::Status CheckCertificates(const std::string& pem, const std::string& flag);

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_TLS_CHECK_H_
