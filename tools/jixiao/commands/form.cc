// `jixiao form`: the scheme's 自评表 as an Excel/WPS workbook for a
// department to fill in; or, for a stored report, the same workbook filled
// with what is stored, so a returned report is fixed where it was written.
// `jixiao save FILE.xlsx` (or `jixiao import`) reads it back.

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "scoring-svc/engine/engine.h"
#include "tools/form/workbook.h"
#include "tools/jixiao/cli_output.h"
#include "tools/jixiao/commands/commands.h"
#include "tools/jixiao/exit_codes.h"
#include "tools/jixiao/schemes.h"
#include "tools/jixiao/stored_reports.h"

namespace jixiao::cli {
namespace {

struct FormArgs {
  std::string ref;  // DEPT/YEAR[@REV]: a stored report
  std::string scheme;
  std::string department;
  int year = 0;
  std::string out;
};

int Run(const GlobalOptions& global, const FormArgs& args) {
  v1::Report report;
  v1::Scheme scheme;
  std::string out = args.out;
  if (!args.ref.empty()) {
    std::optional<StoredRef> ref = RequireStorageAndRef(global, args.ref);
    if (!ref) return kUsage;
    StorageClient storage(global.client);
    auto stored = Fetch(storage, ref->key, ref->revision);
    if (!stored.ok()) return StorageError(global, args.ref, stored.status());
    report = stored->report();
    if (!args.scheme.empty()) {
      auto named = SchemeByName(global, args.scheme);
      if (!named.ok()) return StorageError(global, args.scheme, named.status());
      scheme = *std::move(named);
    } else {
      auto assigned = SchemeForYear(storage, ref->key.fiscal_year(), SchemeChoice());
      if (!assigned.ok()) return StorageError(global, args.ref, assigned.status());
      scheme = *assigned ? **std::move(assigned) : engine::DefaultScheme()->proto();
    }
    if (out.empty()) {
      out = absl::StrCat(ref->key.department_code(), "-", ref->key.fiscal_year(), ".xlsx");
    }
  } else {
    if (!args.scheme.empty()) {
      auto named = SchemeByName(global, args.scheme);
      if (!named.ok()) return StorageError(global, args.scheme, named.status());
      scheme = *std::move(named);
    } else if (args.year != 0 && !global.client.storage.empty()) {
      // The year's scheme, as storage-svc has it assigned.
      StorageClient storage(global.client);
      auto assigned = SchemeForYear(storage, args.year, SchemeChoice());
      if (!assigned.ok()) return StorageError(global, "the year's scheme", assigned.status());
      scheme = *assigned ? **std::move(assigned) : engine::DefaultScheme()->proto();
    } else {
      std::cerr << "jixiao: form needs --scheme (a scheme file, or ID@VERSION), --year with "
                   "--storage (the year's scheme), or a stored report DEPT/YEAR\n";
      return kUsage;
    }
    report.mutable_identity()->set_department_code(args.department);
    report.mutable_identity()->set_fiscal_year(args.year);
    if (out.empty()) {
      out = args.department.empty()
                ? absl::StrCat(scheme.id(), "-form.xlsx")
                : absl::StrCat(args.department, "-",
                               args.year == 0 ? "" : std::to_string(args.year), ".xlsx");
    }
  }
  auto compiled = engine::CompileScheme(scheme, scheme.id());
  if (!compiled.ok()) return StorageError(global, scheme.id(), compiled.status());
  absl::Status written = form::WriteWorkbook(**compiled, report, out);
  if (!written.ok()) {
    std::cerr << "jixiao: " << written.message() << "\n";
    return kFailure;
  }
  std::cerr << "wrote " << out << " (" << scheme.id() << "@" << scheme.version()
            << "): fill in the shaded cells, then jixiao save " << out << "\n";
  return kOk;
}

CommandRun Define(CLI::App& command) {
  auto args = std::make_shared<FormArgs>();
  command.add_option("report", args->ref,
                     "a stored report DEPT/YEAR[@REV]: the form filled with it, with its year's "
                     "scheme (needs --storage)");
  command.add_option("--scheme", args->scheme,
                     "a scheme file (.textproto), or ID[@VERSION] (built-in, or published in "
                     "--storage); default, with --year and --storage: the year's scheme");
  command.add_option("--department", args->department, "department code to fill in");
  command.add_option("--year", args->year, "fiscal year to fill in")->check(CLI::Range(2000, 2100));
  command
      .add_option("--out,-o", args->out,
                  "the workbook to write (default DEPT-YEAR.xlsx, or SCHEME-form.xlsx)")
      ->check(kNamesAPath);
  return [args](const GlobalOptions& global) { return Run(global, *args); };
}

}  // namespace

const Command kFormCommand = {
    "form",
    "write the scheme's 自评表 as an Excel/WPS workbook (.xlsx) to fill in: cover, figures, "
    "checklist (是/否, 佐证), targets, self-scores, text; for DEPT/YEAR, filled with the stored "
    "report. jixiao save FILE.xlsx reads it back",
    Define};

}  // namespace jixiao::cli
