#include "interval.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <numeric>
#include <optional>
#include <utility>

namespace jixiao::engine {
namespace {

// The range of a product or quotient: the least and greatest of its four
// corners.
void SetHull(Interval& result, mpq_class c1, mpq_class c2, mpq_class c3, mpq_class c4) {
  mpq_class* lowest = &c1;
  mpq_class* highest = &c1;
  for (mpq_class* c : {&c2, &c3, &c4}) {
    if (*c < *lowest) lowest = c;
    if (*c > *highest) highest = c;
  }
  result.lower = std::move(*lowest);
  result.upper = std::move(*highest);
}

// The bounds value ± half a unit in the last of `decimals` places, when
// everything fits in 64 bits: value = p/q with q dividing 10^decimals, so the
// bounds are (2·p·(10^decimals/q) ± 1) / (2·10^decimals). Most figures of a
// report take this path, which needs no GMP arithmetic; nullopt otherwise.
std::optional<std::pair<mpq_class, mpq_class>> SmallBounds(const mpq_class& value, int decimals) {
  const mpz_srcptr num = value.get_num_mpz_t();
  const mpz_srcptr den = value.get_den_mpz_t();
  if (decimals < 0 || decimals > 17 || !mpz_fits_slong_p(num) || !mpz_fits_ulong_p(den)) {
    return std::nullopt;
  }
  int64_t unit = 1;
  for (int i = 0; i < decimals; ++i) unit *= 10;
  const auto q = static_cast<int64_t>(mpz_get_ui(den));
  if (q <= 0 || unit % q != 0) return std::nullopt;
  int64_t twice;  // 2·p·(unit/q): the value in half units
  if (__builtin_mul_overflow(mpz_get_si(num), 2 * (unit / q), &twice) || twice == INT64_MIN ||
      twice == INT64_MAX) {
    return std::nullopt;
  }
  auto bound = [unit](int64_t half_units) {
    const auto divisor = static_cast<uint64_t>(2 * unit);
    const uint64_t common = std::gcd(static_cast<uint64_t>(std::abs(half_units)), divisor);
    mpq_class q;
    mpq_set_si(q.get_mpq_t(), half_units / static_cast<int64_t>(common), divisor / common);
    return q;
  };
  return std::make_pair(bound(twice - 1), bound(twice + 1));
}

}  // namespace

Interval Interval::Exact(const mpq_class& value) { return Interval{value, value, value, true}; }

Interval Interval::FromReported(const ReportedDecimal& figure) {
  if (std::optional<std::pair<mpq_class, mpq_class>> bounds =
          SmallBounds(figure.value, figure.decimals)) {
    return Interval{figure.value, std::move(bounds->first), std::move(bounds->second), true};
  }
  mpq_class half = HalfUnit(figure.decimals);
  return Interval{figure.value, figure.value - half, figure.value + half, true};
}

Interval Interval::Widened(const mpq_class& margin) const {
  Interval result = *this;
  result.lower -= margin;
  result.upper += margin;
  return result;
}

Interval operator+(const Interval& a, const Interval& b) {
  return Interval{a.value + b.value, a.lower + b.lower, a.upper + b.upper, a.bounded && b.bounded};
}

Interval operator-(const Interval& a, const Interval& b) {
  return Interval{a.value - b.value, a.lower - b.upper, a.upper - b.lower, a.bounded && b.bounded};
}

Interval operator-(const Interval& a) { return Interval{-a.value, -a.upper, -a.lower, a.bounded}; }

Interval operator*(const Interval& a, const Interval& b) {
  Interval result;
  result.value = a.value * b.value;
  result.bounded = a.bounded && b.bounded;
  if (!result.bounded) return result;
  if (sgn(a.lower) >= 0 && sgn(b.lower) >= 0) {
    // Both ranges non-negative, as money and rates are: no corner search.
    result.lower = a.lower * b.lower;
    result.upper = a.upper * b.upper;
  } else {
    SetHull(result, a.lower * b.lower, a.lower * b.upper, a.upper * b.lower, a.upper * b.upper);
  }
  return result;
}

Interval operator/(const Interval& a, const Interval& b) {
  Interval result;
  result.value = a.value / b.value;
  bool divisor_reaches_zero = !b.bounded || (sgn(b.lower) <= 0 && sgn(b.upper) >= 0);
  result.bounded = a.bounded && !divisor_reaches_zero;
  if (!result.bounded) return result;
  if (sgn(a.lower) >= 0 && sgn(b.lower) > 0) {
    result.lower = a.lower / b.upper;
    result.upper = a.upper / b.lower;
  } else {
    SetHull(result, a.lower / b.lower, a.lower / b.upper, a.upper / b.lower, a.upper / b.upper);
  }
  return result;
}

bool Overlaps(const Interval& a, const Interval& b) {
  if (!a.bounded || !b.bounded) return true;
  return a.lower <= b.upper && b.lower <= a.upper;
}

std::string DescribeRange(const Interval& interval, int decimals) {
  if (!interval.bounded) return "unbounded";
  return "[" + FormatFixed(interval.lower, decimals) + ", " +
         FormatFixed(interval.upper, decimals) + "]";
}

}  // namespace jixiao::engine
