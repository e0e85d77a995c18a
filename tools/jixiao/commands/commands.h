// Every jixiao command, each defined (flags, help and run) in its own file
// here, commands/NAME.cc. main.cc's table decides which of them `jixiao`
// offers and in what order `jixiao --help` lists them; commands/admin.cc's
// table does the same for `jixiao admin`.

#ifndef JIXIAO_TOOLS_JIXIAO_COMMANDS_COMMANDS_H_
#define JIXIAO_TOOLS_JIXIAO_COMMANDS_COMMANDS_H_

#include "tools/jixiao/command.h"

namespace jixiao::cli {

// The form as a workbook, and reading it back.
extern const Command kFormCommand;    // form.cc
extern const Command kImportCommand;  // import.cc

// Scoring and checking report files, offline or on scoring-svc.
extern const Command kScoreCommand;     // score.cc (stored reports too)
extern const Command kValidateCommand;  // validate.cc

// Keeping reports in storage-svc.
extern const Command kSaveCommand;     // save.cc
extern const Command kGetCommand;      // get.cc
extern const Command kListCommand;     // list.cc
extern const Command kHistoryCommand;  // history.cc
extern const Command kDiffCommand;     // diff.cc
extern const Command kCardCommand;     // card.cc

// The lifecycle, one command per step (lifecycle.cc).
extern const Command kSubmitCommand;
extern const Command kReturnCommand;
extern const Command kApproveCommand;
extern const Command kReopenCommand;
extern const Command kDeleteCommand;

// Schemes: what they are, and the form a department fills for one.
extern const Command kSchemeCommand;    // scheme.cc: list, show
extern const Command kTemplateCommand;  // template.cc

// Documents.
extern const Command kRenderCommand;   // render.cc
extern const Command kSummaryCommand;  // summary.cc
extern const Command kSiteCommand;     // site.cc
extern const Command kCompareCommand;  // compare.cc
extern const Command kWhatIfCommand;   // whatif.cc

// Operating storage-svc.
extern const Command kAuditCommand;         // audit.cc
extern const Command kChangesCommand;       // changes.cc
extern const Command kAdminCommand;         // admin.cc: the group of the five below
extern const Command kAdminPublishCommand;  // admin_publish.cc
extern const Command kAdminAssignCommand;   // admin_assign.cc
extern const Command kAdminRosterCommand;   // admin_roster.cc
extern const Command kAdminBackupCommand;   // admin_backup.cc
extern const Command kAdminRestoreCommand;  // admin_restore.cc

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_COMMANDS_COMMANDS_H_
