#include "common/rpc/tls_check.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jixiao::rpc {
namespace {

using ::testing::HasSubstr;

std::string KeyPem(EVP_PKEY* key) {
  BIO* out = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(out, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(out);
  return pem;
}

// A self-signed certificate of `key`, valid from `from` to `to` seconds
// from now.
std::string CertPem(EVP_PKEY* key, long from, long to) {
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), from);
  X509_gmtime_adj(X509_getm_notAfter(cert), to);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  BIO* out = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(out, cert);
  char* data = nullptr;
  long size = BIO_get_mem_data(out, &data);
  std::string pem(data, static_cast<size_t>(size));
  BIO_free(out);
  X509_free(cert);
  return pem;
}

class TlsCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = EVP_EC_gen("P-256");
    other_ = EVP_EC_gen("P-256");
    ASSERT_NE(key_, nullptr);
    ASSERT_NE(other_, nullptr);
  }
  void TearDown() override {
    EVP_PKEY_free(key_);
    EVP_PKEY_free(other_);
  }
  absl::Status Check(const std::string& cert, const std::string& key) {
    warnings_.clear();
    return CheckCertificateAndKey(cert, key, absl::Now(), &warnings_);
  }
  static constexpr long kDay = 24 * 3600;
  EVP_PKEY* key_ = nullptr;
  EVP_PKEY* other_ = nullptr;
  std::vector<std::string> warnings_;
};

TEST_F(TlsCheck, AMatchingPairInDatePasses) {
  EXPECT_TRUE(Check(CertPem(key_, -kDay, 365 * kDay), KeyPem(key_)).ok());
  EXPECT_THAT(warnings_, ::testing::IsEmpty());
}

TEST_F(TlsCheck, AKeyOfAnotherCertificateIsRefused) {
  absl::Status status = Check(CertPem(key_, -kDay, 365 * kDay), KeyPem(other_));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("--tls-key is not the private key"));
}

TEST_F(TlsCheck, FilesThatHoldNoPemAreRefused) {
  const std::string cert = CertPem(key_, -kDay, 365 * kDay), key = KeyPem(key_);
  EXPECT_THAT(std::string(Check("not a certificate", key).message()),
              HasSubstr("--tls-cert holds no PEM certificate"));
  EXPECT_THAT(std::string(Check(cert, cert).message()), HasSubstr("--tls-key holds no PEM"));
  EXPECT_THAT(std::string(Check(key, key).message()), HasSubstr("--tls-cert"));
}

TEST_F(TlsCheck, DatesClientsWillRefuseAreWarnedAbout) {
  EXPECT_TRUE(Check(CertPem(key_, -30 * kDay, -kDay), KeyPem(key_)).ok());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("expired on"));
  EXPECT_TRUE(Check(CertPem(key_, kDay, 30 * kDay), KeyPem(key_)).ok());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("not valid before"));
  EXPECT_TRUE(Check(CertPem(key_, -kDay, 10 * kDay), KeyPem(key_)).ok());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("expires on"));
}

TEST_F(TlsCheck, AClientCaFileMustHoldACertificate) {
  EXPECT_TRUE(CheckCertificates(CertPem(key_, -kDay, kDay), "--tls-client-ca").ok());
  EXPECT_THAT(std::string(CheckCertificates(KeyPem(key_), "--tls-client-ca").message()),
              HasSubstr("--tls-client-ca holds no PEM certificate"));
  EXPECT_THAT(std::string(CheckCertificates("", "--tls-client-ca").message()),
              HasSubstr("the file is empty"));
}

}  // namespace
}  // namespace jixiao::rpc
