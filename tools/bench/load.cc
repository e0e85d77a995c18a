// jixiao-load: drives a running scoring-svc or storage-svc (or the echo
// baseline) with generated reports and prints throughput and latency.
//
//   jixiao-load score  --target 127.0.0.1:50051 --requests 20000 --concurrency 4
//   jixiao-load null   --target 127.0.0.1:50051 --requests 20000 --concurrency 4
//   jixiao-load stream --target 127.0.0.1:50051 --requests 1000000 --streams 2
//   jixiao-load echo   --target 127.0.0.1:50099 --requests 1000000 --streams 2
//   jixiao-load stream --detail summary ...  (the answers' mean size: reply_bytes)
//   jixiao-load reply  --target 127.0.0.1:50099 --reply-bytes 2100 --streams 2
//   jixiao-load put    --target 127.0.0.1:50052 --requests 100000 --concurrency 16
//   jixiao-load get | list --target 127.0.0.1:50052 ...
//   jixiao-load fetch --target 127.0.0.1:50099 --with-null
//   jixiao-load absorb | keep --target 127.0.0.1:50099 --concurrency 16
//   jixiao-load rocksdb-put --dir /tmp/raw --requests 100000 --concurrency 16
//   jixiao-load rocksdb-put --dir /tmp/raw --requests 100000 --group 16
//   jixiao-load store-put --dir /tmp/store --requests 100000 --concurrency 16
//   jixiao-load check --requests 20000
//
// Every run prints one summary line (see latency.h), or with --json one JSON
// object (what `tools/dev bench` reads). Exit code: 0 if every request
// succeeded, 1 if any failed (the first failure is printed), 2 for bad
// usage, 3 if the target could not be reached at all.

#include <grpcpp/grpcpp.h>
#include <rocksdb/db.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/report/check_report.h"
#include "common/rpc/server_main.h"
#include "common/rpc/status.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "jixiao/echo/v1/echo.grpc.pb.h"
#include "jixiao/v1/scoring_service.grpc.pb.h"
#include "jixiao/v1/storage_service.grpc.pb.h"
#include "scoring-svc/engine/engine.h"
#include "storage-svc/store/store.h"
#include "tools/bench/latency.h"
#include "tools/bench/report_generator.h"

namespace jixiao::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct LoadOptions {
  std::string target;
  std::string token;
  int64_t requests = 10000;
  int64_t offset = 0;  // first generated report index
  int concurrency = 1;
  int streams = 1;
  int64_t warmup = 0;              // requests sent, and not counted, before the run
  int64_t prepare_ahead = 100000;  // unary calls prepared before the clock, at a time
  int group = 1;                   // rocksdb-put: reports per synced batch, from one thread
  uint64_t seed = 1;
  int inconsistent_per_mille = 50;
  int fiscal_year = 0;  // of every generated report; 0: drawn from 2015–2025
  std::string dir;  // rocksdb-put
  pid_t watch_pid = 0;
  std::string name;  // on the summary line; default: the command
  int connect_seconds = 10;
  bool with_null = false;  // score, get, fetch: a null RPC before each call, tallied apart
  std::string detail = "full";  // score, stream: the card asked for, full or summary
  int64_t reply_bytes = -1;     // reply: each answer's size; -1: the request's
};

int64_t Nanoseconds(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

int64_t CpuNs(clockid_t clock) {
  timespec now;
  clock_gettime(clock, &now);
  return int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

// Samples a process's resident memory while a run goes on, and takes the
// CPU time and context switches it used while calls ran (between each
// Resume and Pause).
class ProcessWatch {
 public:
  explicit ProcessWatch(pid_t pid) : pid_(pid) {
    if (pid_ == 0) return;
    thread_ = std::thread([this] {
      while (!stop_.load()) {
        int64_t kb = ResidentKb();
        peak_kb_ = std::max(peak_kb_.load(), kb);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
  }
  // Marks the end of warm-up: "start" is resident memory from here.
  void MarkStart() {
    if (pid_ != 0) start_kb_ = ResidentKb();
  }
  // Calls run from here...
  void Resume() {
    if (pid_ == 0) return;
    resumed_cpu_ns_ = ReadCpuNs();
    resumed_switches_ = ReadSwitches();
  }
  // ...to here, and what the process used in between counts.
  void Pause() {
    if (pid_ == 0) return;
    cpu_ns_ += ReadCpuNs() - resumed_cpu_ns_;
    switches_ += ReadSwitches() - resumed_switches_;
  }
  // The watched process's CPU time while calls ran; -1 without one.
  int64_t Cpu() const { return pid_ == 0 ? -1 : cpu_ns_; }
  // Its context switches while calls ran; -1 without one.
  int64_t ContextSwitches() const { return pid_ == 0 ? -1 : switches_; }
  // Called with each answer's count: once a tenth of `total` are answered,
  // buffers and caches have grown to their working size, and "start" is
  // taken again, so that start and end compare like with like.
  void Progress(int64_t answered, int64_t total) {
    if (pid_ != 0 && answered == std::max<int64_t>(1, total / 10)) start_kb_ = ResidentKb();
  }
  // Ends the sampling; the watched process's resident memory in KiB, under
  // the summary's field names (none without a process).
  std::vector<std::pair<const char*, int64_t>> Stop() {
    if (pid_ == 0) return {};
    stop_ = true;
    thread_.join();
    return {{"rss_start_kb", start_kb_.load()},
            {"rss_end_kb", ResidentKb()},
            {"rss_peak_kb", peak_kb_.load()}};
  }

 private:
  int64_t ResidentKb() const {
    std::ifstream status(absl::StrCat("/proc/", pid_, "/status"));
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6);
    }
    return 0;
  }
  // User and system time from /proc/PID/stat (fields 14 and 15, in clock
  // ticks), read after the command name, which may hold spaces.
  int64_t ReadCpuNs() const {
    std::ifstream stat(absl::StrCat("/proc/", pid_, "/stat"));
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    size_t end_of_name = text.rfind(')');
    if (end_of_name == std::string::npos) return 0;
    std::istringstream fields(text.substr(end_of_name + 2));
    std::string field;
    int64_t utime = 0, stime = 0;
    // Fields 3 to 13 come first.
    for (int i = 3; i <= 13 && fields >> field; ++i) {
    }
    fields >> utime >> stime;
    return (utime + stime) * (1'000'000'000 / sysconf(_SC_CLK_TCK));
  }
  // Voluntary and involuntary context switches of all its threads (those
  // alive now: a thread that ended takes its count with it).
  int64_t ReadSwitches() const {
    int64_t total = 0;
    std::error_code error;
    for (const auto& task :
         std::filesystem::directory_iterator(absl::StrCat("/proc/", pid_, "/task"), error)) {
      std::ifstream status(task.path() / "status");
      std::string line;
      while (std::getline(status, line)) {
        if (line.find("ctxt_switches:") != std::string::npos) {
          total += std::atoll(line.c_str() + line.find(':') + 1);
        }
      }
    }
    return total;
  }
  pid_t pid_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> start_kb_{0}, peak_kb_{0};
  int64_t resumed_cpu_ns_ = 0, resumed_switches_ = 0;
  int64_t cpu_ns_ = 0, switches_ = 0;
};

// Everything the workers of one run share.
class Tally {
 public:
  // Returns how many answers have been recorded, this one included.
  int64_t Record(int64_t latency_ns, const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    latencies_.push_back(latency_ns);
    if (!status.ok()) {
      if (errors_++ == 0) {
        first_error_ = absl::StrCat("code ", status.error_code(), ": ", status.error_message());
      }
    }
    return static_cast<int64_t>(latencies_.size());
  }
  void Fail(const std::string& what) {
    std::lock_guard<std::mutex> lock(mu_);
    if (errors_++ == 0) first_error_ = what;
  }
  // The run's summary: `seconds` long, this process's CPU time while calls
  // ran and while it prepared them, and the watched process's.
  RunSummary Finish(double seconds, int64_t client_cpu_ns, int64_t prepare_cpu_ns,
                    const ProcessWatch& watch) {
    RunSummary summary = Finish(seconds);
    summary.client_cpu_ns = client_cpu_ns;
    summary.prepare_cpu_ns = prepare_cpu_ns;
    summary.watched_cpu_ns = watch.Cpu();
    summary.watched_switches = watch.ContextSwitches();
    return summary;
  }
  // Counts and latencies only, for calls whose CPU is not measured apart.
  RunSummary Finish(double seconds) {
    std::lock_guard<std::mutex> lock(mu_);
    RunSummary summary;
    summary.requests = static_cast<int64_t>(latencies_.size());
    summary.errors = errors_;
    summary.seconds = seconds;
    summary.first_error = first_error_;
    SummarizeLatencies(latencies_, summary);
    return summary;
  }

 private:
  std::mutex mu_;
  std::vector<int64_t> latencies_;
  int64_t errors_ = 0;
  std::string first_error_;
};

// The target's channel, once connected; an error if it could not be
// reached within --connect-timeout (main's exit code 3).
absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(const LoadOptions& options) {
  grpc::ChannelArguments args;
  // Several replicas ("ipv4:a,b,c" or a dns:/// name): spread calls over all.
  args.SetLoadBalancingPolicyName("round_robin");
  args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
  args.SetMaxSendMessageSize(64 * 1024 * 1024);
  auto channel =
      grpc::CreateCustomChannel(options.target, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                 std::chrono::seconds(options.connect_seconds))) {
    return absl::UnavailableError(absl::StrCat("cannot reach ", options.target));
  }
  return channel;
}

// Every call carries a deadline, the token if any, and its own
// x-request-id ("jixiao-load-PID-N"), which the services log.
void Prepare(grpc::ClientContext& context, const LoadOptions& options) {
  static std::atomic<int64_t> sequence{0};
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  if (!options.token.empty()) context.AddMetadata("authorization", "Bearer " + options.token);
  context.AddMetadata("x-request-id", absl::StrCat("jixiao-load-", getpid(), "-", sequence++));
}

// What one request does, prepared (its report generated and held) before
// the clock starts.
using Call = std::function<grpc::Status()>;

// A call made before each timed one, on the same thread and channel, and
// tallied apart: a baseline that the machine's drift affects as it does the
// calls it is compared with.
struct Interleaved {
  Call call;
  Tally tally;
};

// Runs prepare(index)() for warmup + requests indices over `concurrency`
// threads, timing each call; only the last `requests` count. With
// `interleaved`, its call goes before each one, timed into its own tally.
//
// The calls are prepared up to `prepare_ahead` at a time, each batch before
// the clock runs again: on a machine shared with the server, generating a
// report while others are in flight would take the server's CPU, and the
// run would measure the generator. The seconds and CPU times count only
// while calls run; the preparation's CPU is reported apart.
RunSummary RunUnary(const LoadOptions& options, ProcessWatch& watch,
                    const std::function<Call(int64_t index)>& prepare,
                    Interleaved* interleaved = nullptr) {
  for (int64_t i = 0; i < options.warmup; ++i) {
    if (interleaved != nullptr) interleaved->call();
    prepare(options.offset + i)();
  }
  watch.MarkStart();
  Tally tally;
  double seconds = 0;
  int64_t client_cpu_ns = 0, prepare_cpu_ns = 0;
  std::vector<Call> calls;
  for (int64_t first = 0; first < options.requests;) {
    const int64_t prepare_start_ns = CpuNs(CLOCK_PROCESS_CPUTIME_ID);
    const int64_t batch = std::min(options.prepare_ahead, options.requests - first);
    calls.clear();
    for (int64_t i = 0; i < batch; ++i) {
      calls.push_back(prepare(options.offset + options.warmup + first + i));
    }
    const int64_t run_start_ns = CpuNs(CLOCK_PROCESS_CPUTIME_ID);
    prepare_cpu_ns += run_start_ns - prepare_start_ns;
    watch.Resume();
    const auto start = Clock::now();
    std::atomic<int64_t> next{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < options.concurrency; ++t) {
      workers.emplace_back([&] {
        for (int64_t i; (i = next.fetch_add(1)) < batch;) {
          if (interleaved != nullptr) {
            auto begin = Clock::now();
            grpc::Status status = interleaved->call();
            interleaved->tally.Record(Nanoseconds(Clock::now() - begin), status);
          }
          auto begin = Clock::now();
          grpc::Status status = calls[i]();
          watch.Progress(tally.Record(Nanoseconds(Clock::now() - begin), status), options.requests);
        }
      });
    }
    for (auto& worker : workers) worker.join();
    seconds += std::chrono::duration<double>(Clock::now() - start).count();
    client_cpu_ns += CpuNs(CLOCK_PROCESS_CPUTIME_ID) - run_start_ns;
    watch.Pause();
    first += batch;
  }
  return tally.Finish(seconds, client_cpu_ns, prepare_cpu_ns, watch);
}

// Sends `requests` generated reports over `streams` bidi streams at once,
// each with a writer and a reader thread; a message's latency runs from its
// write to its answer. Each request is `base` with a report and an id.
// `open` starts a stream; `failed` says whether an answer carries an error.
// With `measure_replies`, the summary counts the answers' bytes.
template <typename Request, typename Response>
RunSummary RunStreams(
    const LoadOptions& options, const ReportGenerator& generator, ProcessWatch& watch,
    const Request& base,
    const std::function<
        std::unique_ptr<grpc::ClientReaderWriter<Request, Response>>(grpc::ClientContext*)>& open,
    const std::function<bool(const Response&, std::string*)>& failed,
    bool measure_replies = false) {
  watch.MarkStart();
  watch.Resume();
  Tally tally;
  std::atomic<int64_t> next{0}, prepare_cpu_ns{0}, reply_bytes{0};
  const int64_t cpu_start_ns = CpuNs(CLOCK_PROCESS_CPUTIME_ID);
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < options.streams; ++s) {
    threads.emplace_back([&] {
      grpc::ClientContext context;
      if (!options.token.empty()) context.AddMetadata("authorization", "Bearer " + options.token);
      auto stream = open(&context);
      std::mutex mu;
      std::deque<Clock::time_point> sent;
      std::thread reader([&] {
        Response response;
        std::string why;
        while (stream->Read(&response)) {
          Clock::time_point at;
          {
            std::lock_guard<std::mutex> lock(mu);
            at = sent.front();
            sent.pop_front();
          }
          if (measure_replies) reply_bytes += static_cast<int64_t>(response.ByteSizeLong());
          bool bad = failed(response, &why);
          int64_t answered =
              tally.Record(Nanoseconds(Clock::now() - at),
                           bad ? grpc::Status(grpc::StatusCode::UNKNOWN, why) : grpc::Status::OK);
          watch.Progress(answered, options.requests);
        }
      });
      Request request = base;
      for (int64_t i; (i = next.fetch_add(1)) < options.requests;) {
        const int64_t prepare_start_ns = CpuNs(CLOCK_THREAD_CPUTIME_ID);
        *request.mutable_report() = generator.Report(static_cast<uint64_t>(options.offset + i));
        request.set_request_id(absl::StrCat(i));
        prepare_cpu_ns += CpuNs(CLOCK_THREAD_CPUTIME_ID) - prepare_start_ns;
        {
          std::lock_guard<std::mutex> lock(mu);
          sent.push_back(Clock::now());
        }
        if (!stream->Write(request)) break;
      }
      stream->WritesDone();
      reader.join();
      grpc::Status status = stream->Finish();
      if (!status.ok())
        tally.Fail(absl::StrCat("stream ended with code ", status.error_code(), ": ",
                                status.error_message()));
      std::lock_guard<std::mutex> lock(mu);
      for (size_t k = 0; k < sent.size(); ++k) tally.Fail("no answer");
    });
  }
  for (auto& thread : threads) thread.join();
  watch.Pause();
  // The reports were generated as they were sent: their CPU is kept apart.
  RunSummary summary = tally.Finish(std::chrono::duration<double>(Clock::now() - start).count(),
                                    CpuNs(CLOCK_PROCESS_CPUTIME_ID) - cpu_start_ns - prepare_cpu_ns,
                                    prepare_cpu_ns, watch);
  if (measure_replies) summary.reply_bytes = reply_bytes.load();
  return summary;
}

// A score request asking for --detail's card.
v1::ScoreRequest ScoreBase(const LoadOptions& options) {
  v1::ScoreRequest request;
  request.set_detail(options.detail == "summary" ? v1::DETAIL_SUMMARY : v1::DETAIL_FULL);
  return request;
}

grpc::Status ToGrpcStatus(const rocksdb::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::INTERNAL, "put: " + status.ToString());
}

// The best case of group commit, with nothing between the writes and the
// disk: one thread writes the reports `group` at a time, each group one
// synced batch, so that `group` writes share each sync and no thread waits
// for another's. A report's latency is its batch's. All the reports are
// serialized before the clock runs (no warm-up, no batches of
// --prepare-ahead).
RunSummary RunGrouped(const LoadOptions& options, const ReportGenerator& generator, rocksdb::DB& db,
                      const rocksdb::WriteOptions& write, ProcessWatch& watch) {
  const int64_t prepare_start_ns = CpuNs(CLOCK_PROCESS_CPUTIME_ID);
  std::vector<std::pair<std::string, std::string>> reports;  // key, value
  for (int64_t i = 0; i < options.requests; ++i) {
    v1::Report report = generator.Report(static_cast<uint64_t>(options.offset + i));
    reports.emplace_back(report.identity().department_code(), report.SerializeAsString());
  }
  const int64_t run_start_ns = CpuNs(CLOCK_PROCESS_CPUTIME_ID);
  watch.MarkStart();
  watch.Resume();
  Tally tally;
  const auto start = Clock::now();
  for (size_t first = 0; first < reports.size(); first += options.group) {
    const auto begin = Clock::now();
    const size_t end = std::min(reports.size(), first + options.group);
    rocksdb::WriteBatch batch;
    for (size_t i = first; i < end; ++i) batch.Put(reports[i].first, reports[i].second);
    const grpc::Status status = ToGrpcStatus(db.Write(write, &batch));
    const int64_t latency_ns = Nanoseconds(Clock::now() - begin);
    for (size_t i = first; i < end; ++i) tally.Record(latency_ns, status);
  }
  watch.Pause();
  return tally.Finish(std::chrono::duration<double>(Clock::now() - start).count(),
                      CpuNs(CLOCK_PROCESS_CPUTIME_ID) - run_start_ns,
                      run_start_ns - prepare_start_ns, watch);
}

// `base` carrying generated report `index`, made before its call is timed.
template <typename Request>
std::shared_ptr<const Request> WithReport(const ReportGenerator& generator, int64_t index,
                                          Request base = Request()) {
  auto request = std::make_shared<Request>(std::move(base));
  *request->mutable_report() = generator.Report(static_cast<uint64_t>(index));
  return request;
}

v1::ReportKey KeyOf(const v1::Report& report) {
  v1::ReportKey key;
  key.set_department_code(report.identity().department_code());
  key.set_fiscal_year(report.identity().fiscal_year());
  return key;
}

// What a command runs with: the options, the generated reports, the watched
// process, and (for a command with a target) the channel and the null RPC
// interleaved before each call with --with-null.
class Session {
 public:
  Session(const LoadOptions& options, const ReportGenerator& generator, ProcessWatch& watch)
      : options(options), generator(generator), watch(watch) {}

  const LoadOptions& options;
  const ReportGenerator& generator;
  ProcessWatch& watch;

  // Connects to the target; the commands with a target call it first.
  absl::Status Connect() {
    if (channel_ != nullptr) return absl::OkStatus();
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = Channel(options);
    if (!channel.ok()) return channel.status();
    channel_ = *std::move(channel);
    health_ = grpc::health::v1::Health::NewStub(channel_);
    return absl::OkStatus();
  }

  // The target's channel, once Connect succeeded.
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  // The null RPC: a health Check over the same channel.
  Call NullCall() {
    return [this] {
      grpc::ClientContext context;
      Prepare(context, options);
      grpc::health::v1::HealthCheckRequest request;
      grpc::health::v1::HealthCheckResponse response;
      return health_->Check(&context, request, &response);
    };
  }

  // The call that sends `request` through `method` of `stub`, each time with
  // a fresh context (deadline, token, request id); `check`, if given, says
  // whether an OK answer is what was wanted.
  template <typename Stub, typename Request, typename Response>
  Call Unary(Stub& stub,
             grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
             std::shared_ptr<const Request> request,
             std::function<grpc::Status(const Response&)> check = nullptr) {
    return [this, &stub, method, request = std::move(request), check = std::move(check)] {
      grpc::ClientContext context;
      Prepare(context, options);
      Response response;
      grpc::Status status = (stub.*method)(&context, *request, &response);
      return status.ok() && check ? check(response) : status;
    };
  }

  // Runs prepare(index)() for every index, with the null RPC before each
  // call if --with-null asked for it.
  RunSummary RunCalls(const std::function<Call(int64_t index)>& prepare) {
    if (options.with_null && null_first_ == nullptr) {
      null_first_ = std::make_unique<Interleaved>();
      null_first_->call = NullCall();
    }
    return RunUnary(options, watch, prepare, null_first_.get());
  }

  // The generated reports sent as CreateReportRequests through `method` of
  // `stub` (put, absorb, keep).
  template <typename Stub>
  RunSummary SendReports(Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                                  const v1::CreateReportRequest&,
                                                                  v1::CreateReportResponse*)) {
    return RunCalls([&](int64_t index) {
      return Unary(stub, method, WithReport<v1::CreateReportRequest>(generator, index));
    });
  }

  // The null RPC's own tally, with --with-null; null otherwise.
  Interleaved* null_first() { return null_first_.get(); }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
  std::unique_ptr<Interleaved> null_first_;
};

// The flags a command takes beyond those every command takes.
enum Needs : unsigned {
  kTarget = 1,     // --target, --token-file, --connect-timeout: a service to drive
  kDir = 2,        // --dir: a RocksDB directory, in process
  kGroup = 4,      // --group
  kStreamed = 8,   // sends over streams: no --prepare-ahead
  kWithNull = 16,  // --with-null
};

// One jixiao-load command: its name, its help, the flags it takes, and what
// it runs (an error if it could not start: the exit code 3).
struct LoadCommand {
  const char* name;
  const char* help;
  unsigned needs;
  std::function<absl::StatusOr<RunSummary>(Session&)> run;
};

absl::StatusOr<RunSummary> RunRocksDbPut(Session& s) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.IncreaseParallelism(2);
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(db_options, s.options.dir, &raw);
  if (!opened.ok()) return absl::InternalError("open: " + opened.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions write;
  write.sync = true;
  if (s.options.group > 1) return RunGrouped(s.options, s.generator, *db, write, s.watch);
  return RunUnary(s.options, s.watch, [&](int64_t index) -> Call {
    v1::Report report = s.generator.Report(static_cast<uint64_t>(index));
    return
        [&db, &write, key = report.identity().department_code(),
         value = report.SerializeAsString()] { return ToGrpcStatus(db->Put(write, key, value)); };
  });
}

absl::StatusOr<RunSummary> RunStorePut(Session& s) {
  store::StoreOptions store_options;
  store_options.data_dir = s.options.dir;
  absl::StatusOr<std::unique_ptr<store::Store>> opened = store::Store::Open(store_options);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<store::Store> db = *std::move(opened);
  return RunUnary(s.options, s.watch, [&](int64_t index) -> Call {
    auto request = WithReport<v1::CreateReportRequest>(s.generator, index);
    return [&db, request] {
      return rpc::ToGrpcStatus(
          db->CreateReport(*request, store::WriteContext{"jixiao-load"}).status());
    };
  });
}

// Whether a score answer carries an error, and which.
bool AnswerFailed(const v1::ScoreResponse& response, std::string* why) {
  if (!response.has_error()) return false;
  *why = response.error().message();
  return true;
}

// A page of exactly 100 reports, or a failure saying how many came.
grpc::Status FullPage(const v1::ListReportsResponse& response) {
  if (response.reports_size() == 100) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::OUT_OF_RANGE,
                      absl::StrCat("page has ", response.reports_size(), " reports, not 100"));
}

const std::vector<LoadCommand>& Commands() {
  using Scoring = v1::ScoringService::Stub;
  using Storage = v1::StorageService::Stub;
  using Echo = echo::v1::Echo::Stub;
  static const std::vector<LoadCommand> commands = {
      {"null", "health Check: the null RPC every latency is compared with", kTarget,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         Call null_call = s.NullCall();
         return s.RunCalls([&](int64_t) { return null_call; });
       }},
      {"score", "unary ScoringService.Score of generated reports", kTarget | kWithNull,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = v1::ScoringService::NewStub(s.channel());
         return s.RunCalls([&](int64_t index) {
           return s.Unary(*stub, &Scoring::Score,
                          WithReport(s.generator, index, ScoreBase(s.options)));
         });
       }},
      {"stream", "ScoringService.ScoreStream of generated reports over --streams streams",
       kTarget | kStreamed,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = v1::ScoringService::NewStub(s.channel());
         return RunStreams<v1::ScoreRequest, v1::ScoreResponse>(
             s.options, s.generator, s.watch, ScoreBase(s.options),
             [&](grpc::ClientContext* context) { return stub->ScoreStream(context); }, AnswerFailed,
             /*measure_replies=*/true);
       }},
      {"echo", "the same stream to bench-echo-svc, which only echoes", kTarget | kStreamed,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = echo::v1::Echo::NewStub(s.channel());
         return RunStreams<v1::ScoreRequest, v1::ScoreRequest>(
             s.options, s.generator, s.watch, v1::ScoreRequest(),
             [&](grpc::ClientContext* context) { return stub->EchoStream(context); },
             [](const v1::ScoreRequest& echoed, std::string* why) {
               if (echoed.has_report()) return false;
               *why = "echo lost the report";
               return true;
             });
       }},
      {"reply",
       "the same stream to bench-echo-svc's ReplyStream, answering each with --reply-bytes "
       "(ScoreStream's transport when the answers are summaries)",
       kTarget | kStreamed,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = echo::v1::Echo::NewStub(s.channel());
         return RunStreams<v1::ScoreRequest, v1::ScoreResponse>(
             s.options, s.generator, s.watch, ScoreBase(s.options),
             [&](grpc::ClientContext* context) {
               if (s.options.reply_bytes >= 0)
                 context->AddMetadata("x-reply-bytes", std::to_string(s.options.reply_bytes));
               return stub->ReplyStream(context);
             },
             AnswerFailed, /*measure_replies=*/true);
       }},
      {"fetch", "bench-echo-svc's Fetch: a report sent back from memory, GetReport's baseline",
       kTarget | kWithNull,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = echo::v1::Echo::NewStub(s.channel());
         auto request = std::make_shared<const echo::v1::FetchRequest>();
         Call fetch = s.Unary(*stub, &Echo::Fetch, request);
         return s.RunCalls([&](int64_t) { return fetch; });
       }},
      {"absorb",
       "bench-echo-svc's Absorb: the same reports sent and dropped, CreateReport's transport",
       kTarget,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = echo::v1::Echo::NewStub(s.channel());
         return s.SendReports(*stub, &Echo::Absorb);
       }},
      {"keep",
       "bench-echo-svc's Keep: the same reports checked and made durable, and nothing else; "
       "CreateReport's floor",
       kTarget,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = echo::v1::Echo::NewStub(s.channel());
         return s.SendReports(*stub, &Echo::Keep);
       }},
      {"put", "StorageService.CreateReport of generated reports (new departments)", kTarget,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = v1::StorageService::NewStub(s.channel());
         return s.SendReports(*stub, &Storage::CreateReport);
       }},
      {"get", "StorageService.GetReport of reports put before (same --offset and --seed)",
       kTarget | kWithNull,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = v1::StorageService::NewStub(s.channel());
         return s.RunCalls([&](int64_t index) {
           auto request = std::make_shared<v1::GetReportRequest>();
           *request->mutable_key() = KeyOf(s.generator.Report(static_cast<uint64_t>(index)));
           return s.Unary(*stub, &Storage::GetReport,
                          std::shared_ptr<const v1::GetReportRequest>(std::move(request)));
         });
       }},
      {"list", "StorageService.ListReports: one page of 100 for a year", kTarget,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = v1::StorageService::NewStub(s.channel());
         return s.RunCalls([&](int64_t index) {
           auto request = std::make_shared<v1::ListReportsRequest>();
           request->set_fiscal_year(static_cast<int32_t>(2015 + index % 11));
           request->set_page_size(100);
           return s.Unary(*stub, &Storage::ListReports,
                          std::shared_ptr<const v1::ListReportsRequest>(std::move(request)),
                          std::function<grpc::Status(const v1::ListReportsResponse&)>(FullPage));
         });
       }},
      // What-if's baseline: the year read as what-if reads it, and nothing
      // done with it.
      {"read-year",
       "StorageService.ListReports of every report of --year, view FIGURES, 500 a page, as "
       "jixiao whatif reads it; --requests is ignored, the count is the year's",
       kTarget,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         auto stub = v1::StorageService::NewStub(s.channel());
         v1::ListReportsRequest request;
         request.set_fiscal_year(s.options.fiscal_year);
         request.set_view(v1::REPORT_VIEW_FIGURES);
         request.set_page_size(500);
         RunSummary summary;
         const int64_t cpu_start = CpuNs(CLOCK_PROCESS_CPUTIME_ID);
         const Clock::time_point start = Clock::now();
         do {
           grpc::ClientContext context;
           v1::ListReportsResponse page;
           grpc::Status status = stub->ListReports(&context, request, &page);
           if (!status.ok()) {
             return absl::UnavailableError(absl::StrCat("ListReports: ", status.error_message()));
           }
           summary.requests += page.reports_size();
           request.set_page_token(page.next_page_token());
         } while (!request.page_token().empty());
         summary.seconds = Nanoseconds(Clock::now() - start) / 1e9;
         summary.client_cpu_ns = CpuNs(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
         return summary;
       }},
      // Baseline: synced puts of the same serialized reports, straight into
      // RocksDB, from as many threads as the service has clients.
      {"rocksdb-put", "synced RocksDB puts of the same bytes in --dir: the storage baseline",
       kDir | kGroup, RunRocksDbPut},
      // A CreateReport's storage work without the RPC: the store library in
      // process (field check, head read, batch, group-committed synced
      // write), from as many threads as the service has clients.
      {"store-put",
       "CreateReport on the store library in process, in --dir: a write's storage work without "
       "the RPC",
       kDir, RunStorePut},
      // What every write must do besides storing: check the report's fields.
      {"check", "report::CheckReport of the same reports, in process: a write's field check", 0,
       [](Session& s) -> absl::StatusOr<RunSummary> {
         return RunUnary(s.options, s.watch, [&](int64_t index) -> Call {
           auto report =
               std::make_shared<v1::Report>(s.generator.Report(static_cast<uint64_t>(index)));
           return [report] { return rpc::ToGrpcStatus(report::CheckReport(*report)); };
         });
       }},
  };
  return commands;
}

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      absl::StrAppend(&out, "\\", std::string(1, c));
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// The summary as one JSON object on one line, with the fields and units of
// FormatSummary's line (a field not measured is left out), `memory` after
// them, and `with_null`, the interleaved null RPC's own summary, if any.
std::string JsonSummary(const std::string& name, const RunSummary& summary,
                        const std::vector<std::pair<const char*, int64_t>>& memory,
                        const std::string& with_null) {
  std::string json = absl::StrFormat(
      "{\"name\": %s, \"requests\": %d, \"errors\": %d, \"seconds\": %.3f, "
      "\"per_second\": %.0f, \"p50_us\": %.1f, \"p99_us\": %.1f, \"max_us\": %.1f",
      JsonString(name), summary.requests, summary.errors, summary.seconds, summary.per_second(),
      summary.p50_ns / 1e3, summary.p99_ns / 1e3, summary.max_ns / 1e3);
  const double requests = static_cast<double>(summary.requests);
  auto per_request = [&](const char* field, int64_t total, double scale) {
    if (total < 0 || summary.requests <= 0) return;
    absl::StrAppendFormat(&json, scale == 1 ? ", \"%s\": %.2f" : ", \"%s\": %.1f", field,
                          static_cast<double>(total) / scale / requests);
  };
  per_request("client_cpu_us", summary.client_cpu_ns, 1e3);
  per_request("prepare_cpu_us", summary.prepare_cpu_ns, 1e3);
  per_request("server_cpu_us", summary.watched_cpu_ns, 1e3);
  per_request("server_switches", summary.watched_switches, 1);
  per_request("reply_bytes", summary.reply_bytes, 1);
  for (const auto& [field, value] : memory)
    absl::StrAppendFormat(&json, ", \"%s\": %d", field, value);
  if (summary.errors > 0)
    absl::StrAppend(&json, ", \"first_error\": ", JsonString(summary.first_error));
  if (!with_null.empty()) absl::StrAppend(&json, ", \"with_null\": ", with_null);
  return json + "}";
}

int Run(const LoadCommand& command, const LoadOptions& options, bool json) {
  GeneratorOptions generator_options;
  generator_options.seed = options.seed;
  generator_options.inconsistent_per_mille = options.inconsistent_per_mille;
  generator_options.fiscal_year = options.fiscal_year;
  ReportGenerator generator(generator_options);
  ProcessWatch watch(options.watch_pid);
  Session session(options, generator, watch);
  absl::Status connected = (command.needs & kTarget) ? session.Connect() : absl::OkStatus();
  absl::StatusOr<RunSummary> summary =
      connected.ok() ? command.run(session) : absl::StatusOr<RunSummary>(connected);
  if (!summary.ok()) {
    std::cerr << "jixiao-load: " << summary.status() << "\n";
    return 3;
  }
  const std::string name = options.name.empty() ? command.name : options.name;
  int64_t null_errors = 0;
  std::string null_json;
  if (Interleaved* null_first = session.null_first()) {
    RunSummary null_summary = null_first->tally.Finish(summary->seconds);
    null_errors = null_summary.errors;
    if (json) {
      null_json = JsonSummary("null", null_summary, {}, "");
    } else {
      std::cout << FormatSummary("null", null_summary) << std::endl;
    }
  }
  const std::vector<std::pair<const char*, int64_t>> memory = watch.Stop();
  if (json) {
    std::cout << JsonSummary(name, *summary, memory, null_json) << std::endl;
  } else {
    std::string line = FormatSummary(name, *summary);
    std::string first_error;
    if (size_t newline = line.find('\n'); newline != std::string::npos) {
      first_error = line.substr(newline);
      line.resize(newline);
    }
    for (const auto& [field, value] : memory) absl::StrAppendFormat(&line, " %s=%d", field, value);
    std::cout << line << first_error << std::endl;
  }
  return summary->errors == 0 && null_errors == 0 && summary->requests > 0 ? 0 : 1;
}

}  // namespace
}  // namespace jixiao::bench

int main(int argc, char** argv) {
  jixiao::rpc::StopLockOrderTracking();
  CLI::App app{
      "jixiao-load: drives scoring-svc, storage-svc or the echo baseline with generated reports "
      "and prints requests, errors, throughput and p50/p99 latency. Exits 1 if any request "
      "failed.",
      "jixiao-load"};
  app.require_subcommand(1);
  jixiao::bench::LoadOptions options;
  std::string token_file;
  bool json = false;
  for (const jixiao::bench::LoadCommand& command : jixiao::bench::Commands()) {
    using namespace jixiao::bench;  // the Needs flags
    CLI::App* sub = app.add_subcommand(command.name, command.help);
    if (command.needs & kDir) {
      sub->add_option("--dir", options.dir, "RocksDB directory (created)")->required();
    }
    if (command.needs & kGroup) {
      sub->add_option("--group", options.group,
                      "above 1: one thread writes the reports this many at a time, each group "
                      "one synced batch (--concurrency is not used): what a durable write "
                      "costs when that many share each sync")
          ->check(CLI::PositiveNumber)
          ->capture_default_str();
    }
    if (command.needs & kTarget) {
      sub->add_option("--target", options.target, "host:port of the service")->required();
      sub->add_option("--token-file", token_file, "file holding a bearer token");
      sub->add_option("--connect-timeout", options.connect_seconds,
                      "seconds to wait for the target before exiting 3")
          ->capture_default_str();
    }
    sub->add_option("--requests", options.requests, "requests to count")->capture_default_str();
    sub->add_option("--warmup", options.warmup,
                    "requests to send first and not count (they take the first indices)");
    if (!(command.needs & kStreamed)) {
      sub->add_option("--prepare-ahead", options.prepare_ahead,
                      "calls prepared (reports generated) before the clock runs, at a time; a "
                      "longer run goes in batches, and only the calls' time counts")
          ->check(CLI::PositiveNumber)
          ->capture_default_str();
    }
    sub->add_option("--concurrency", options.concurrency, "threads sending unary calls")
        ->capture_default_str();
    sub->add_option("--streams", options.streams, "streams at once (stream, echo, reply)")
        ->capture_default_str();
    const std::string name = command.name;
    if (name == "score" || name == "stream" || name == "reply") {
      sub->add_option("--detail", options.detail,
                      "the card each request asks for: full (the explained card) or summary "
                      "(scores, grade and findings' codes: ScoreRequest.detail)")
          ->check(CLI::IsMember({"full", "summary"}))
          ->capture_default_str();
    }
    if (name == "reply") {
      sub->add_option("--reply-bytes", options.reply_bytes,
                      "each answer's size in bytes, as a stream's reply_bytes gives it "
                      "(default: the request's)")
          ->check(CLI::Range(int64_t{0}, int64_t{4} << 20));
    }
    sub->add_option("--offset", options.offset, "index of the first generated report");
    sub->add_option("--seed", options.seed, "generator seed")->capture_default_str();
    sub->add_option("--year", options.fiscal_year,
                    "the fiscal year of every generated report (default: each drawn from "
                    "2015-2025); read-year: the year read");
    sub->add_option("--inconsistent-per-mille", options.inconsistent_per_mille,
                    "generated reports with a contradicted rate, per 1000")
        ->capture_default_str();
    sub->add_option("--watch-pid", options.watch_pid,
                    "print this process's resident memory once a tenth of the requests are "
                    "answered (rss_start_kb), at the end and at its peak, and the CPU time it "
                    "used per request (server_cpu_us) and its context switches per request "
                    "(server_switches)");
    sub->add_option("--name", options.name, "name on the summary line");
    sub->add_flag("--json", json,
                  "print the summary as one JSON object (the same fields, numbers as numbers; "
                  "with --with-null, the null RPC's summary as its field with_null)");
    if (command.needs & kWithNull) {
      sub->add_flag("--with-null", options.with_null,
                    "before each call, a null RPC on the same channel, tallied apart on a line "
                    "of its own: the baseline, measured under the same conditions (the CPU "
                    "figures then count both)");
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // bad usage exits 2, as the header says
  }
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!std::getline(in, options.token)) {
      std::cerr << "jixiao-load: cannot read a token from " << token_file << "\n";
      return 2;
    }
  }
  const std::string chosen = app.get_subcommands().front()->get_name();
  for (const jixiao::bench::LoadCommand& command : jixiao::bench::Commands()) {
    if (command.name == chosen) return jixiao::bench::Run(command, options, json);
  }
  return 2;  // CLI11 knows only the commands above
}
