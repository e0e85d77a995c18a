// The key layout of the store. Each column family holds one kind of record;
// integers are big-endian so that keys sort numerically. Department codes
// never contain '\0' (CheckReport allows only [A-Za-z0-9._-]), so '\0' ends
// them. Scheme ids are checked the same way.
//
//   column family  key                                              value
//   revisions      dept \0 year:u32 revision:u64                    v1.ReportRevision
//   heads          dept \0 year:u32                                 storage.ReportHead
//   index          'Y' year:u32 dept                                (empty)
//                  'S' status:u8 year:u32 dept                      (empty)
//   schemes        id \0 version:u32                                v1.Scheme
//   cards          year:u32 dept \0 revision:u64 id \0 version:u32  v1.ScoreCard
//                    sequence:u32
//   idempotency    principal_length:u32 principal method \0 key     storage.IdempotencyRecord
//   audit          time_ns:u64 sequence:u32                         v1.AuditRecord
//   assignments    year:u32                                         v1.SchemeAssignment
//   rosters        year:u32                                         v1.Roster
//   changes        sequence:u64                                     v1.Change (its sequence
//                                                                     is the key's)
//   meta           name                                             the store's own settings:
//                  "page-token-secret"                              32 random bytes (page_tokens.h)
//
// A report's revisions are contiguous in `revisions`, so its history is one
// range scan; `index` lets a year's or a status's reports be listed by a
// range scan of exactly the entries wanted; `cards` sorts a year's cards by
// department and revision, so the newest card of each report ends its group.

#ifndef JIXIAO_STORAGE_SVC_STORE_KEYS_H_
#define JIXIAO_STORAGE_SVC_STORE_KEYS_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace jixiao::store::keys {

std::string Report(absl::string_view dept, uint32_t year);  // heads; prefix of revisions
std::string Revision(absl::string_view dept, uint32_t year, uint64_t revision);
std::string DepartmentPrefix(absl::string_view dept);  // dept \0
std::string YearIndex(uint32_t year, absl::string_view dept);
std::string YearIndexPrefix(uint32_t year);
std::string StatusIndex(uint8_t status, uint32_t year, absl::string_view dept);
std::string StatusIndexPrefix(uint8_t status);
std::string StatusYearIndexPrefix(uint8_t status, uint32_t year);
std::string Scheme(absl::string_view id, uint32_t version);
std::string SchemePrefix(absl::string_view id);  // id \0
// A card's key ends with its sequence among the cards of the same revision
// (1, 2, ... in the order they were saved, whatever their scheme): cards
// are never replaced, and the newest of a revision is the one with the
// highest sequence. (Cards stored before sequences were kept end at the
// version: they count as sequence 0.)
std::string Card(uint32_t year, absl::string_view dept, uint64_t revision,
                 absl::string_view scheme_id, uint32_t scheme_version, uint32_t sequence);
// The revision and sequence of a card key; false if `key` is not one.
bool ParseCard(absl::string_view key, uint64_t* revision, uint32_t* sequence);
std::string CardYearPrefix(uint32_t year);
std::string CardReportPrefix(uint32_t year, absl::string_view dept);  // year dept \0
std::string CardRevisionPrefix(uint32_t year, absl::string_view dept, uint64_t revision);
// Scoped by who writes: one principal's key never answers another's write.
std::string Idempotency(absl::string_view principal, absl::string_view method,
                        absl::string_view key);
std::string Audit(uint64_t time_ns, uint32_t sequence);
std::string Assignment(uint32_t year);
std::string Roster(uint32_t year);
// Changes are numbered 1, 2, ... in commit order (GroupCommit).
std::string Change(uint64_t sequence);
// The sequence of a change key; false if `key` is not one.
bool ParseChange(absl::string_view key, uint64_t* sequence);

// Decoders for keys produced above; false if `key` is not of that form.
bool ParseReport(absl::string_view key, std::string* dept, uint32_t* year);
bool ParseYearIndex(absl::string_view key, std::string* dept, uint32_t* year);
bool ParseStatusIndex(absl::string_view key, std::string* dept, uint32_t* year);
bool ParseCardReport(absl::string_view key, uint32_t* year, std::string* dept);

// The smallest key greater than every key starting with `prefix` ("" if
// there is none: the prefix is all 0xff).
std::string PrefixEnd(absl::string_view prefix);

}  // namespace jixiao::store::keys

#endif  // JIXIAO_STORAGE_SVC_STORE_KEYS_H_
