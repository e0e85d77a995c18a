#include "common/rpc/http_listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/rpc/server_main.h"

namespace jixiao::rpc {

using Clock = std::chrono::steady_clock;

// What the server and its connections share: the limits, an eventfd that
// becomes readable (and stays so) when the server stops, and a timerfd that
// becomes readable when its grace has passed.
struct HttpServerState {
  HttpConnectionLimits limits;
  bool tls = false;
  int stop_fd = -1;
  int grace_fd = -1;
  std::mutex clients_mutex;
  std::map<std::string, int> clients;  // connections being served, by client address
  ~HttpServerState() {
    if (stop_fd >= 0) close(stop_fd);
    if (grace_fd >= 0) close(grace_fd);
  }
};

namespace {

// One accepted connection as an httplib::Stream: non-blocking, every wait
// bounded by the phase's deadline, and (for TLS) its own handshake.
class Connection final : public httplib::Stream {
 public:
  Connection(int fd, const HttpServerState& shared)
      : fd_(fd),
        limits_(shared.limits),
        stop_fd_(shared.stop_fd),
        grace_fd_(shared.grace_fd),
        accepted_(Clock::now()) {
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }

  // Closes the connection; after CloseAfterAnswer, half-closes first and
  // drops what the client still sends, for a moment, so that the answer it
  // has not read yet is not destroyed by a reset.
  ~Connection() override {
    if (ssl_ != nullptr) {
      // close_notify, if it can go at once; never after a fatal error.
      if (handshaken_ && !ssl_failed_) SSL_shutdown(ssl_);
      SSL_free(ssl_);
    }
    if (close_after_answer_) {
      shutdown(fd_, SHUT_WR);
      const auto deadline = Clock::now() + std::chrono::seconds(2);
      phase_ = Phase::kWaiting;  // Stop() cuts the lingering short too
      char sink[16384];
      while (Wait(POLLIN, deadline)) {
        ssize_t n = recv(fd_, sink, sizeof sink, 0);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) break;
      }
    }
    close(fd_);
  }

  // The server-side TLS handshake, within limits.handshake_timeout of the
  // accept. False if it failed, took too long, or the server stopped.
  bool Handshake(SSL_CTX* context) {
    ssl_ = SSL_new(context);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) return false;
    SSL_set_accept_state(ssl_);
    const auto deadline = accepted_ + limits_.handshake_timeout;
    while (true) {
      ERR_clear_error();
      int done = SSL_do_handshake(ssl_);
      if (done == 1) return handshaken_ = true;
      short wait = WaitFor(SSL_get_error(ssl_, done));
      if (wait == 0 || !Wait(wait, deadline)) return false;
    }
  }

  const SSL* ssl() const { return ssl_; }

  // The server begins waiting for a request: its line and headers must
  // come within limits.header_timeout.
  void AwaitRequest() {
    phase_ = Phase::kWaiting;
    header_deadline_ = Clock::now() + limits_.header_timeout;
    header_bytes_ = 0;
    line_bytes_ = 0;
  }
  // The request's headers are in: from now on each read waits at most
  // limits.io_timeout, the body must be in within limits.body_timeout, and
  // Stop() cuts waits short only once its grace has passed.
  void HeadersRead() {
    phase_ = Phase::kServing;
    body_deadline_ = Clock::now() + limits_.body_timeout;
  }
  bool headers_read() const { return phase_ == Phase::kServing; }

  void CloseAfterAnswer() { close_after_answer_ = true; }
  bool close_after_answer() const { return close_after_answer_; }

  // Refuses the connection at once: over plain HTTP with a 503 saying
  // `why` (JSON string text), sent only if it fits the socket buffer.
  void Refuse(bool tls, const char* why) {
    if (tls) return;
    const std::string body = absl::StrCat("{\"code\":14,\"message\":\"", why, "\"}");
    const std::string busy = absl::StrCat(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        "Content-Length: ",
        body.size(), "\r\nConnection: close\r\n\r\n", body);
    send(fd_, busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  }

  // The client's address, numeric; empty if unknown.
  std::string ClientAddress() const {
    std::string ip;
    int port = 0;
    get_remote_ip_and_port(ip, port);
    return ip;
  }

  bool is_readable() const override {
    return buffer_begin_ < buffer_end_ || (ssl_ != nullptr && SSL_pending(ssl_) > 0) ||
           Wait(POLLIN, ReadDeadline());
  }

  bool is_writable() const override { return Wait(POLLOUT, Clock::now() + limits_.io_timeout); }

  // Buffered, so that httplib's byte-at-a-time reading of lines costs no
  // system call a byte. Fails (-1) past the header's deadline or size.
  ssize_t read(char* ptr, size_t size) override {
    if (size == 0) return 0;
    // httplib reads lines (request line, headers, chunk sizes) a byte at a
    // time: a run of single-byte reads without a newline is one line.
    if (size == 1 && ++line_bytes_ > kMaxHttpLineBytes) return -1;
    if (size > 1) line_bytes_ = 0;
    if (phase_ == Phase::kWaiting && header_bytes_ >= kMaxHttpHeaderBytes) return -1;
    if (buffer_begin_ == buffer_end_) {
      if (size >= sizeof buffer_) return Account(ptr, ReadSome(ptr, size));
      ssize_t got = ReadSome(buffer_, sizeof buffer_);
      if (got <= 0) return got;
      buffer_begin_ = 0;
      buffer_end_ = static_cast<size_t>(got);
    }
    size_t copied = std::min(size, buffer_end_ - buffer_begin_);
    std::memcpy(ptr, buffer_ + buffer_begin_, copied);
    buffer_begin_ += copied;
    return Account(ptr, static_cast<ssize_t>(copied));
  }

  ssize_t write(const char* ptr, size_t size) override {
    const auto deadline = Clock::now() + limits_.io_timeout;
    while (true) {
      short wait = POLLOUT;
      if (ssl_ != nullptr) {
        ERR_clear_error();
        int sent = SSL_write(ssl_, ptr, static_cast<int>(std::min<size_t>(size, INT_MAX)));
        if (sent > 0) return sent;
        wait = WaitFor(SSL_get_error(ssl_, sent));
        if (wait == 0) return -1;
      } else {
        ssize_t sent = send(fd_, ptr, size, MSG_NOSIGNAL);
        if (sent >= 0) return sent;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      }
      if (!Wait(wait, deadline)) return -1;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      Describe(address, length, ip, port);
    }
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      Describe(address, length, ip, port);
    }
  }

  socket_t socket() const override { return fd_; }

 private:
  enum class Phase {
    kWaiting,  // for a request's line and headers (or the TLS handshake)
    kServing,  // reading its body, running the handler, writing the answer
  };

  static void Describe(const sockaddr_storage& address, socklen_t length, std::string& ip,
                       int& port) {
    char host[NI_MAXHOST], service[NI_MAXSERV];
    if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host, sizeof host, service,
                    sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
      ip = host;
      port = std::atoi(service);
    }
  }

  // What an OpenSSL call that did not complete waits for; 0 if it failed.
  short WaitFor(int ssl_error) {
    if (ssl_error == SSL_ERROR_WANT_READ) return POLLIN;
    if (ssl_error == SSL_ERROR_WANT_WRITE) return POLLOUT;
    ssl_failed_ = true;
    return 0;
  }

  Clock::time_point ReadDeadline() const {
    return phase_ == Phase::kWaiting ? header_deadline_
                                     : std::min(Clock::now() + limits_.io_timeout, body_deadline_);
  }

  ssize_t Account(const char* ptr, ssize_t got) {
    if (got <= 0) return got;
    if (phase_ == Phase::kWaiting) header_bytes_ += static_cast<size_t>(got);
    if (got == 1 && *ptr == '\n') line_bytes_ = 0;
    return got;
  }

  // Reads what has arrived, waiting for some until the phase's deadline.
  ssize_t ReadSome(char* ptr, size_t size) {
    const auto deadline = ReadDeadline();
    while (true) {
      short wait = POLLIN;
      if (ssl_ != nullptr) {
        ERR_clear_error();
        int got = SSL_read(ssl_, ptr, static_cast<int>(std::min<size_t>(size, INT_MAX)));
        if (got > 0) return got;
        int error = SSL_get_error(ssl_, got);
        if (error == SSL_ERROR_ZERO_RETURN) return 0;
        wait = WaitFor(error);
        if (wait == 0) return -1;
      } else {
        ssize_t got = recv(fd_, ptr, size, 0);
        if (got >= 0) return got;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      }
      if (!Wait(wait, deadline)) return -1;
    }
  }

  // Waits until the socket is ready for `events` (or in error: the next
  // call says so). False at `deadline`, while waiting for a request once
  // the server stops, and always once the server's grace has passed.
  bool Wait(short events, Clock::time_point deadline) const {
    pollfd fds[3] = {{fd_, events, 0}, {grace_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    const nfds_t count = phase_ == Phase::kWaiting ? 3 : 2;
    while (true) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      int ready = poll(fds, count, static_cast<int>(std::min<int64_t>(left.count(), INT_MAX)));
      if (ready < 0 && errno != EINTR) return false;
      if (ready <= 0) continue;
      return fds[1].revents == 0 && (count == 2 || fds[2].revents == 0);
    }
  }

  const int fd_;
  const HttpConnectionLimits& limits_;
  const int stop_fd_;
  const int grace_fd_;
  const Clock::time_point accepted_;
  SSL* ssl_ = nullptr;
  bool handshaken_ = false;
  bool ssl_failed_ = false;
  Phase phase_ = Phase::kWaiting;
  Clock::time_point header_deadline_ = Clock::time_point::max();
  Clock::time_point body_deadline_ = Clock::time_point::max();
  size_t header_bytes_ = 0;
  size_t line_bytes_ = 0;
  bool close_after_answer_ = false;
  char buffer_[4096];
  size_t buffer_begin_ = 0, buffer_end_ = 0;
};

// One of a client address's connection slots, for as long as it lives;
// taken() is false (and nothing held) if the address has all of its own.
class ClientSlot {
 public:
  ClientSlot(HttpServerState& shared, std::string address)
      : shared_(shared), address_(std::move(address)) {
    std::lock_guard<std::mutex> lock(shared_.clients_mutex);
    int& count = shared_.clients[address_];
    const int limit = shared_.limits.max_connections_per_client;
    taken_ = limit <= 0 || count < limit;
    if (taken_) {
      ++count;
    } else if (count == 0) {
      shared_.clients.erase(address_);
    }
  }
  ~ClientSlot() {
    if (!taken_) return;
    std::lock_guard<std::mutex> lock(shared_.clients_mutex);
    auto it = shared_.clients.find(address_);
    if (--it->second == 0) shared_.clients.erase(it);
  }
  ClientSlot(const ClientSlot&) = delete;
  ClientSlot& operator=(const ClientSlot&) = delete;
  bool taken() const { return taken_; }

 private:
  HttpServerState& shared_;
  const std::string address_;
  bool taken_ = false;
};

// The connection whose request this thread is serving, if any.
thread_local Connection* current_connection = nullptr;
// Set while the accepting thread refuses a connection over the limit.
thread_local bool refusing = false;

// httplib's task queue, as a thread per connection up to a limit. Over
// the limit the task runs on the accepting thread with `refusing` set, so
// that the connection is refused at once rather than queued.
class ConnectionThreads final : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(int max_threads) : max_threads_(max_threads) {}
  ~ConnectionThreads() override { shutdown(); }

  void enqueue(std::function<void()> task) override {
    std::unique_lock<std::mutex> lock(mutex_);
    JoinFinished();
    if (static_cast<int>(threads_.size()) >= max_threads_) {
      lock.unlock();
      refusing = true;
      task();
      refusing = false;
      return;
    }
    const int id = next_id_++;
    threads_.emplace(id, std::thread([this, id, task = std::move(task)] {
                       task();
                       std::lock_guard<std::mutex> done(mutex_);
                       finished_.push_back(id);
                       changed_.notify_all();
                     }));
  }

  // Returns once every connection's thread has ended.
  void shutdown() override {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return finished_.size() == threads_.size(); });
    JoinFinished();
  }

 private:
  // Joins the threads that have ended (they hold no lock by then, or are
  // about to drop this one).
  void JoinFinished() {
    for (int id : finished_) {
      auto it = threads_.find(id);
      it->second.join();
      threads_.erase(it);
    }
    finished_.clear();
  }

  const int max_threads_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int next_id_ = 0;
  std::map<int, std::thread> threads_;
  std::vector<int> finished_;
};

// httplib::Server or SSLServer, serving each connection as a Connection
// rather than with httplib's own socket handling.
template <typename Base>
class GuardedServer final : public Base {
 public:
  template <typename... Args>
  explicit GuardedServer(HttpServerState* shared, Args&&... args)
      : Base(std::forward<Args>(args)...), shared_(shared) {
    this->new_task_queue = [shared] {
      return new ConnectionThreads(shared->limits.max_connections);
    };
  }

  socket_t listening_socket() const { return this->svr_sock_; }

 private:
  static constexpr bool kTls = std::is_same_v<Base, httplib::SSLServer>;

  // Overrides httplib's (private) connection handling: handshake, then up
  // to keep_alive_max_count_ requests, each under the header deadline.
  bool process_and_close_socket(socket_t socket) override {
    Connection connection(socket, *shared_);
    if (refusing) {
      connection.Refuse(kTls, "too many HTTP connections at once; try again later");
      return false;
    }
    // One client address may hold at most max_connections_per_client of
    // the slots; over that it is refused at once, on this connection's own
    // (short-lived) thread.
    ClientSlot slot(*shared_, connection.ClientAddress());
    if (!slot.taken()) {
      connection.Refuse(kTls, "too many HTTP connections from this address; try again later");
      return false;
    }
    if constexpr (kTls) {
      if (!connection.Handshake(this->ssl_context())) return false;
    }
    bool served = true;
    for (size_t count = 1; count <= this->keep_alive_max_count_; ++count) {
      if (this->svr_sock_ == INVALID_SOCKET) break;  // stopping
      connection.AwaitRequest();
      bool closed_by_client = false;
      current_connection = &connection;
      served = this->process_request(connection, count == this->keep_alive_max_count_,
                                     closed_by_client, [&connection](httplib::Request& request) {
                                       connection.HeadersRead();
                                       request.ssl = connection.ssl();
                                     });
      current_connection = nullptr;
      // A request whose headers did not all come (in time, within bounds)
      // leaves the rest of the connection unparseable: it ends here.
      if (!served || closed_by_client || !connection.headers_read() ||
          connection.close_after_answer()) {
        break;
      }
    }
    return served;
  }

  HttpServerState* shared_;
};

}  // namespace

absl::StatusOr<std::string> BindHttp(httplib::Server& http, const std::string& flag,
                                     const std::string& listen, const std::string& port_file,
                                     const std::string& off_loopback_refusal) {
  std::string address = listen;
  if (!address.empty() && address[0] == ':') address = "127.0.0.1" + address;
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(flag, " ", listen, ": expected HOST:PORT"));
  }
  if (!IsLoopback(address) && !off_loopback_refusal.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", address, " is not a loopback address; ", off_loopback_refusal));
  }
  std::string host = address.substr(0, colon);
  int port = std::atoi(address.c_str() + colon + 1);
  int bound = port == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return absl::UnavailableError(absl::StrCat("cannot listen on ", address));
  std::string where = absl::StrCat(host, ":", bound);
  if (!port_file.empty()) {
    std::string temporary = port_file + ".tmp";
    std::ofstream(temporary) << where << "\n";
    std::rename(temporary.c_str(), port_file.c_str());
  }
  return where;
}

HttpServer::HttpServer(std::unique_ptr<HttpServerState> shared,
                       std::unique_ptr<httplib::Server> http)
    : shared_(std::move(shared)), http_(std::move(http)) {}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Create(const HttpConnectionLimits& limits,
                                                               const std::string& tls_cert,
                                                               const std::string& tls_key,
                                                               const std::string& tls_client_ca) {
  auto shared = std::make_unique<HttpServerState>();
  shared->limits = limits;
  shared->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (shared->stop_fd < 0) return absl::InternalError("cannot make an eventfd");
  shared->grace_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (shared->grace_fd < 0) return absl::InternalError("cannot make a timerfd");
  std::unique_ptr<httplib::Server> http;
  if (tls_cert.empty()) {
    http = std::make_unique<GuardedServer<httplib::Server>>(shared.get());
  } else {
    shared->tls = true;
    http = std::make_unique<GuardedServer<httplib::SSLServer>>(
        shared.get(), tls_cert.c_str(), tls_key.c_str(),
        tls_client_ca.empty() ? nullptr : tls_client_ca.c_str());
    if (!http->is_valid()) {
      return absl::InvalidArgumentError("cannot serve HTTPS with --tls-cert and --tls-key");
    }
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(shared), std::move(http)));
}

HttpServer::~HttpServer() { Stop(); }

absl::StatusOr<std::string> HttpServer::Bind(const std::string& flag, const std::string& listen,
                                             const std::string& port_file,
                                             const std::string& off_loopback_refusal) {
  auto where = BindHttp(*http_, flag, listen, port_file, off_loopback_refusal);
  if (!where.ok()) return where;
  // httplib listens with a backlog of 5: a burst of connections would wait
  // for SYN retransmissions. Listening again only changes the backlog.
  socket_t socket = shared_->tls
                        ? static_cast<GuardedServer<httplib::SSLServer>&>(*http_).listening_socket()
                        : static_cast<GuardedServer<httplib::Server>&>(*http_).listening_socket();
  ::listen(socket, SOMAXCONN);
  return where;
}

void HttpServer::Start() {
  httplib::Server* http = http_.get();
  thread_ = std::thread([this, http] {
    http->listen_after_bind();
    listened_ = true;
  });
}

void HttpServer::Stop(std::chrono::milliseconds grace) {
  // Readable once the grace has passed; a zero it_value would disarm it.
  const auto nanoseconds =
      std::max<int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(grace).count(), 1);
  itimerspec when{};
  when.it_value.tv_sec = static_cast<time_t>(nanoseconds / 1000000000);
  when.it_value.tv_nsec = static_cast<long>(nanoseconds % 1000000000);
  timerfd_settime(shared_->grace_fd, 0, &when, nullptr);
  Stop();
}

void HttpServer::Stop() {
  const uint64_t one = 1;
  if (write(shared_->stop_fd, &one, sizeof one) < 0) {
    // The counter cannot overflow from one write: nothing to do.
  }
  if (!thread_.joinable()) return;
  // httplib's stop() does nothing until its thread has begun to listen, and
  // must be called once only: a Stop() right after Start() waits for that
  // moment, or for the thread to have given up.
  while (!listened_) {
    if (http_->is_running()) {
      http_->stop();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  thread_.join();
}

void HttpServer::CloseConnectionAfterAnswer(httplib::Response& response) {
  response.set_header("Connection", "close");
  if (current_connection != nullptr) current_connection->CloseAfterAnswer();
}

}  // namespace jixiao::rpc
