// The CLI commands that drive storage-svc: submit, get, list, history,
// diff, status, scoring a stored report, and admin backup / restore.

#ifndef JIXIAO_TOOLS_JIXIAO_STORAGE_COMMANDS_H_
#define JIXIAO_TOOLS_JIXIAO_STORAGE_COMMANDS_H_

#include <string>
#include <vector>

#include "inputs.h"
#include "scoring_commands.h"

namespace jixiao::cli {

struct SubmitArgs {
  std::vector<std::string> files;
  int64_t expect_revision = 0;  // single file only; 0: the latest
  int jobs = 4;
};
int RunSubmit(const GlobalOptions& global, const SubmitArgs& args);

struct GetArgs {
  std::string ref;
  bool report_only = false;
};
int RunGet(const GlobalOptions& global, const GetArgs& args);

struct ListArgs {
  int year = 0;
  std::string department;
  std::string status;
  int page_size = 0;
  std::string page_token;
  bool all = false;
};
int RunList(const GlobalOptions& global, const ListArgs& args);

int RunHistory(const GlobalOptions& global, const std::string& ref);

// Compares two revisions: "D/2019@1 D/2019@2", or "D/2019@3" against its
// predecessor.
int RunDiff(const GlobalOptions& global, const std::vector<std::string>& refs);

struct StatusArgs {
  std::string ref;
  std::string action;  // submit | return | approve | delete
  std::string reason;
  int64_t expect_revision = 0;
};
int RunStatus(const GlobalOptions& global, const StatusArgs& args);

// Scores stored reports and saves each card back.
int RunScoreStored(const GlobalOptions& global, const std::vector<StoredRef>& refs,
                   const std::string& scheme);

// Shows the stored score card of a report (of its latest scored revision,
// or of @REV).
int RunCard(const GlobalOptions& global, const std::string& ref);

struct AuditArgs {
  std::string principal;
  std::string target;
  std::string since;  // RFC 3339, e.g. 2026-01-01T00:00:00Z
  bool all = false;
};
// The audit trail, oldest first, with filters.
int RunAudit(const GlobalOptions& global, const AuditArgs& args);

// Publishes a scheme file (checked locally first, with its lines).
int RunPublish(const GlobalOptions& global, const std::string& scheme_file);

int RunBackup(const GlobalOptions& global, const std::string& backup_dir);
int RunRestore(const std::string& backup_dir, const std::string& data_dir);

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_STORAGE_COMMANDS_H_
