#include "tests/raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace jixiao::testing {

using Clock = std::chrono::steady_clock;

int ConnectTcp(const std::string& address, const std::string& source) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos) return -1;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(std::atoi(address.c_str() + colon + 1));
  if (inet_pton(AF_INET, address.substr(0, colon).c_str(), &to.sin_addr) != 1) return -1;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    if (inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
        bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      close(fd);
      return -1;
    }
  }
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& data) {
  for (size_t sent = 0; sent < data.size();) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string ReceiveResponse(int fd, std::chrono::milliseconds within, size_t min_body) {
  std::string got;
  const auto deadline = Clock::now() + within;
  while (got.size() < 65536) {
    if (min_body > 0) {
      size_t head_end = got.find("\r\n\r\n");
      if (head_end != std::string::npos && got.size() >= head_end + 4 + min_body) break;
    }
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd ready{fd, POLLIN, 0};
    if (poll(&ready, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[4096];
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    got.append(buffer, static_cast<size_t>(n));
  }
  return got;
}

std::string ReceiveUntilClosed(int fd, std::chrono::milliseconds within) {
  return ReceiveResponse(fd, within, 0);
}

int HttpStatusOf(const std::string& response) {
  if (response.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::atoi(response.c_str() + 9);
}

TimedResponse TimedGet(const std::string& address, const std::string& path,
                       std::chrono::milliseconds within, const std::string& source) {
  TimedResponse timed;
  const auto start = Clock::now();
  int fd = ConnectTcp(address, source);
  if (fd >= 0) {
    if (SendAll(fd, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")) {
      timed.response = ReceiveUntilClosed(fd, within);
      timed.status = HttpStatusOf(timed.response);
    }
    close(fd);
  }
  timed.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return timed;
}

StalledConnections::StalledConnections(const std::string& address, int idle, int trickling,
                                       const std::string& opening, char trickle,
                                       const std::string& source) {
  for (int i = 0; i < idle + trickling; ++i) {
    int fd = ConnectTcp(address, source);
    if (fd < 0) {
      ok_ = false;
      continue;
    }
    fds_.push_back(fd);
    if (i >= idle && !SendAll(fd, opening)) ok_ = false;
  }
  const size_t first_trickling = static_cast<size_t>(std::max(idle, 0));
  thread_ = std::thread([this, first_trickling, trickle] {
    for (int round = 0; round < 40 && !done_; ++round) {  // at most 10 s
      for (size_t i = first_trickling; i < fds_.size(); ++i) {
        send(fds_[i], &trickle, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  });
}

StalledConnections::~StalledConnections() {
  done_ = true;
  thread_.join();
  for (int fd : fds_) close(fd);
}

int StalledConnections::ClosedByServer(std::chrono::milliseconds within) {
  std::vector<pollfd> open;
  for (int fd : fds_) open.push_back({fd, POLLIN, 0});
  int closed = 0;
  const auto deadline = Clock::now() + within;
  while (!open.empty()) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    if (poll(open.data(), open.size(), static_cast<int>(left.count())) <= 0) break;
    // Whatever a connection still has to read (an answer to a refused
    // header) is dropped; its end, or a reset, counts.
    for (size_t i = 0; i < open.size();) {
      bool ended = false;
      if (open[i].revents != 0) {
        char buffer[4096];
        ssize_t n = recv(open[i].fd, buffer, sizeof buffer, MSG_DONTWAIT);
        ended = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
      }
      if (ended) {
        ++closed;
        open[i] = open.back();
        open.pop_back();
      } else {
        open[i].revents = 0;
        ++i;
      }
    }
  }
  return closed;
}

}  // namespace jixiao::testing
