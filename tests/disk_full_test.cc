// The real storage-svc on a small file system of its own (a tmpfs the test
// mounts; it runs as root, and is skipped where mounting is not allowed),
// filled up while it serves, and filled before it starts.

#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "jixiao/v1/storage_service.grpc.pb.h"
#include "tests/process.h"

namespace jixiao {
namespace {

using testing::BinPath;
using ::testing::HasSubstr;
using testing::ServerProcess;
using ::testing::StartsWith;
using Stub = v1::StorageService::Stub;
using Health = grpc::health::v1::HealthCheckResponse;
using Clock = std::chrono::steady_clock;

// A tmpfs of `megabytes`, mounted on a fresh directory until destruction.
class SmallDisk {
 public:
  explicit SmallDisk(int megabytes) : dir_(testing::MakeTempDir("jixiao-small-disk")) {
    std::string size = "size=" + std::to_string(megabytes) + "m";
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, size.c_str()) == 0) {
      mounted_ = true;
    } else {
      why_not_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& why_not() const { return why_not_; }
  const std::string& dir() const { return dir_; }

  uint64_t FreeBytes() const {
    struct statvfs info;
    return ::statvfs(dir_.c_str(), &info) == 0
               ? static_cast<uint64_t>(info.f_bavail) * info.f_frsize
               : 0;
  }
  // Writes a filler file until at most `leave` bytes are free (or none).
  void Fill(uint64_t leave) {
    std::ofstream filler(dir_ + "/filler-" + std::to_string(fillers_++), std::ios::binary);
    const std::string chunk(64 * 1024, 'f');
    while (FreeBytes() > leave) {
      const uint64_t room = FreeBytes() - leave;
      filler.write(chunk.data(),
                   static_cast<std::streamsize>(std::min<uint64_t>(room, chunk.size())));
      filler.flush();
      if (!filler) break;  // full
    }
  }
  // Removes every filler file.
  void Free() {
    for (int i = 0; i < fillers_; ++i)
      std::filesystem::remove(dir_ + "/filler-" + std::to_string(i));
  }

 private:
  std::string dir_;
  bool mounted_ = false;
  std::string why_not_;
  int fillers_ = 0;
};

#define SKIP_UNLESS_MOUNTED(disk)                                         \
  if (!(disk).mounted()) {                                                \
    GTEST_SKIP() << "cannot mount a tmpfs here (" << (disk).why_not()     \
                 << "): the disk-full tests need root, or CAP_SYS_ADMIN"; \
  }

// A report of about 200 KB, of text that does not compress.
v1::Report BigReport(const std::string& dept, std::mt19937& random) {
  v1::Report report;
  report.mutable_identity()->set_department_code(dept);
  report.mutable_identity()->set_department_name("部门 " + dept);
  report.mutable_identity()->set_fiscal_year(2019);
  report.mutable_procurement()->mutable_budget()->set_value("100");
  for (int p = 0; p < 3; ++p) {
    std::string text(60000, ' ');
    for (char& c : text) c = static_cast<char>('a' + random() % 26);
    report.mutable_narrative()->mutable_plans()->add_paragraphs(std::move(text));
  }
  return report;
}

class Service {
 public:
  Service(const std::string& data_dir, std::vector<std::string> flags = {}) {
    flags.insert(flags.begin(), {"--data-dir", data_dir});
    process_ = std::make_unique<ServerProcess>(BinPath("storage-svc"), flags);
    if (!process_->address().empty()) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      auto channel =
          grpc::CreateCustomChannel(process_->address(), grpc::InsecureChannelCredentials(), args);
      stub_ = v1::StorageService::NewStub(channel);
      health_ = grpc::health::v1::Health::NewStub(channel);
    }
  }
  bool started() const { return stub_ != nullptr; }
  ServerProcess& process() { return *process_; }
  int Terminate() {
    stub_.reset();
    health_.reset();
    return process_->Stop(SIGTERM);
  }

  grpc::Status Create(const v1::Report& report) {
    v1::CreateReportRequest request;
    *request.mutable_report() = report;
    v1::CreateReportResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return stub_->CreateReport(&context, request, &response);
  }
  // The stored report of `dept`, or "" if it cannot be read.
  std::string Get(const std::string& dept) {
    v1::GetReportRequest request;
    request.mutable_key()->set_department_code(dept);
    request.mutable_key()->set_fiscal_year(2019);
    v1::GetReportResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    if (!stub_->GetReport(&context, request, &response).ok()) return "";
    return response.revision().report().SerializeAsString();
  }
  Health::ServingStatus HealthOf(const std::string& service) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    Health response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!health_->Check(&context, request, &response).ok()) return Health::UNKNOWN;
    return response.status();
  }
  // Waits (up to 5 s: health is polled four times a second) for `service`
  // to report `status`.
  bool WaitHealth(const std::string& service, Health::ServingStatus status) {
    for (auto deadline = Clock::now() + std::chrono::seconds(5); Clock::now() < deadline;) {
      if (HealthOf(service) == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  std::string Metrics() {
    std::string address = testing::ReadAddress(metrics_port_file());
    return testing::RunCommand({"/usr/bin/curl", "-sS", "http://" + address + "/metrics"}).out;
  }
  static std::vector<std::string> MetricsFlags(const std::string& dir) {
    return {"--metrics-listen", "127.0.0.1:0", "--metrics-port-file", dir + "/metrics-addr"};
  }
  void set_metrics_dir(const std::string& dir) { metrics_dir_ = dir; }

 private:
  std::string metrics_port_file() const { return metrics_dir_ + "/metrics-addr"; }
  std::unique_ptr<ServerProcess> process_;
  std::unique_ptr<Stub> stub_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  std::string metrics_dir_;
};

constexpr char kService[] = "jixiao.v1.StorageService";
const std::string kReads = std::string(kService) + "/reads";

// Filled up while serving: writes are refused with RESOURCE_EXHAUSTED and a
// clear message, reads and health go on (health says writes are off), and
// once space is freed writes are taken again; nothing acknowledged is lost,
// and storage-svc never aborts.
TEST(DiskFull, WritesStopWhileFullAndResumeWhenSpaceReturns) {
  SmallDisk disk(24);
  SKIP_UNLESS_MOUNTED(disk);
  std::string aside = testing::MakeTempDir("jixiao-disk-full");
  Service storage(disk.dir() + "/db", Service::MetricsFlags(aside));
  storage.set_metrics_dir(aside);
  ASSERT_TRUE(storage.started()) << storage.process().Log();
  std::mt19937 random(7);
  std::map<std::string, std::string> acknowledged;
  disk.Fill(/*leave=*/3 << 20);
  grpc::Status refused;
  for (int i = 0; i < 200; ++i) {
    std::string dept = "F" + std::to_string(i);
    v1::Report report = BigReport(dept, random);
    grpc::Status status = storage.Create(report);
    if (!status.ok()) {
      refused = status;
      break;
    }
    acknowledged[dept] = report.SerializeAsString();
  }
  ASSERT_FALSE(refused.ok()) << "the disk never filled up";
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_THAT(refused.error_message(), StartsWith("disk full: "));
  std::cerr << acknowledged.size() << " writes acknowledged before the disk filled; refused with: "
            << refused.error_message() << "\n";
  grpc::Status again = storage.Create(BigReport("AGAIN", random));
  EXPECT_EQ(again.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << again.error_message();
  for (const auto& [dept, report] : acknowledged) EXPECT_EQ(storage.Get(dept), report) << dept;
  EXPECT_TRUE(storage.WaitHealth("", Health::NOT_SERVING));
  EXPECT_EQ(storage.HealthOf(kService), Health::NOT_SERVING);
  EXPECT_EQ(storage.HealthOf(kReads), Health::SERVING);
  std::string metrics = storage.Metrics();
  EXPECT_THAT(metrics, HasSubstr("jixiao_store_writable 0\n"));
  EXPECT_THAT(metrics, HasSubstr("jixiao_store_fault{kind=\"disk_full\"} 1\n"));

  disk.Free();
  const auto freed = Clock::now();
  grpc::Status resumed;
  std::mt19937 after_random(8);
  v1::Report after = BigReport("AFTER", after_random);
  while (Clock::now() - freed < std::chrono::seconds(30)) {
    resumed = storage.Create(after);
    if (resumed.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(resumed.ok()) << resumed.error_message();
  std::cerr << "writes resumed "
            << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - freed).count()
            << " ms after space was freed\n";
  acknowledged["AFTER"] = after.SerializeAsString();
  EXPECT_TRUE(storage.WaitHealth("", Health::SERVING));
  EXPECT_THAT(storage.Metrics(), HasSubstr("jixiao_store_writable 1\n"));
  EXPECT_EQ(storage.Terminate(), 0) << storage.process().Log();

  Service restarted(disk.dir() + "/db");
  ASSERT_TRUE(restarted.started()) << restarted.process().Log();
  for (const auto& [dept, report] : acknowledged) EXPECT_EQ(restarted.Get(dept), report) << dept;
  EXPECT_EQ(restarted.Terminate(), 0);
}

// Started on a disk that is already full (with a log to replay): it serves
// reads, refuses writes with RESOURCE_EXHAUSTED, says so in health, stops
// cleanly; once space is freed, a restart takes writes again.
TEST(DiskFull, StartsOnAFullDiskAndServesReads) {
  SmallDisk disk(24);
  SKIP_UNLESS_MOUNTED(disk);
  std::mt19937 random(9);
  std::map<std::string, std::string> acknowledged;
  {
    Service storage(disk.dir() + "/db");
    ASSERT_TRUE(storage.started()) << storage.process().Log();
    for (int i = 0; i < 5; ++i) {
      std::string dept = "S" + std::to_string(i);
      v1::Report report = BigReport(dept, random);
      ASSERT_TRUE(storage.Create(report).ok());
      acknowledged[dept] = report.SerializeAsString();
    }
    storage.process().Stop(SIGKILL);  // the writes are in the log only
  }
  disk.Fill(/*leave=*/0);
  {
    Service storage(disk.dir() + "/db");
    ASSERT_TRUE(storage.started()) << storage.process().Log();
    for (const auto& [dept, report] : acknowledged) EXPECT_EQ(storage.Get(dept), report) << dept;
    grpc::Status refused = storage.Create(BigReport("REFUSED", random));
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << refused.error_message();
    EXPECT_THAT(refused.error_message(), StartsWith("disk full: "));
    EXPECT_THAT(refused.error_message(), HasSubstr("restart"));
    EXPECT_EQ(storage.HealthOf(""), Health::NOT_SERVING);
    EXPECT_EQ(storage.HealthOf(kReads), Health::SERVING);
    EXPECT_EQ(storage.Terminate(), 0) << storage.process().Log();
  }
  disk.Free();
  Service storage(disk.dir() + "/db");
  ASSERT_TRUE(storage.started()) << storage.process().Log();
  for (const auto& [dept, report] : acknowledged) EXPECT_EQ(storage.Get(dept), report) << dept;
  EXPECT_TRUE(storage.Create(BigReport("AFTER", random)).ok());
  EXPECT_EQ(storage.HealthOf(""), Health::SERVING);
  EXPECT_EQ(storage.Terminate(), 0);
}

}  // namespace
}  // namespace jixiao
