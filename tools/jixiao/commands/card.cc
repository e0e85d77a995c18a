// `jixiao card`: the score card stored for a report, of its latest scored
// revision or of @REV, read back, saying so when the report's content has
// changed since (stale); exits 3 if it has findings of error severity, as
// `score` does.

#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "scoring-svc/engine/engine.h"
#include "tools/jixiao/card_printer.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

using Stub = v1::StorageService::Stub;

int Run(const GlobalOptions& global, const std::string& text) {
  std::optional<StoredRef> ref = RequireStorageAndRef(global, text);
  if (!ref) return kUsage;
  StorageClient client(global.client);
  v1::GetScoreCardRequest request;
  *request.mutable_key() = ref->key;
  request.set_revision(ref->revision);
  v1::GetScoreCardResponse response;
  absl::Status status = client.Call(&Stub::GetScoreCard, request, response);
  if (!status.ok()) return StorageError(global, text, status);
  const v1::ScoreCard& card = response.card();
  const std::string stale =
      response.stale()
          ? absl::StrCat("需重新评分 stale: this card scored revision ", card.report().revision(),
                         "; the report's content is revision ", response.content_revision(),
                         " (jixiao score ", Ref(ref->key), ")")
          : "";
  if (global.output == "json") {
    std::cout << ToJson(card, true);
    if (!stale.empty()) std::cerr << "jixiao: " << stale << "\n";
  } else {
    // The revision the card scored, for the header.
    absl::StatusOr<v1::ReportRevision> revision = Fetch(client, ref->key, card.report().revision());
    if (!stale.empty()) std::cout << stale << "\n\n";
    PrintScoreCard(revision.ok() ? revision->report() : v1::Report(), card, std::cout);
  }
  return engine::HasErrors(card) ? kErrorFindings : kOk;
}

CommandRun Define(CLI::App& command) {
  auto ref = std::make_shared<std::string>();
  command.add_option("report", *ref, "DEPT/YEAR or DEPT/YEAR@REVISION")->required();
  return [ref](const GlobalOptions& global) { return Run(global, *ref); };
}

}  // namespace

const Command kCardCommand = {
    "card", "show the stored score card of a report (latest scored revision, or @REV)", Define};

}  // namespace jixiao::cli
