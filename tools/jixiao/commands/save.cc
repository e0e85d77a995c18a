// `jixiao save`: store report files in storage-svc, --jobs at a time; each
// is created, or saved as a new revision of its report, and a file whose
// content is already the latest revision writes nothing.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/report/deterministic.h"
#include "google/protobuf/util/message_differencer.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/inputs.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

struct SaveArgs {
  std::vector<std::string> files;
  int64_t expect_revision = 0;  // single file only; 0: the latest
  int jobs = 4;
};

// 16 random hex digits naming one run of a command.
std::string RunId() {
  std::random_device device;
  std::uniform_int_distribution<uint64_t> any;
  return absl::StrFormat("%016x", any(device));
}

struct SaveResult {
  std::string file;
  absl::Status status;
  v1::ReportRevision revision;
  std::string action;  // created | updated | unchanged
};

// Stores one report file: creates it, or updates the revision it replaces.
// The idempotency key is derived from this run of the command, the content
// and the revision it replaces, so a write the client retries is applied
// once, while a later run is a new write: after `jixiao delete`, saving
// the same file again creates the report again (continuing its history)
// instead of replaying the first create's answer.
SaveResult SaveOne(StorageClient& client, const std::string& file, int64_t expect_revision,
                       const std::string& run) {
  SaveResult result;
  result.file = file;
  absl::StatusOr<v1::Report> report = ReadReport(file);
  if (!report.ok()) {
    result.status = report.status();
    return result;
  }
  v1::ReportKey key;
  key.set_department_code(report->identity().department_code());
  key.set_fiscal_year(report->identity().fiscal_year());
  std::string digest = absl::BytesToHexString(report::DeterministicDigest(*report));
  for (int attempt = 0; attempt < 2; ++attempt) {
    int64_t expected = expect_revision;
    if (expected == 0) {
      absl::StatusOr<v1::ReportRevision> latest =
          key.department_code().empty() ? absl::NotFoundError("") : Fetch(client, key, 0);
      if (latest.ok()) {
        if (google::protobuf::util::MessageDifferencer::Equals(latest->report(), *report)) {
          result.revision = *latest;
          result.action = "unchanged";
          return result;
        }
        expected = latest->revision();
      } else if (!absl::IsNotFound(latest.status())) {
        result.status = latest.status();
        return result;
      }
    }
    if (expected == 0) {
      v1::CreateReportRequest request;
      *request.mutable_report() = *report;
      request.set_idempotency_key(absl::StrCat("create:", run, ":", digest));
      v1::CreateReportResponse response;
      result.status = client.Call(&Stub::CreateReport, request, response);
      result.revision = response.revision();
      result.action = "created";
      // Someone created it between our read and our write: update instead.
      if (absl::IsAlreadyExists(result.status) && expect_revision == 0) continue;
      return result;
    }
    v1::UpdateReportRequest request;
    *request.mutable_report() = *report;
    request.set_expected_revision(expected);
    request.set_idempotency_key(absl::StrCat("update:", run, ":", expected, ":", digest));
    v1::UpdateReportResponse response;
    result.status = client.Call(&Stub::UpdateReport, request, response);
    result.revision = response.revision();
    result.action = "updated";
    return result;
  }
  return result;
}

int Run(const GlobalOptions& global, const SaveArgs& args) {
  if (!NeedStorage(global)) return kUsage;
  if (args.expect_revision > 0 && args.files.size() != 1) {
    std::cerr << "jixiao: --expect-revision goes with a single file\n";
    return kUsage;
  }
  StorageClient client(global.client);
  const std::string run = RunId();
  std::vector<SaveResult> results(args.files.size());
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0}, failed{0};
  std::mutex progress_mutex;
  const bool terminal = isatty(STDERR_FILENO) && global.output != "json";
  auto work = [&] {
    for (size_t i = next++; i < args.files.size(); i = next++) {
      results[i] = SaveOne(client, args.files[i], args.expect_revision, run);
      if (!results[i].status.ok()) ++failed;
      size_t finished = ++done;
      if (terminal) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        std::cerr << "\rsaved " << finished << "/" << args.files.size() << ", failed " << failed
                  << std::flush;
      }
    }
  };
  std::vector<std::thread> threads;
  size_t jobs = std::max<size_t>(1, std::min<size_t>(args.jobs, args.files.size()));
  for (size_t t = 0; t < jobs; ++t) threads.emplace_back(work);
  for (std::thread& thread : threads) thread.join();
  if (terminal) std::cerr << "\n";

  int code = kOk;
  for (const SaveResult& r : results) {
    if (!r.status.ok()) {
      code = std::max(code, StorageError(global, r.file, r.status));
      continue;
    }
    if (global.output == "json") {
      std::cout << ToJson(r.revision, false) << "\n";
    } else if (!terminal || args.files.size() == 1) {
      std::cout << r.file << ": " << Ref(r.revision.key(), r.revision.revision()) << " " << r.action
                << "\n";
    }
  }
  if (terminal && args.files.size() > 1) {
    std::cout << "saved " << args.files.size() - failed << " of " << args.files.size()
              << " reports\n";
  }
  return code;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<SaveArgs>();
  command
      .add_option("files", args->files,
                  "filled forms (.xlsx, from jixiao form) or report JSON files; - reads standard "
                  "input")
      ->required();
  command.add_option("--expect-revision", args->expect_revision,
                     "the revision this file replaces (one file only); refused if it is stale");
  command.add_option("--jobs,-j", args->jobs, "files saved at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kSaveCommand = {
    "save",
    "store report files in storage-svc as drafts: each is created, or saved as a new revision "
    "of its report (department code and fiscal year from the file); unchanged files write "
    "nothing. `jixiao submit` then hands a report in",
    Define};

}  // namespace jixiao::cli
