#include "scoring-svc/server/scheme_cache.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace jixiao::scoring {
namespace {

v1::Scheme Named(int version) {
  v1::Scheme scheme = engine::DefaultScheme()->proto();
  scheme.set_version(version);
  return scheme;
}

TEST(SchemeCache, CompilesEachSchemeOnceAndDropsTheLeastRecentlyUsed) {
  SchemeCache cache(2);
  auto first = cache.Compile(Named(1));
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = cache.Compile(Named(1));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->get(), again->get());  // the same compiled scheme
  EXPECT_EQ(cache.stats().hits, 1);
  EXPECT_EQ(cache.stats().misses, 1);

  ASSERT_TRUE(cache.Compile(Named(2)).ok());
  ASSERT_TRUE(cache.Compile(Named(1)).ok());  // 1 is now the most recent
  ASSERT_TRUE(cache.Compile(Named(3)).ok());  // drops 2
  EXPECT_EQ(cache.stats().entries, 2u);
  EXPECT_EQ(cache.stats().hits, 2);
  EXPECT_EQ(cache.stats().misses, 3);
  auto one = cache.Compile(Named(1));
  EXPECT_EQ(cache.stats().hits, 3);
  ASSERT_TRUE(cache.Compile(Named(2)).ok());
  EXPECT_EQ(cache.stats().misses, 4);
  EXPECT_EQ((*one)->version(), 1);
}

// Counted by entries alone, 64 schemes of 3 MiB each would be held whole:
// the cache also keeps within a budget of bytes.
TEST(SchemeCache, KeepsWithinItsBytes) {
  SchemeCache cache(64);
  for (int i = 1; i <= 30; ++i) {
    v1::Scheme large = Named(i);
    large.set_description(std::string(3 << 20, 'x'));
    ASSERT_TRUE(cache.Compile(large).ok()) << i;
  }
  EXPECT_LE(cache.stats().entries * (3u << 20), SchemeCache::kMaxCachedBytes);
  EXPECT_GE(cache.stats().entries, 1u);
  // A scheme over the engine's limit is refused, not compiled.
  v1::Scheme huge = Named(99);
  huge.set_description(std::string(5 << 20, 'x'));
  auto refused = cache.Compile(huge);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), ::testing::HasSubstr("at most"));
}

TEST(SchemeCache, KeepsNoSchemeThatFailsToCompile) {
  SchemeCache cache(4);
  v1::Scheme broken = Named(1);
  broken.clear_id();
  EXPECT_FALSE(cache.Compile(broken).ok());
  EXPECT_FALSE(cache.Compile(broken).ok());
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.stats().misses, 2);
  EXPECT_EQ(cache.stats().hits, 0);
}

TEST(SchemeCache, SizeZeroCompilesEveryTime) {
  SchemeCache cache(0);
  auto first = cache.Compile(Named(1));
  auto second = cache.Compile(Named(1));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->get(), second->get());
  EXPECT_EQ(cache.stats().misses, 2);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(SchemeCache, MetricsAreCountersAndAGauge) {
  SchemeCache cache(4);
  ASSERT_TRUE(cache.Compile(Named(1)).ok());
  ASSERT_TRUE(cache.Compile(Named(1)).ok());
  std::string text = cache.MetricsText();
  EXPECT_NE(text.find("# TYPE jixiao_scheme_cache_hits_total counter\n"
                      "jixiao_scheme_cache_hits_total 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("jixiao_scheme_cache_misses_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE jixiao_scheme_cache_entries gauge\njixiao_scheme_cache_entries 1\n"),
            std::string::npos);
}

}  // namespace
}  // namespace jixiao::scoring
