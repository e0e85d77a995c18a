// grpc.health.v1.Health on the callback API.
//
// gRPC's built-in health service (EnableDefaultHealthCheckService) delays
// every later graceful shutdown by five seconds once it has answered a
// Check, which Kubernetes probes do constantly; this one does not, and it
// ends Watch streams when the server shuts down so that they never hold the
// shutdown for its grace period.
//
// Thread-safe.

#ifndef JIXIAO_COMMON_RPC_HEALTH_SERVICE_H_
#define JIXIAO_COMMON_RPC_HEALTH_SERVICE_H_

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"

namespace jixiao::rpc {

class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  // Sets the status of `service` ("" is the server as a whole) and tells
  // every watcher of it.
  void SetServing(const std::string& service, bool serving);

  // Marks everything NOT_SERVING and ends every Watch stream; further
  // Watch calls end at once.
  void Shutdown();

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::health::v1::HealthCheckResponse* response) override;
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

  class Watcher;

 private:
  // SERVICE_UNKNOWN if `service` was never set. Requires mutex_.
  ServingStatus StatusLocked(const std::string& service) const;
  void Forget(Watcher* watcher);

  std::mutex mutex_;
  std::map<std::string, ServingStatus> statuses_;  // guarded by mutex_
  std::set<Watcher*> watchers_;                    // guarded by mutex_
  bool shut_down_ = false;                         // guarded by mutex_
};

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_HEALTH_SERVICE_H_
