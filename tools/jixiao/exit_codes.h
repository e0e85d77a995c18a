// The jixiao CLI's exit codes. When several files are processed, the
// highest code applies, so a larger number is always the more serious.

#ifndef JIXIAO_TOOLS_JIXIAO_EXIT_CODES_H_
#define JIXIAO_TOOLS_JIXIAO_EXIT_CODES_H_

namespace jixiao::cli {

enum ExitCode : int {
  kOk = 0,             // done; no finding of error severity
  kFailure = 1,        // anything else went wrong
  kUsage = 2,          // the command line is wrong
  kErrorFindings = 3,  // scored or validated, but figures contradict each other
  kInvalidInput = 4,   // a request was refused: malformed, unknown, stale, not allowed now,
                       // or not allowed to this caller
  kUnreachable = 5,    // a service could not be reached in time
};

inline constexpr char kExitCodeHelp[] =
    "Exit codes: 0 ok; 1 other failure; 2 bad command line; 3 findings of error severity "
    "(figures contradict each other); 4 request refused (malformed input, unknown scheme or "
    "report, stale revision, illegal status change, missing or insufficient credentials); "
    "5 service unreachable. With several files the highest code applies.";

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_EXIT_CODES_H_
