// HTTP over raw loopback TCP sockets, for tests that play clients no
// library would: ones that send nothing, or a request a byte at a time, and
// hold their connections open while the test times the server's answers to
// everyone else.

#ifndef JIXIAO_TESTS_RAW_HTTP_H_
#define JIXIAO_TESTS_RAW_HTTP_H_

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace jixiao::testing {

// A blocking TCP connection to `address` ("127.0.0.1:PORT"); -1 if it fails.
// With `source` (an IPv4 address, e.g. "127.0.0.2": any of 127.0.0.0/8 is
// loopback), the connection comes from there, as another client would.
int ConnectTcp(const std::string& address, const std::string& source = "");

// Sends all of `data` on `fd`; false if the connection fails first.
bool SendAll(int fd, const std::string& data);

// What the server sends on `fd` until it closes the connection or `within`
// passes, at most 64 KiB.
std::string ReceiveUntilClosed(int fd, std::chrono::milliseconds within);

// The same, but done early once a whole response head and `min_body` more
// bytes have arrived (0: only when closed or `within` has passed).
std::string ReceiveResponse(int fd, std::chrono::milliseconds within, size_t min_body = 1);

// The status code of an HTTP/1.1 response; 0 if `response` is not one.
int HttpStatusOf(const std::string& response);

// One GET of `path` from `address` on a connection of its own
// ("Connection: close"): the whole response as received within `within`
// (status 0 if none came), and how long it took from the connect.
struct TimedResponse {
  int status = 0;
  std::string response;
  std::chrono::milliseconds took{0};
};
TimedResponse TimedGet(const std::string& address, const std::string& path,
                       std::chrono::milliseconds within, const std::string& source = "");

// Connections to a server that never complete a request: `idle` of them
// send nothing; `trickling` send `opening` (a request line and the start of
// a header, or of a TLS handshake), then `trickle` every 250 ms, from a
// thread, for at most 10 s or until destroyed. The destructor stops the
// thread and closes every connection. All come from `source`, as
// ConnectTcp says.
class StalledConnections {
 public:
  StalledConnections(const std::string& address, int idle, int trickling,
                     const std::string& opening, char trickle, const std::string& source = "");
  ~StalledConnections();
  StalledConnections(const StalledConnections&) = delete;
  StalledConnections& operator=(const StalledConnections&) = delete;

  // Whether every connection was made and every opening sent.
  bool ok() const { return ok_; }

  // How many of the connections the server has closed (EOF or reset),
  // waiting at most `within` in all for the rest to close.
  int ClosedByServer(std::chrono::milliseconds within);

 private:
  std::vector<int> fds_;  // the idle ones, then the trickling ones
  bool ok_ = true;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace jixiao::testing

#endif  // JIXIAO_TESTS_RAW_HTTP_H_
