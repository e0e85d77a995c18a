// Running another program as a child process, bounded: converters
// (pandoc, pdftotext) and the browser that prints PDF.
//
//   auto text = base::RunChild({"pdftotext", "-layout", path, "-"}, {});
//   if (!text.ok()) ...  // text.status().message(): why, in a few words
//
// The program is looked up on PATH; its standard input is /dev/null; it
// gets a wall-clock deadline, a CPU-time limit and an address-space limit
// (setrlimit), and is killed when it runs past the deadline or prints more
// than the cap.

#ifndef JIXIAO_COMMON_BASE_CHILD_PROCESS_H_
#define JIXIAO_COMMON_BASE_CHILD_PROCESS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace jixiao::base {

struct ChildLimits {
  int max_seconds = 60;                 // wall clock, and CPU time
  size_t max_memory = size_t{2} << 30;  // address space; 0: unlimited (a browser)
  size_t max_output = size_t{8} << 20;  // bytes of standard output kept
};

// What argv[0] printed on standard output, if it exited 0. Errors, each
// message the reason alone:
//   NOT_FOUND "not installed" when argv[0] is not on PATH;
//   RESOURCE_EXHAUSTED "did not finish within N s", "printed more than N
//     bytes", "stopped by signal N (its time limit|possibly its memory limit)";
//   ABORTED with what it wrote on standard error (or "exit status N") when
//     it failed.
absl::StatusOr<std::string> RunChild(const std::vector<std::string>& argv,
                                     const ChildLimits& limits);

// The path of `program` on PATH, or "".
std::string FindProgram(const std::string& program);

}  // namespace jixiao::base

#endif  // JIXIAO_COMMON_BASE_CHILD_PROCESS_H_
