// jixiao: the command-line client for Jixiao.
//
//   jixiao score examples/longhua-2019.json                 # offline
//   jixiao --scoring 127.0.0.1:50051 score report.json      # on scoring-svc
//   jixiao --storage 127.0.0.1:50052 submit *.json          # into storage-svc
//   jixiao list --year 2019

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "CLI/CLI.hpp"
#include "exit_codes.h"
#include "render_commands.h"
#include "scoring_commands.h"
#include "storage_commands.h"

namespace {

std::string DefaultAuthor() {
  const char* user = std::getenv("USER");
  if (user && *user) return user;
  const passwd* entry = getpwuid(getuid());
  return entry && entry->pw_name ? entry->pw_name : "anonymous";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace jixiao::cli;
  CLI::App app{
      "jixiao: score, check and keep department overall-expenditure performance "
      "self-evaluations (部门整体支出绩效自评).\n"
      "Reports are JSON files in the protobuf JSON mapping of jixiao.v1.Report "
      "(see examples/longhua-2019.json); money in 万元, rates in percent. A stored report is "
      "named DEPT/YEAR, or DEPT/YEAR@REVISION for one revision.",
      "jixiao"};
  app.footer(kExitCodeHelp);
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand

  GlobalOptions global;
  global.client.author = DefaultAuthor();
  app.add_option("--scoring", global.client.scoring,
                 "scoring-svc address (host:port), several separated by commas, or a gRPC name "
                 "such as dns:///scoring:50051; calls are spread round-robin over every "
                 "address. Without it, score and validate run offline with the built-in engine")
      ->envname("JIXIAO_SCORING");
  app.add_option("--storage", global.client.storage, "storage-svc address (host:port)")
      ->envname("JIXIAO_STORAGE");
  app.add_option("--as", global.client.author, "author recorded with writes (default: $USER)")
      ->envname("JIXIAO_AUTHOR");
  std::string token_file;
  app.add_option("--token-file", token_file,
                 "file holding the bearer token (default: the JIXIAO_TOKEN environment variable; "
                 "a token is never taken from the command line)")
      ->envname("JIXIAO_TOKEN_FILE")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-ca", global.client.tls_ca,
                 "PEM CA to verify the services with: connect over TLS (default: plaintext)")
      ->envname("JIXIAO_TLS_CA")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-cert", global.client.tls_cert, "PEM client certificate, for mutual TLS")
      ->envname("JIXIAO_TLS_CERT")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", global.client.tls_key, "PEM private key of --tls-cert")
      ->envname("JIXIAO_TLS_KEY")
      ->check(CLI::ExistingFile);
  app.add_option("--output,-o", global.output, "table (for people) or json (for scripts)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app.add_option("--timeout", global.client.timeout_seconds, "seconds a service call may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  // score / validate
  ScoringArgs scoring;
  auto add_scoring_args = [&scoring](CLI::App* command, const char* files_help) {
    command->add_option("files", scoring.files, files_help)->required();
    command->add_option("--scheme", scoring.scheme,
                        "a scheme file (.textproto), or id[@version] of a scheme the service "
                        "holds (default: the built-in dept-overall)");
  };
  CLI::App* score = app.add_subcommand(
      "score",
      "compute every indicator, score, grade and finding and print the score card. Files are "
      "scored offline or on --scoring; stored reports (DEPT/YEAR[@REV]) are read from "
      "--storage, scored on --scoring, and the card is saved back");
  add_scoring_args(score, "report JSON files (- reads standard input), or stored reports");
  score->add_flag("--stream", scoring.stream,
                  "with --scoring, send the files on ScoreStream calls (the default for "
                  "several files)");
  score
      ->add_option("--streams", scoring.streams,
                   "with --scoring and several files, streams at once; each goes to the next "
                   "scoring-svc replica, and a stream whose replica fails is resumed on another")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  CLI::App* validate = app.add_subcommand(
      "validate", "check reports' figures against each other and print the findings, no scores");
  add_scoring_args(validate, "report JSON files; - reads standard input");

  // storage
  SubmitArgs submit_args;
  CLI::App* submit = app.add_subcommand(
      "submit",
      "store report files in storage-svc: each is created, or saved as a new revision of its "
      "report (department code and fiscal year from the file); unchanged files write nothing");
  submit->add_option("files", submit_args.files, "report JSON files; - reads standard input")
      ->required();
  submit->add_option("--expect-revision", submit_args.expect_revision,
                     "the revision this file replaces (one file only); refused if it is stale");
  submit->add_option("--jobs,-j", submit_args.jobs, "files submitted at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();

  GetArgs get_args;
  CLI::App* get = app.add_subcommand("get", "show a stored report (the latest revision, or @REV)");
  get->add_option("report", get_args.ref, "DEPT/YEAR or DEPT/YEAR@REVISION")->required();
  get->add_flag("--report", get_args.report_only,
                "print only the report, as JSON that submit takes back");

  ListArgs list_args;
  CLI::App* list = app.add_subcommand("list", "list stored reports, latest revision of each");
  list->add_option("--year", list_args.year, "fiscal year");
  list->add_option("--department", list_args.department, "department code");
  list->add_option("--status", list_args.status, "draft, submitted, returned, approved or deleted");
  list->add_option("--page-size", list_args.page_size, "reports per page (default 100, max 1000)");
  list->add_option("--page-token", list_args.page_token, "continue a listing");
  list->add_flag("--all", list_args.all, "every page");

  std::string history_ref;
  CLI::App* history = app.add_subcommand("history", "every revision of a report");
  history->add_option("report", history_ref, "DEPT/YEAR")->required();

  std::vector<std::string> diff_refs;
  CLI::App* diff = app.add_subcommand(
      "diff", "field-by-field changes between two revisions (or one and the revision before it)");
  diff->add_option("revisions", diff_refs, "DEPT/YEAR@A DEPT/YEAR@B, or DEPT/YEAR@B")
      ->required()
      ->expected(1, 2);

  StatusArgs status_args;
  CLI::App* status = app.add_subcommand(
      "status",
      "move a report through its lifecycle: draft → submit → (return → submit) → approve; "
      "delete removes a draft");
  status->add_option("action", status_args.action, "submit, return, approve or delete")
      ->required()
      ->check(CLI::IsMember({"submit", "return", "approve", "delete"}));
  status->add_option("report", status_args.ref, "DEPT/YEAR")->required();
  status->add_option("--reason", status_args.reason, "why (required to return a report)");
  status->add_option("--expect-revision", status_args.expect_revision,
                     "the revision you looked at; refused if the report has moved on");

  std::string card_ref;
  CLI::App* card = app.add_subcommand(
      "card", "show the stored score card of a report (latest scored revision, or @REV)");
  card->add_option("report", card_ref, "DEPT/YEAR or DEPT/YEAR@REVISION")->required();

  RenderArgs render_args;
  auto add_document_args = [&render_args](CLI::App* command) {
    command->add_option("--out", render_args.out, "write to this file instead of standard output");
    command->add_option("--templates", render_args.templates,
                        "directory of .mustache templates replacing the built-in ones");
  };
  CLI::App* render = app.add_subcommand(
      "render",
      "print the self-evaluation report (sections 一 to 四, every figure filled in, the score "
      "table and the findings) from a report file (scored now) or a stored report (with its "
      "stored card)");
  render->add_option("report", render_args.sources, "a report file, or DEPT/YEAR[@REV]")
      ->required()
      ->expected(1);
  render
      ->add_option("--format,-f", render_args.format,
                   "md (Markdown) or html (a self-contained page)")
      ->check(CLI::IsMember({"md", "html"}))
      ->default_val("md");
  render->add_option("--scheme", render_args.scheme, "scheme for scoring a file (as for score)");
  add_document_args(render);

  CLI::App* summary = app.add_subcommand(
      "summary", "every department's report of a year, ranked, with grades and findings");
  summary->add_option("--year", render_args.year, "fiscal year")->required();
  summary
      ->add_option("--format,-f", render_args.format,
                   "table, csv (UTF-8 with BOM, for Excel and WPS) or html")
      ->check(CLI::IsMember({"table", "csv", "html"}))
      ->default_val("table");
  add_document_args(summary);

  CLI::App* compare = app.add_subcommand(
      "compare",
      "one department's two years side by side: each indicator's value, score and change");
  compare->add_option("reports", render_args.sources, "two report files or DEPT/YEAR references")
      ->required()
      ->expected(2);
  compare->add_option("--format,-f", render_args.format, "md or html")
      ->check(CLI::IsMember({"md", "html"}))
      ->default_val("md");
  compare->add_option("--scheme", render_args.scheme, "scheme for scoring files");
  add_document_args(compare);

  AuditArgs audit_args;
  CLI::App* audit = app.add_subcommand(
      "audit", "who did what when: every write to storage-svc, oldest first (reviewers, admins)");
  audit->add_option("--principal", audit_args.principal, "only this principal's writes");
  audit->add_option("--target", audit_args.target,
                    "only targets starting with this, e.g. DEPT/2019");
  audit->add_option("--since", audit_args.since, "only from this time on (RFC 3339)");
  audit->add_flag("--all", audit_args.all, "every page");

  CLI::App* admin = app.add_subcommand("admin", "operate the store");
  admin->require_subcommand(1);
  std::string backup_dir, restore_backup, restore_data, publish_file;
  CLI::App* publish = admin->add_subcommand(
      "publish", "publish a scheme version in storage-svc; a published version never changes");
  publish->add_option("scheme", publish_file, "scheme file (.textproto)")->required();
  CLI::App* backup = admin->add_subcommand(
      "backup", "write a consistent backup of storage-svc's store while it runs");
  backup->add_option("dir", backup_dir, "backup directory on the storage-svc machine")->required();
  CLI::App* restore = admin->add_subcommand(
      "restore", "restore the latest backup into an empty data directory (storage-svc stopped)");
  restore->add_option("--backup-dir", restore_backup, "backup directory")->required();
  restore->add_option("--data-dir", restore_data, "empty or new data directory")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  }

  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in || !std::getline(in, global.client.token)) {
      std::cerr << "jixiao: --token-file " << token_file
                << ": cannot be read, or holds no token (one line: the bearer token)\n";
      return kUsage;
    }
    struct stat info;
    if (::stat(token_file.c_str(), &info) == 0 && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
      std::cerr << "jixiao: warning: token file " << token_file
                << " can be read by other users (mode " << std::oct << (info.st_mode & 0777)
                << std::dec << "); make it yours alone: chmod 600 " << token_file << "\n";
    }
  } else if (const char* token = std::getenv("JIXIAO_TOKEN")) {
    global.client.token = token;
  }
  while (!global.client.token.empty() &&
         std::isspace(static_cast<unsigned char>(global.client.token.back()))) {
    global.client.token.pop_back();
  }

  if (score->parsed()) {
    // Stored references (not files) go through storage.
    std::vector<StoredRef> stored;
    for (const std::string& arg : scoring.files) {
      std::error_code error;
      if (std::filesystem::exists(arg, error) || arg == "-") continue;
      if (auto ref = ParseStoredRef(arg)) stored.push_back(*ref);
    }
    if (!stored.empty()) {
      if (stored.size() != scoring.files.size()) {
        std::cerr << "jixiao: score either files or stored reports, not both\n";
        return kUsage;
      }
      return RunScoreStored(global, stored, scoring.scheme);
    }
    return RunScore(global, scoring);
  }
  if (validate->parsed()) return RunValidate(global, scoring);
  if (submit->parsed()) return RunSubmit(global, submit_args);
  if (get->parsed()) return RunGet(global, get_args);
  if (list->parsed()) return RunList(global, list_args);
  if (history->parsed()) return RunHistory(global, history_ref);
  if (diff->parsed()) return RunDiff(global, diff_refs);
  if (status->parsed()) return RunStatus(global, status_args);
  if (card->parsed()) return RunCard(global, card_ref);
  if (render->parsed()) return RunRender(global, render_args);
  if (summary->parsed()) return RunSummary(global, render_args);
  if (compare->parsed()) return RunCompare(global, render_args);
  if (audit->parsed()) return RunAudit(global, audit_args);
  if (publish->parsed()) return RunPublish(global, publish_file);
  if (backup->parsed()) return RunBackup(global, backup_dir);
  if (restore->parsed()) return RunRestore(restore_backup, restore_data);
  return kUsage;
}
