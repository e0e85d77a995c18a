// Exact rationals that cost what machine integers cost while they are small.
//
// Nearly every value a formula computes from a report's figures, and every
// end of its rounding range, is a fraction whose numerator and denominator
// fit in 64 bits: "88.53" is 8853/100, a rate is a quotient of two such. A
// Rational holds those as two int64s, in lowest terms, and computes with
// them in 128-bit integers, without allocating; a result that does not fit
// moves to GMP (mpq_class) and back as soon as it fits again. Either way the
// value is exact: the representation is never visible in a result.

#ifndef JIXIAO_SCORING_SVC_ENGINE_RATIONAL_H_
#define JIXIAO_SCORING_SVC_ENGINE_RATIONAL_H_

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>

namespace jixiao::engine {

class Rational {
 public:
  Rational() = default;
  Rational(int value) : Rational(static_cast<long long>(value)) {}   // NOLINT: a number
  Rational(long value) : Rational(static_cast<long long>(value)) {}  // NOLINT
  Rational(long long value);                                         // NOLINT
  Rational(const mpq_class& value);                                  // NOLINT: the same number
  // numerator / denominator; denominator != 0.
  static Rational Fraction(int64_t numerator, int64_t denominator);

  Rational(const Rational& other);
  Rational& operator=(const Rational& other);
  Rational(Rational&&) noexcept = default;
  Rational& operator=(Rational&&) noexcept = default;

  mpq_class mpq() const;
  int sign() const;
  // The binary digits of the larger of numerator and denominator.
  size_t bits() const;
  // Rounded half away from zero (四舍五入) to `decimals` decimals, as
  // report::RoundHalfUp rounds.
  Rational RoundedHalfUp(int decimals) const;

  friend Rational operator+(const Rational& a, const Rational& b);
  friend Rational operator-(const Rational& a, const Rational& b);
  friend Rational operator*(const Rational& a, const Rational& b);
  // Requires b != 0.
  friend Rational operator/(const Rational& a, const Rational& b);
  friend Rational operator-(const Rational& a);
  Rational& operator+=(const Rational& b) { return *this = *this + b; }
  Rational& operator-=(const Rational& b) { return *this = *this - b; }

  friend int Compare(const Rational& a, const Rational& b);
  friend bool operator==(const Rational& a, const Rational& b) { return Compare(a, b) == 0; }
  friend bool operator!=(const Rational& a, const Rational& b) { return Compare(a, b) != 0; }
  friend bool operator<(const Rational& a, const Rational& b) { return Compare(a, b) < 0; }
  friend bool operator<=(const Rational& a, const Rational& b) { return Compare(a, b) <= 0; }
  friend bool operator>(const Rational& a, const Rational& b) { return Compare(a, b) > 0; }
  friend bool operator>=(const Rational& a, const Rational& b) { return Compare(a, b) >= 0; }
  friend std::ostream& operator<<(std::ostream& out, const Rational& value);

 private:
  using I128 = __int128;
  // A reduced numerator / denominator (denominator > 0), small if it fits.
  static Rational Normalized(I128 numerator, I128 denominator);
  static Rational FromMpq(mpq_class value);  // canonical; small if it fits
  bool small() const { return big_ == nullptr; }

  // While small: num_ / den_ in lowest terms, den_ > 0, and |num_| and den_
  // at most INT64_MAX (so that negation never overflows).
  int64_t num_ = 0;
  int64_t den_ = 1;
  std::unique_ptr<mpq_class> big_;  // set when the value does not fit
};

}  // namespace jixiao::engine

#endif  // JIXIAO_SCORING_SVC_ENGINE_RATIONAL_H_
