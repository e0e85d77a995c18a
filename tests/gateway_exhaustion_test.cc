// The HTTP/JSON gateways against clients that try to exhaust them, with the
// real services on loopback and raw sockets:
//
// - a large body, anonymous or with a token, declared or chunked, is
//   refused (401, 413) before it is read, and the server's memory stays far
//   below the body's size;
// - a line of a bulk-scoring stream longer than --max-message-bytes is 413;
// - 200 connections that send nothing, or trickle their request header or
//   TLS handshake one byte at a time, neither stop /healthz answering within
//   a second (plain and HTTPS) nor stay open past the header deadline;
// - one client address cannot take more than its share of the connections;
// - the bodies held at once stay within --http-max-body-bytes-in-flight;
// - a body that trickles in is cut off at --http-body-timeout, and holds
//   SIGTERM's shutdown no longer than --shutdown-grace.

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/tokens.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/fixtures.h"
#include "tests/process.h"
#include "tests/raw_http.h"

namespace jixiao::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

constexpr int kBodyBytes = 200 * 1000 * 1000;
// The services run with this limit, far below kBodyBytes.
constexpr int kMaxMessageBytes = 4 << 20;

// A kilobyte figure from /proc/PID/status ("VmRSS", "VmHWM"); -1 if none.
long StatusKb(pid_t pid, const std::string& field) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) != 0) continue;
    std::vector<std::string> parts = absl::StrSplit(line, ' ', absl::SkipEmpty());
    long kb = -1;
    if (parts.size() >= 2 && absl::SimpleAtoi(parts[1], &kb)) return kb;
  }
  return -1;
}

// Writes `total` bytes of `chunk`-sized pieces on a thread (chunked transfer
// encoding when `chunked`) until done or the server stops reading.
class BodySender {
 public:
  BodySender(int fd, size_t total, bool chunked)
      : thread_([fd, total, chunked, this] {
          const std::string piece(64 * 1024, 'x');
          const std::string framed = absl::StrCat(absl::Hex(piece.size()), "\r\n", piece, "\r\n");
          while (sent_ < total) {
            if (!SendAll(fd, chunked ? framed : piece)) return;
            sent_ += piece.size();
          }
          if (chunked) SendAll(fd, "0\r\n\r\n");
        }) {}
  ~BodySender() { thread_.join(); }
  size_t sent() const { return sent_; }

 private:
  std::atomic<size_t> sent_{0};
  std::thread thread_;
};

class GatewayExhaustion : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("jixiao-exhaust");
    WriteTokenFile(dir_ + "/tokens", {{"lh-token", "lh department LH-ZWFWSJGLJ"}});
    WriteSigningKeyFile(dir_ + "/keys");
    const std::string limit = std::to_string(kMaxMessageBytes);
    SecuredServices services =
        StartSecuredServices(dir_,
                             {"--http-listen", ":0", "--http-port-file", dir_ + "/storage.http",
                              "--max-message-bytes", limit},
                             {"--http-listen", ":0", "--http-port-file", dir_ + "/scoring.http",
                              "--max-message-bytes", limit});
    storage_ = std::move(services.storage);
    scoring_ = std::move(services.scoring);
    ASSERT_FALSE(storage_->address().empty()) << storage_->Log();
    ASSERT_FALSE(scoring_->address().empty()) << scoring_->Log();
    storage_http_ = ReadAddress(dir_ + "/storage.http");
    scoring_http_ = ReadAddress(dir_ + "/scoring.http");
  }

  // Sends `head` to `address`, then (unless `body_bytes` is 0) that many body
  // bytes from a thread, and returns the response that came back within 5
  // seconds and how long it took to come.
  struct Sent {
    std::string response;
    std::chrono::milliseconds took;
    size_t body_sent;
  };
  Sent Send(const std::string& address, const std::string& head, size_t body_bytes, bool chunked) {
    int fd = ConnectTcp(address);
    EXPECT_GE(fd, 0);
    auto start = Clock::now();
    EXPECT_TRUE(SendAll(fd, head));
    Sent sent;
    {
      std::unique_ptr<BodySender> sender;
      if (body_bytes > 0) sender = std::make_unique<BodySender>(fd, body_bytes, chunked);
      sent.response = ReceiveResponse(fd, std::chrono::seconds(5), 2);
      sent.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      // Unblocks the sender if the server has not closed yet.
      shutdown(fd, SHUT_RDWR);
      if (sender) sent.body_sent = sender->sent();
    }
    close(fd);
    return sent;
  }

  static std::string Head(const std::string& verb, const std::string& path,
                          const std::string& token, const std::string& framing,
                          const std::string& extra = "") {
    return absl::StrCat(verb, " ", path, " HTTP/1.1\r\nHost: localhost\r\n",
                        "Content-Type: application/json\r\n",
                        token.empty() ? "" : absl::StrCat("Authorization: Bearer ", token, "\r\n"),
                        framing, extra, "\r\n");
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> storage_, scoring_;
  std::string storage_http_, scoring_http_;
};

TEST_F(GatewayExhaustion, LargeBodiesAreRefusedBeforeTheyAreRead) {
  const long storage_before = StatusKb(storage_->pid(), "VmRSS");
  const long scoring_before = StatusKb(scoring_->pid(), "VmRSS");
  ASSERT_GT(storage_before, 0);
  ASSERT_GT(scoring_before, 0);
  const std::string declared = absl::StrCat("Content-Length: ", kBodyBytes, "\r\n");
  const std::string chunked = "Transfer-Encoding: chunked\r\n";

  // Anonymous, with the body following at once: 401 while it is being sent.
  for (const auto& [address, path] :
       {std::pair{scoring_http_, "/v1/score:stream"}, std::pair{storage_http_, "/v1/reports"}}) {
    Sent anonymous = Send(address, Head("POST", path, "", declared), kBodyBytes, false);
    EXPECT_EQ(HttpStatusOf(anonymous.response), 401) << path << ": " << anonymous.response;
    EXPECT_THAT(anonymous.response, HasSubstr("Connection: close"));
    EXPECT_LT(anonymous.took.count(), 2000) << path;
    Sent chunked_anonymous = Send(address, Head("POST", path, "", chunked), kBodyBytes, true);
    EXPECT_EQ(HttpStatusOf(chunked_anonymous.response), 401) << chunked_anonymous.response;
    // A client that waits for "100 Continue" is refused instead.
    Sent expecting =
        Send(address, Head("POST", path, "", declared, "Expect: 100-continue\r\n"), 0, false);
    EXPECT_EQ(HttpStatusOf(expecting.response), 401) << expecting.response;
  }
  // A bad token is refused as early.
  Sent bad_token =
      Send(storage_http_, Head("POST", "/v1/reports", "nobody", declared), kBodyBytes, false);
  EXPECT_EQ(HttpStatusOf(bad_token.response), 401) << bad_token.response;

  // With a token: a declared length over --max-message-bytes is 413 at once,
  // without a byte of the body sent.
  Sent too_long = Send(storage_http_, Head("POST", "/v1/reports", "lh-token", declared), 0, false);
  EXPECT_EQ(HttpStatusOf(too_long.response), 413) << too_long.response;
  EXPECT_THAT(too_long.response, HasSubstr("--max-message-bytes"));
  EXPECT_THAT(too_long.response, HasSubstr(std::to_string(kMaxMessageBytes)));
  EXPECT_LT(too_long.took.count(), 2000);
  // A chunked body is counted while it is read, and refused once it passes
  // the limit: the rest is never read.
  Sent too_long_chunked =
      Send(storage_http_, Head("POST", "/v1/reports", "lh-token", chunked), kBodyBytes, true);
  EXPECT_EQ(HttpStatusOf(too_long_chunked.response), 413) << too_long_chunked.response;
  EXPECT_LT(too_long_chunked.body_sent, size_t{kBodyBytes});
  // A bulk-scoring stream is read a line at a time; one line longer than
  // the limit is 413.
  Sent long_line =
      Send(scoring_http_, Head("POST", "/v1/score:stream", "lh-token", chunked), kBodyBytes, true);
  EXPECT_EQ(HttpStatusOf(long_line.response), 413) << long_line.response;
  EXPECT_THAT(long_line.response, HasSubstr("line 1"));
  EXPECT_LT(long_line.body_sent, size_t{kBodyBytes});

  // Neither server held a body: each grew by far less than one body.
  const long storage_peak = StatusKb(storage_->pid(), "VmHWM");
  const long scoring_peak = StatusKb(scoring_->pid(), "VmHWM");
  std::cerr << "storage-svc VmRSS before " << storage_before << " kB, VmHWM after " << storage_peak
            << " kB; scoring-svc " << scoring_before << " kB, " << scoring_peak << " kB\n";
  EXPECT_LT(storage_peak - storage_before, 64 * 1024);
  EXPECT_LT(scoring_peak - scoring_before, 64 * 1024);

  // Both still serve.
  int fd = ConnectTcp(scoring_http_);
  ASSERT_TRUE(SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  EXPECT_EQ(HttpStatusOf(ReceiveResponse(fd, std::chrono::seconds(2))), 200);
  close(fd);
}

TEST_F(GatewayExhaustion, AStreamMayBeLongerThanTheLimitALineAtATime) {
  // Reports enough to pass --max-message-bytes in all, each on one line.
  std::string report = ReadFile(SourcePath("examples/longhua-2019.json"));
  std::replace(report.begin(), report.end(), '\n', ' ');
  const std::string line = absl::StrCat("{\"report\": ", report, "}\n");
  std::string body;
  int lines = 0;
  for (; body.size() <= size_t{kMaxMessageBytes}; ++lines) body += line;
  CommandResult scored =
      RunCommand({"/usr/bin/curl", "-sS", "-o", dir_ + "/answers", "-w", "%{http_code}", "-H",
                  "Content-Type: application/x-ndjson", "-H", "Authorization: Bearer lh-token",
                  "--data-binary", "@-", "http://" + scoring_http_ + "/v1/score:stream"},
                 body);
  ASSERT_EQ(scored.out, "200") << scored.err << ReadFile(dir_ + "/answers").substr(0, 1000);
  std::vector<std::string> answers =
      absl::StrSplit(ReadFile(dir_ + "/answers"), '\n', absl::SkipEmpty());
  EXPECT_EQ(answers.size(), static_cast<size_t>(lines));
  EXPECT_THAT(answers.front(), HasSubstr("\"card\""));
}

// 80 authenticated 15 MiB bodies at once, as an outside tester sent them
// (the unbounded gateway then held every one: scoring-svc grew to 2.46 GB).
// The bodies held at once stay within --http-max-body-bytes-in-flight (by
// default 4 times --max-message-bytes: 64 MiB), so the server's peak memory
// grows by less than kPeakGrowthKb; the requests that found room are
// scored, the others told to retry (503, Retry-After); and while bodies
// that stall hold the whole budget, another is refused within seconds.
TEST(GatewayBodyBudget, ConcurrentLargeBodiesAreHeldWithinTheBudget) {
  constexpr long kPeakGrowthKb = 320 * 1024;
  constexpr size_t kLarge = 15 << 20;
  std::string dir = MakeTempDir("jixiao-budget");
  WriteTokenFile(dir + "/tokens", {{"lh-token", "lh department LH-ZWFWSJGLJ"}});
  WriteSigningKeyFile(dir + "/keys");
  ServerProcess scoring(BinPath("scoring-svc"),
                        {"--tokens", dir + "/tokens", "--signing-keys", dir + "/keys",
                         "--http-listen", ":0", "--http-port-file", dir + "/http",
                         "--max-message-bytes", std::to_string(16 << 20), "--call-log", "false"});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  const std::string http = ReadAddress(dir + "/http");
  // A real request padded with JSON whitespace to kLarge bytes: cheap to
  // parse, so what the server holds is the body.
  std::string report = ReadFile(SourcePath("examples/longhua-2019.json"));
  std::string body = absl::StrCat("{\"report\": ", report);
  body.append(kLarge - body.size() - 1, ' ');
  body.push_back('}');
  const std::string head = absl::StrCat(
      "POST /v1/score HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer lh-token\r\nConnection: close\r\nContent-Length: ",
      body.size(), "\r\n\r\n");
  // From `source`, as ConnectTcp says: 80 clients are more than one client
  // address may connect at once (--http-max-connections-per-client).
  auto post = [&](size_t body_bytes, const std::string& source = "") {
    int fd = ConnectTcp(http, source);
    if (fd < 0) return std::string();
    std::string response;
    if (SendAll(fd, head) && SendAll(fd, body.substr(0, body_bytes))) {
      response = ReceiveResponse(fd, std::chrono::seconds(60));
    }
    close(fd);
    return response;
  };
  const long before = StatusKb(scoring.pid(), "VmRSS");
  ASSERT_GT(before, 0);

  constexpr int kClients = 80;
  std::vector<std::string> responses(kClients);
  {
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.emplace_back(
          [&, i] { responses[i] = post(body.size(), absl::StrCat("127.0.0.", 20 + i % 2)); });
    }
    for (std::thread& client : clients) client.join();
  }
  int scored = 0, told_to_retry = 0;
  for (const std::string& response : responses) {
    const int status = HttpStatusOf(response);
    if (status == 200) {
      ++scored;
      EXPECT_THAT(response, HasSubstr("\"card\""));
    } else {
      EXPECT_EQ(status, 503) << response.substr(0, 500);
      EXPECT_THAT(response, HasSubstr("Retry-After: 1"));
      EXPECT_THAT(response, HasSubstr("--http-max-body-bytes-in-flight"));
      ++told_to_retry;
    }
  }
  const long peak = StatusKb(scoring.pid(), "VmHWM");
  std::cerr << kClients << " bodies of " << kLarge << " bytes: " << scored << " scored, "
            << told_to_retry << " told to retry; VmRSS before " << before << " kB, VmHWM after "
            << peak << " kB\n";
  EXPECT_GE(scored, 4);  // 64 MiB holds four at once
  EXPECT_LT(peak - before, kPeakGrowthKb);

  // Four bodies that stop half-way hold 60 MiB of the 64: a fifth finds no
  // room, and is told so within seconds; once they go, it is scored.
  std::vector<int> stalled;
  for (int i = 0; i < 4; ++i) {
    int fd = ConnectTcp(http);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, head) && SendAll(fd, body.substr(0, 1 << 20)));
    stalled.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto start = Clock::now();
  std::string refused = post(body.size());
  EXPECT_EQ(HttpStatusOf(refused), 503) << refused.substr(0, 500);
  EXPECT_THAT(refused, HasSubstr("Retry-After: 1"));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  for (int fd : stalled) close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(HttpStatusOf(post(body.size())), 200);
}

// Sends a POST /v1/score head declaring a 1000-byte body, then its body a
// byte a second (far within the 10 s between reads), from a thread, for at
// most 30 s or until the server closes or this is destroyed.
class TricklingBody {
 public:
  explicit TricklingBody(const std::string& address) : fd_(ConnectTcp(address)) {
    ok_ = fd_ >= 0 && SendAll(fd_,
                              "POST /v1/score HTTP/1.1\r\nHost: localhost\r\n"
                              "Content-Type: application/json\r\nAuthorization: Bearer lh-token\r\n"
                              "Content-Length: 1000\r\n\r\n{");
    thread_ = std::thread([this] {
      for (int i = 0; i < 30 && !done_ && ok_; ++i) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        if (!SendAll(fd_, " ")) break;
      }
    });
  }
  ~TricklingBody() {
    done_ = true;
    thread_.join();
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return ok_; }
  int fd() const { return fd_; }

 private:
  const int fd_;
  bool ok_ = false;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

class GatewayDeadlines : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& flags) {
    dir_ = MakeTempDir("jixiao-deadlines");
    WriteTokenFile(dir_ + "/tokens", {{"lh-token", "lh department LH-ZWFWSJGLJ"}});
    WriteSigningKeyFile(dir_ + "/keys");
    std::vector<std::string> args = {"--tokens",         dir_ + "/tokens", "--signing-keys",
                                     dir_ + "/keys",     "--http-listen",  ":0",
                                     "--http-port-file", dir_ + "/http"};
    args.insert(args.end(), flags.begin(), flags.end());
    scoring_ = std::make_unique<ServerProcess>(BinPath("scoring-svc"), args);
    ASSERT_FALSE(scoring_->address().empty()) << scoring_->Log();
    http_ = ReadAddress(dir_ + "/http");
  }
  std::string dir_, http_;
  std::unique_ptr<ServerProcess> scoring_;
};

// A body that keeps trickling in is cut off --http-body-timeout after its
// headers (here 3 s; the default is 60), though no read waits 10 s.
TEST_F(GatewayDeadlines, ABodyMustArriveWithinTheBodyTimeout) {
  Start({"--http-body-timeout", "3"});
  auto start = Clock::now();
  TricklingBody body(http_);
  ASSERT_TRUE(body.ok());
  std::string answer = ReceiveResponse(body.fd(), std::chrono::seconds(15));
  auto took = Clock::now() - start;
  EXPECT_EQ(HttpStatusOf(answer), 400) << answer;
  EXPECT_THAT(answer, HasSubstr("Connection: close"));
  EXPECT_GE(took, std::chrono::milliseconds(2900));
  EXPECT_LT(took, std::chrono::seconds(6));
}

// SIGTERM with --shutdown-grace 2 while a body trickles in: the request has
// its grace, then its connection is closed and the server exits. (Before,
// shutdown waited for the body to end: 40 s with a grace of 10.)
TEST_F(GatewayDeadlines, ShutdownClosesConnectionsStillReadingOnceTheGraceHasPassed) {
  Start({"--shutdown-grace", "2"});
  TricklingBody body(http_);
  ASSERT_TRUE(body.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto start = Clock::now();
  EXPECT_EQ(scoring_->Stop(SIGTERM), 0) << scoring_->Log();
  auto took = Clock::now() - start;
  std::cerr << "shutdown with a trickling body took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";
  EXPECT_GE(took, std::chrono::milliseconds(1900));  // the grace was given
  EXPECT_LT(took, std::chrono::seconds(5));
}

// Over --http-max-connections, a connection is refused at once (503) rather
// than queued behind those that are served.
TEST(GatewayConnections, OverTheLimitAreRefusedAtOnce) {
  std::string dir = MakeTempDir("jixiao-limit");
  ServerProcess scoring(BinPath("scoring-svc"), {"--http-listen", ":0", "--http-port-file",
                                                 dir + "/http", "--http-max-connections", "4"});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  const std::string http = ReadAddress(dir + "/http");
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) held.push_back(ConnectTcp(http));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // all four accepted
  auto start = Clock::now();
  int fd = ConnectTcp(http);
  std::string refused = ReceiveResponse(fd, std::chrono::seconds(3));
  EXPECT_EQ(HttpStatusOf(refused), 503) << refused;
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1000));
  close(fd);
  for (int each : held) close(each);
  // Once they are gone, connections are served again.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  fd = ConnectTcp(http);
  ASSERT_TRUE(SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  EXPECT_EQ(HttpStatusOf(ReceiveResponse(fd, std::chrono::seconds(2))), 200);
  close(fd);
}

// One client address holds its whole share of the connections
// (--http-max-connections-per-client, 64 by default) and opens more, idle,
// past the server's own limit: those over its share are refused at once,
// and another client address gets /healthz within a second. (Before the
// share, the first 100 took every slot and the other client got 503.)
TEST(GatewayConnections, OneClientAddressCannotTakeEverySlot) {
  std::string dir = MakeTempDir("jixiao-per-client");
  ServerProcess scoring(BinPath("scoring-svc"), {"--http-listen", ":0", "--http-port-file",
                                                 dir + "/http", "--http-max-connections", "100"});
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  const std::string http = ReadAddress(dir + "/http");
  StalledConnections quota(http, 64, 0, "", ' ', "127.0.0.2");
  ASSERT_TRUE(quota.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all 64 accepted
  StalledConnections over(http, 56, 0, "", ' ', "127.0.0.2");
  ASSERT_TRUE(over.ok());
  // Those over the share are refused at once (503, then closed).
  EXPECT_EQ(over.ClosedByServer(std::chrono::seconds(2)), 56);
  TimedResponse same = TimedGet(http, "/healthz", std::chrono::seconds(2), "127.0.0.2");
  EXPECT_EQ(same.status, 503) << same.response;
  EXPECT_THAT(same.response, HasSubstr("from this address"));
  for (const char* other : {"127.0.0.3", "127.0.0.1"}) {
    TimedResponse served = TimedGet(http, "/healthz", std::chrono::seconds(2), other);
    EXPECT_EQ(served.status, 200) << other << ": " << served.response;
    EXPECT_LT(served.took.count(), 1000) << other;
  }
  // The share's own connections are held, not refused, until the header
  // deadline.
  EXPECT_EQ(quota.ClosedByServer(std::chrono::milliseconds(100)), 0);
}

// 100 connections that send nothing and 100 that trickle, all held open,
// while /healthz is asked 8 times over 7 seconds: past the header deadline,
// after which the server must have closed every one of them.
class SlowClients : public ::testing::TestWithParam<bool> {};

TEST_P(SlowClients, HealthzAnswersWithinASecondWhile200ConnectionsStall) {
  const bool tls = GetParam();
  std::vector<std::string> flags = {"--http-listen", ":0"};
  std::string dir = MakeTempDir("jixiao-slow");
  flags.insert(flags.end(), {"--http-port-file", dir + "/http"});
  if (tls) {
    CommandResult made = RunCommand({"/bin/bash", SourcePath("deploy/dev-ca.sh"), dir});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    flags.insert(flags.end(),
                 {"--tls-cert", dir + "/server.crt", "--tls-key", dir + "/server.key"});
  }
  ServerProcess scoring(BinPath("scoring-svc"), flags);
  ASSERT_FALSE(scoring.address().empty()) << scoring.Log();
  const std::string http = ReadAddress(dir + "/http");

  // A TLS record header announcing a 512-byte handshake message, then its
  // bytes one at a time; or a request header that never ends.
  const std::string opening = tls ? std::string("\x16\x03\x01\x02\x00", 5)
                                  : "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
  // From four client addresses, 50 each: within a client's share of the
  // connections (--http-max-connections-per-client, 64), so that all 200
  // are held.
  std::vector<std::unique_ptr<StalledConnections>> stalled;
  for (const char* source : {"127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13"}) {
    stalled.push_back(
        std::make_unique<StalledConnections>(http, 25, 25, opening, tls ? '\x01' : 'a', source));
    ASSERT_TRUE(stalled.back()->ok());
  }

  auto healthz = [&] {
    auto start = Clock::now();
    int status = 0;
    if (tls) {
      CommandResult got = RunCommand(
          {"/usr/bin/curl", "-sS", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", "--cacert",
           dir + "/ca.crt", "https://localhost:" + http.substr(http.rfind(':') + 1) + "/healthz"});
      status = std::atoi(got.out.c_str());
    } else {
      int fd = ConnectTcp(http);
      SendAll(fd, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      status = HttpStatusOf(ReceiveResponse(fd, std::chrono::seconds(5)));
      close(fd);
    }
    return std::pair{status,
                     std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
  };
  for (int i = 0; i < 8; ++i) {
    auto [status, took] = healthz();
    EXPECT_EQ(status, 200) << "attempt " << i;
    EXPECT_LT(took.count(), 1000) << "attempt " << i;
    std::cerr << "healthz " << i << ": " << status << " in " << took.count() << " ms\n";
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  // By now (8 s and more after they opened) the server has closed them all.
  int closed = 0;
  for (auto& each : stalled) closed += each->ClosedByServer(std::chrono::seconds(2));
  EXPECT_EQ(closed, 200);
}

INSTANTIATE_TEST_SUITE_P(PlainAndTls, SlowClients, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Https" : "Http";
                         });

}  // namespace
}  // namespace jixiao::testing
