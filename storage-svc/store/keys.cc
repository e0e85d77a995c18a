#include "storage-svc/store/keys.h"

#include "absl/strings/str_cat.h"

namespace jixiao::store::keys {
namespace {

void PutU32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

bool GetU32(absl::string_view in, uint32_t* v) {
  if (in.size() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v = (*v << 8) | static_cast<uint8_t>(in[i]);
  return true;
}

}  // namespace

std::string Report(absl::string_view dept, uint32_t year) {
  std::string key = DepartmentPrefix(dept);
  PutU32(key, year);
  return key;
}

std::string Revision(absl::string_view dept, uint32_t year, uint64_t revision) {
  std::string key = Report(dept, year);
  PutU64(key, revision);
  return key;
}

std::string DepartmentPrefix(absl::string_view dept) {
  std::string key(dept);
  key.push_back('\0');
  return key;
}

std::string Assignment(uint32_t year) {
  std::string key;
  PutU32(key, year);
  return key;
}

std::string Roster(uint32_t year) { return Assignment(year); }

std::string Change(uint64_t sequence) {
  std::string key;
  PutU64(key, sequence);
  return key;
}

bool ParseChange(absl::string_view key, uint64_t* sequence) {
  if (key.size() != 8) return false;
  *sequence = 0;
  for (char c : key) *sequence = (*sequence << 8) | static_cast<uint8_t>(c);
  return true;
}

std::string YearIndexPrefix(uint32_t year) {
  std::string key = "Y";
  PutU32(key, year);
  return key;
}

std::string YearIndex(uint32_t year, absl::string_view dept) {
  return absl::StrCat(YearIndexPrefix(year), dept);
}

std::string StatusIndexPrefix(uint8_t status) {
  std::string key = "S";
  key.push_back(static_cast<char>(status));
  return key;
}

std::string StatusYearIndexPrefix(uint8_t status, uint32_t year) {
  std::string key = StatusIndexPrefix(status);
  PutU32(key, year);
  return key;
}

std::string StatusIndex(uint8_t status, uint32_t year, absl::string_view dept) {
  return absl::StrCat(StatusYearIndexPrefix(status, year), dept);
}

std::string SchemePrefix(absl::string_view id) { return DepartmentPrefix(id); }

std::string Scheme(absl::string_view id, uint32_t version) {
  std::string key = SchemePrefix(id);
  PutU32(key, version);
  return key;
}

std::string CardYearPrefix(uint32_t year) {
  std::string key;
  PutU32(key, year);
  return key;
}

std::string CardReportPrefix(uint32_t year, absl::string_view dept) {
  std::string key = CardYearPrefix(year);
  absl::StrAppend(&key, dept);
  key.push_back('\0');
  return key;
}

std::string CardRevisionPrefix(uint32_t year, absl::string_view dept, uint64_t revision) {
  std::string key = CardReportPrefix(year, dept);
  PutU64(key, revision);
  return key;
}

bool ParseCard(absl::string_view key, uint64_t* revision, uint32_t* sequence) {
  size_t dept_end = key.find('\0', 4);
  if (dept_end == absl::string_view::npos || key.size() < dept_end + 1 + 8) return false;
  *revision = 0;
  for (size_t i = dept_end + 1; i < dept_end + 9; ++i) {
    *revision = (*revision << 8) | static_cast<uint8_t>(key[i]);
  }
  size_t id_end = key.find('\0', dept_end + 9);
  if (id_end == absl::string_view::npos) return false;
  absl::string_view rest = key.substr(id_end + 1);  // version, then the sequence if any
  if (rest.size() == 4) {
    *sequence = 0;  // stored before cards had sequences: older than any that has one
    return true;
  }
  return rest.size() == 8 && GetU32(rest.substr(4), sequence);
}

std::string Card(uint32_t year, absl::string_view dept, uint64_t revision,
                 absl::string_view scheme_id, uint32_t scheme_version, uint32_t sequence) {
  std::string key = CardRevisionPrefix(year, dept, revision);
  absl::StrAppend(&key, scheme_id);
  key.push_back('\0');
  PutU32(key, scheme_version);
  PutU32(key, sequence);
  return key;
}

std::string Idempotency(absl::string_view principal, absl::string_view method,
                        absl::string_view key) {
  std::string out;
  PutU32(out, static_cast<uint32_t>(principal.size()));
  absl::StrAppend(&out, principal, method);
  out.push_back('\0');
  absl::StrAppend(&out, key);
  return out;
}

std::string Audit(uint64_t time_ns, uint32_t sequence) {
  std::string key;
  PutU64(key, time_ns);
  PutU32(key, sequence);
  return key;
}

bool ParseReport(absl::string_view key, std::string* dept, uint32_t* year) {
  size_t end = key.find('\0');
  if (end == absl::string_view::npos || key.size() < end + 5) return false;
  *dept = std::string(key.substr(0, end));
  return GetU32(key.substr(end + 1), year);
}

bool ParseYearIndex(absl::string_view key, std::string* dept, uint32_t* year) {
  if (key.size() < 5 || key[0] != 'Y' || !GetU32(key.substr(1), year)) return false;
  *dept = std::string(key.substr(5));
  return true;
}

bool ParseStatusIndex(absl::string_view key, std::string* dept, uint32_t* year) {
  if (key.size() < 6 || key[0] != 'S' || !GetU32(key.substr(2), year)) return false;
  *dept = std::string(key.substr(6));
  return true;
}

bool ParseCardReport(absl::string_view key, uint32_t* year, std::string* dept) {
  if (!GetU32(key, year)) return false;
  size_t end = key.find('\0', 4);
  if (end == absl::string_view::npos) return false;
  *dept = std::string(key.substr(4, end - 4));
  return true;
}

std::string PrefixEnd(absl::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    unsigned char last = static_cast<unsigned char>(end.back());
    if (last != 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace jixiao::store::keys
