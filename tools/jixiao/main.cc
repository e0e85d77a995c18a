// jixiao: the command-line client for Jixiao.
//
//   jixiao score examples/longhua-2019.json                 # offline
//   jixiao score --scoring 127.0.0.1:50051 report.json      # on scoring-svc
//   jixiao validate report.json

#include <iostream>

#include "CLI/CLI.hpp"
#include "exit_codes.h"
#include "scoring_commands.h"

int main(int argc, char** argv) {
  using namespace jixiao::cli;
  CLI::App app{
      "jixiao: score, check and keep department overall-expenditure performance "
      "self-evaluations (部门整体支出绩效自评).\n"
      "Reports are JSON files in the protobuf JSON mapping of jixiao.v1.Report "
      "(see examples/longhua-2019.json); money in 万元, rates in percent.",
      "jixiao"};
  app.footer(kExitCodeHelp);
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand

  GlobalOptions global;
  app.add_option("--scoring", global.scoring,
                 "scoring-svc address (host:port); without it, score and validate run offline "
                 "with the built-in engine")
      ->envname("JIXIAO_SCORING");
  app.add_option("--output,-o", global.output, "table (for people) or json (for scripts)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app.add_option("--timeout", global.timeout_seconds, "seconds a service call may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  ScoringArgs scoring;
  auto add_scoring_args = [&scoring](CLI::App* command) {
    command->add_option("files", scoring.files, "report JSON files; - reads standard input")
        ->required();
    command->add_option("--scheme", scoring.scheme,
                        "a scheme file (.textproto), or id[@version] of a scheme the service "
                        "holds (default: the built-in dept-overall)");
  };
  CLI::App* score = app.add_subcommand(
      "score",
      "compute every indicator, score, grade and finding of reports, and print the score card");
  add_scoring_args(score);
  score->add_flag("--stream", scoring.stream,
                  "with --scoring, send the reports on one ScoreStream call (the default for "
                  "several files)");
  CLI::App* validate = app.add_subcommand(
      "validate",
      "check reports' figures against each other and print the findings, without scores");
  add_scoring_args(validate);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  }
  if (score->parsed()) return RunScore(global, scoring);
  if (validate->parsed()) return RunValidate(global, scoring);
  return kUsage;
}
