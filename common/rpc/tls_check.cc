#include "common/rpc/tls_check.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>

#include "absl/strings/str_cat.h"

namespace jixiao::rpc {
namespace {

struct Free {
  void operator()(BIO* b) const { BIO_free(b); }
  void operator()(X509* x) const { X509_free(x); }
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

std::unique_ptr<BIO, Free> Memory(const std::string& pem) {
  return std::unique_ptr<BIO, Free>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// An ASN.1 time as "2026-12-01 07:15 UTC".
std::string Text(const ASN1_TIME* time) {
  struct tm parts = {};
  if (ASN1_TIME_to_tm(time, &parts) != 1) return "an unreadable date";
  char out[32];
  std::strftime(out, sizeof(out), "%Y-%m-%d %H:%M UTC", &parts);
  return out;
}

}  // namespace

absl::Status CheckCertificateAndKey(const std::string& cert_pem, const std::string& key_pem,
                                    absl::Time now, std::vector<std::string>* warnings) {
  std::unique_ptr<X509, Free> cert(
      PEM_read_bio_X509(Memory(cert_pem).get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return absl::InvalidArgumentError("--tls-cert holds no PEM certificate");
  }
  std::unique_ptr<EVP_PKEY, Free> key(
      PEM_read_bio_PrivateKey(Memory(key_pem).get(), nullptr, nullptr, nullptr));
  if (!key) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        "--tls-key holds no PEM private key (or one protected by a passphrase, which the "
        "services cannot ask for)");
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        "--tls-key is not the private key of --tls-cert's certificate: give the key the "
        "certificate was issued for");
  }
  time_t at = absl::ToTimeT(now);
  if (X509_cmp_time(X509_get0_notAfter(cert.get()), &at) < 0) {
    warnings->push_back(absl::StrCat("WARNING: --tls-cert's certificate expired on ",
                                     Text(X509_get0_notAfter(cert.get())),
                                     "; clients will refuse it until it is renewed"));
  } else if (X509_cmp_time(X509_get0_notBefore(cert.get()), &at) > 0) {
    warnings->push_back(absl::StrCat("WARNING: --tls-cert's certificate is not valid before ",
                                     Text(X509_get0_notBefore(cert.get())),
                                     "; clients will refuse it until then (is the clock right?)"));
  } else {
    time_t soon = absl::ToTimeT(now + absl::Hours(24 * 30));
    if (X509_cmp_time(X509_get0_notAfter(cert.get()), &soon) < 0) {
      warnings->push_back(absl::StrCat("WARNING: --tls-cert's certificate expires on ",
                                       Text(X509_get0_notAfter(cert.get())), "; renew it"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckCertificates(const std::string& pem, const std::string& flag) {
  std::unique_ptr<X509, Free> cert(PEM_read_bio_X509(Memory(pem).get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (cert) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(flag, " holds no PEM certificate", pem.empty() ? " (the file is empty)" : ""));
}

}  // namespace jixiao::rpc
