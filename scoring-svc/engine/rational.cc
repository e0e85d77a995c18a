#include "scoring-svc/engine/rational.h"

#include <algorithm>
#include <climits>
#include <limits>
#include <numeric>
#include <utility>

#include "common/report/decimal.h"

namespace jixiao::engine {
namespace {

using I128 = __int128;
using U128 = unsigned __int128;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

U128 Magnitude(I128 value) { return value < 0 ? -static_cast<U128>(value) : value; }
uint64_t Magnitude(int64_t value) {
  return value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
}

int TrailingZeros(U128 value) {
  auto low = static_cast<uint64_t>(value);
  return low != 0 ? __builtin_ctzll(low) : 64 + __builtin_ctzll(static_cast<uint64_t>(value >> 64));
}

// Binary GCD; 64-bit when both fit, which is nearly always.
U128 Gcd(U128 a, U128 b) {
  if (a <= std::numeric_limits<uint64_t>::max() && b <= std::numeric_limits<uint64_t>::max()) {
    return std::gcd(static_cast<uint64_t>(a), static_cast<uint64_t>(b));
  }
  if (a == 0) return b;
  if (b == 0) return a;
  const int shift = TrailingZeros(a | b);
  a >>= TrailingZeros(a);
  do {
    b >>= TrailingZeros(b);
    if (a > b) std::swap(a, b);
    b -= a;
  } while (b != 0);
  return a << shift;
}

void SetMpz(mpz_ptr out, I128 value) {
  U128 magnitude = Magnitude(value);
  const uint64_t words[2] = {static_cast<uint64_t>(magnitude),
                             static_cast<uint64_t>(magnitude >> 64)};
  mpz_import(out, 2, -1, sizeof(uint64_t), 0, 0, words);
  if (value < 0) mpz_neg(out, out);
}

}  // namespace

Rational::Rational(long long value) : num_(value) {
  if (value == std::numeric_limits<long long>::min()) {
    num_ = 0;
    big_ = std::make_unique<mpq_class>(static_cast<signed long>(value));
  }
}

Rational::Rational(const mpq_class& value) : Rational(FromMpq(value)) {}

Rational Rational::Fraction(int64_t numerator, int64_t denominator) {
  return Normalized(numerator, denominator);
}

Rational::Rational(const Rational& other) : num_(other.num_), den_(other.den_) {
  if (other.big_) big_ = std::make_unique<mpq_class>(*other.big_);
}

Rational& Rational::operator=(const Rational& other) {
  if (this == &other) return *this;
  num_ = other.num_;
  den_ = other.den_;
  if (other.big_) {
    big_ = std::make_unique<mpq_class>(*other.big_);
  } else {
    big_.reset();
  }
  return *this;
}

Rational Rational::Normalized(I128 numerator, I128 denominator) {
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const U128 common = Gcd(Magnitude(numerator), static_cast<U128>(denominator));
  if (common > 1) {
    numerator /= static_cast<I128>(common);
    denominator /= static_cast<I128>(common);
  }
  Rational result;
  if (Magnitude(numerator) <= static_cast<U128>(kMax) && denominator <= kMax) {
    result.num_ = static_cast<int64_t>(numerator);
    result.den_ = static_cast<int64_t>(denominator);
    return result;
  }
  result.big_ = std::make_unique<mpq_class>();
  SetMpz(mpq_numref(result.big_->get_mpq_t()), numerator);
  SetMpz(mpq_denref(result.big_->get_mpq_t()), denominator);
  return result;
}

Rational Rational::FromMpq(mpq_class value) {
  value.canonicalize();
  mpz_srcptr num = value.get_num_mpz_t();
  mpz_srcptr den = value.get_den_mpz_t();
  Rational result;
  if (mpz_fits_slong_p(num) && mpz_fits_slong_p(den) && mpz_get_si(num) != LONG_MIN) {
    result.num_ = mpz_get_si(num);
    result.den_ = mpz_get_si(den);
    return result;
  }
  result.big_ = std::make_unique<mpq_class>(std::move(value));
  return result;
}

mpq_class Rational::mpq() const {
  if (big_) return *big_;
  mpq_class result;
  mpq_set_si(result.get_mpq_t(), num_, static_cast<unsigned long>(den_));
  return result;
}

int Rational::sign() const {
  if (big_) return sgn(*big_);
  return (num_ > 0) - (num_ < 0);
}

size_t Rational::bits() const {
  if (big_) {
    return std::max(mpz_sizeinbase(big_->get_num_mpz_t(), 2),
                    mpz_sizeinbase(big_->get_den_mpz_t(), 2));
  }
  const uint64_t larger = std::max(Magnitude(num_), static_cast<uint64_t>(den_));
  return larger == 0 ? 1 : 64 - __builtin_clzll(larger);
}

Rational Rational::RoundedHalfUp(int decimals) const {
  if (small() && decimals >= 0 && decimals <= report::kMaxSmallPowerOfTen) {
    // |num| * 10^d < 2^63 * 2^60: doubled and added to den, below 2^128.
    const U128 scaled = static_cast<U128>(Magnitude(num_)) * report::kSmallPowersOfTen[decimals];
    const U128 den = static_cast<U128>(den_);
    const auto rounded = static_cast<I128>((2 * scaled + den) / (2 * den));
    return Normalized(num_ < 0 ? -rounded : rounded, report::kSmallPowersOfTen[decimals]);
  }
  return FromMpq(report::RoundHalfUp(mpq(), decimals));
}

Rational operator+(const Rational& a, const Rational& b) {
  if (a.small() && b.small()) {
    if (a.den_ == b.den_) return Rational::Normalized(static_cast<I128>(a.num_) + b.num_, a.den_);
    return Rational::Normalized(
        static_cast<I128>(a.num_) * b.den_ + static_cast<I128>(b.num_) * a.den_,
        static_cast<I128>(a.den_) * b.den_);
  }
  return Rational::FromMpq(a.mpq() + b.mpq());
}

Rational operator-(const Rational& a, const Rational& b) { return a + (-b); }

Rational operator-(const Rational& a) {
  if (a.small()) {
    Rational result;
    result.num_ = -a.num_;
    result.den_ = a.den_;
    return result;
  }
  return Rational::FromMpq(-*a.big_);
}

Rational operator*(const Rational& a, const Rational& b) {
  if (a.small() && b.small()) {
    // Cancelling across first keeps the result in lowest terms.
    const int64_t g1 =
        static_cast<int64_t>(std::gcd(Magnitude(a.num_), static_cast<uint64_t>(b.den_)));
    const int64_t g2 =
        static_cast<int64_t>(std::gcd(Magnitude(b.num_), static_cast<uint64_t>(a.den_)));
    return Rational::Normalized(static_cast<I128>(a.num_ / g1) * (b.num_ / g2),
                                static_cast<I128>(a.den_ / g2) * (b.den_ / g1));
  }
  return Rational::FromMpq(a.mpq() * b.mpq());
}

Rational operator/(const Rational& a, const Rational& b) {
  if (b.small()) {
    Rational inverse;
    inverse.num_ = b.num_ < 0 ? -b.den_ : b.den_;
    inverse.den_ = b.num_ < 0 ? -b.num_ : b.num_;
    return a * inverse;
  }
  return Rational::FromMpq(a.mpq() / b.mpq());
}

int Compare(const Rational& a, const Rational& b) {
  if (a.small() && b.small()) {
    const I128 left = static_cast<I128>(a.num_) * b.den_;
    const I128 right = static_cast<I128>(b.num_) * a.den_;
    return (left > right) - (left < right);
  }
  return cmp(a.mpq(), b.mpq());
}

std::ostream& operator<<(std::ostream& out, const Rational& value) {
  return out << value.mpq().get_str();
}

}  // namespace jixiao::engine
