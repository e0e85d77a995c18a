// Golden files: outputs reviewed once and kept in the tree, so that any
// change to them shows up in review as a diff of the file.
//
//   ExpectGolden(output, SourcePath("tests/golden/seed_card.json"));
//
// With JIXIAO_UPDATE_GOLDEN=1 in the environment the file is rewritten with
// the output instead (and the test says so): run the tests that way, read
// `git diff tests/golden`, and commit what is right.

#ifndef JIXIAO_TESTS_GOLDEN_H_
#define JIXIAO_TESTS_GOLDEN_H_

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "common/base/files.h"
#include "gtest/gtest.h"

namespace jixiao::testing {

inline void ExpectGolden(const std::string& actual, const std::string& path) {
  if (const char* update = std::getenv("JIXIAO_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary) << actual;
    std::cerr << "rewrote golden file " << path << "\n";
    return;
  }
  absl::StatusOr<std::string> expected = base::ReadFile(path, "golden file");
  ASSERT_TRUE(expected.ok()) << expected.status().message()
                             << ": run with JIXIAO_UPDATE_GOLDEN=1 to write it, then review it";
  if (*expected == actual) return;
  // The first line that differs, to start from; the whole diff is one
  // JIXIAO_UPDATE_GOLDEN=1 run and `git diff` away.
  std::istringstream want(*expected), got(actual);
  std::string want_line, got_line;
  int line = 1;
  while (std::getline(want, want_line) && std::getline(got, got_line) && want_line == got_line) {
    ++line;
  }
  ADD_FAILURE() << "output differs from " << path << " first at line " << line << ":\n  golden: "
                << want_line << "\n  now:    " << got_line
                << "\nIf the change is right, run with JIXIAO_UPDATE_GOLDEN=1 and review "
                   "`git diff` of the file.";
}

}  // namespace jixiao::testing

#endif  // JIXIAO_TESTS_GOLDEN_H_
