// `jixiao diff`: the field-by-field changes between two revisions of a
// stored report ("D/2019@1 D/2019@2"), or between one and the revision
// before it ("D/2019@3").

#include <iostream>
#include <memory>

#include "absl/strings/escaping.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/clients.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/report_diff.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

int Run(const GlobalOptions& global, const std::vector<std::string>& texts) {
  if (!NeedStorage(global)) return kUsage;
  std::vector<StoredRef> refs;
  for (const std::string& text : texts) {
    std::optional<StoredRef> ref = RequireRef(text);
    if (!ref) return kUsage;
    refs.push_back(*ref);
  }
  if (refs.size() == 1) {
    if (refs[0].revision < 2) {
      std::cerr << "jixiao: diff of one reference needs a revision of 2 or more (DEPT/YEAR@REV): "
                   "it is compared with the revision before it\n";
      return kUsage;
    }
    StoredRef before = refs[0];
    before.revision -= 1;
    refs.insert(refs.begin(), before);
  }
  StorageClient client(global.client);
  std::vector<v1::ReportRevision> revisions;
  for (const StoredRef& ref : refs) {
    absl::StatusOr<v1::ReportRevision> revision = Fetch(client, ref.key, ref.revision);
    if (!revision.ok()) return StorageError(global, ref.text, revision.status());
    revisions.push_back(*revision);
  }
  std::vector<FieldChange> changes = DiffMessages(revisions[0].report(), revisions[1].report());
  if (revisions[0].status() != revisions[1].status()) {
    changes.insert(changes.begin(), {"(status)", StatusName(revisions[0].status()),
                                     StatusName(revisions[1].status())});
  }
  if (global.output == "json") {
    for (const FieldChange& c : changes) {
      std::cout << "{\"path\": \"" << absl::CEscape(c.path) << "\", \"before\": \""
                << absl::Utf8SafeCEscape(c.before) << "\", \"after\": \""
                << absl::Utf8SafeCEscape(c.after) << "\"}\n";
    }
    return kOk;
  }
  std::cout << Ref(revisions[0].key(), revisions[0].revision()) << " → "
            << Ref(revisions[1].key(), revisions[1].revision()) << ": " << changes.size()
            << " change" << (changes.size() == 1 ? "" : "s") << "\n";
  for (const FieldChange& c : changes) {
    std::cout << "  " << c.path << ": " << (c.before.empty() ? "(none)" : c.before) << " → "
              << (c.after.empty() ? "(none)" : c.after) << "\n";
  }
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto refs = std::make_shared<std::vector<std::string>>();
  command.add_option("revisions", *refs, "DEPT/YEAR@A DEPT/YEAR@B, or DEPT/YEAR@B")
      ->required()
      ->expected(1, 2);
  return [refs](const GlobalOptions& global) { return Run(global, *refs); };
}

}  // namespace

const Command kDiffCommand = {
    "diff", "field-by-field changes between two revisions (or one and the revision before it)",
    Define};

}  // namespace jixiao::cli
