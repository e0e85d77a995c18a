#include "storage-svc/store/rocks_util.h"

#include "absl/strings/str_cat.h"
#include "common/report/field_violations.h"

namespace jixiao::store {

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view doing) {
  if (status.ok()) return absl::OkStatus();
  if (status.IsNotFound()) return absl::NotFoundError(absl::StrCat(doing, ": not found"));
  if (status.IsNoSpace()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("disk full: ", doing, ": ", status.ToString()));
  }
  return absl::InternalError(absl::StrCat(doing, ": ", status.ToString()));
}

absl::Status GetProto(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, const std::string& key,
                      google::protobuf::Message* message) {
  rocksdb::PinnableSlice value;
  rocksdb::Status status = db->Get(rocksdb::ReadOptions(), family, key, &value);
  if (status.IsNotFound()) return absl::NotFoundError("not found");
  if (!status.ok()) return FromRocks(status, "read");
  if (!message->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::InternalError(absl::StrCat("stored ", message->GetTypeName(), " is corrupt"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0) {
    return report::InvalidArgumentWithViolations("bad page size",
                                                 {{"page_size", "must not be negative"}});
  }
  if (requested == 0) return 100;
  return std::min(requested, 1000);
}

}  // namespace jixiao::store
