#include "common/rpc/health_service.h"

#include <optional>

namespace jixiao::rpc {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One Watch stream: writes the current status, then every change, one
// write at a time, until the client cancels or the server shuts down.
class HealthService::Watcher final : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  Watcher(HealthService& service, std::string name) : service_(service), name_(std::move(name)) {}

  // Queues `status` if it differs from the last one sent; `last` finishes
  // the stream after it.
  void Update(ServingStatus status, bool last) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_) return;
    if (!sent_ || status != last_sent_) pending_ = status;
    finish_after_write_ |= last;
    WriteOrFinishLocked();
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> lock(mutex_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "stream closed"));
      return;
    }
    WriteOrFinishLocked();
  }

  void OnCancel() override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!writing_) FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
    finish_after_write_ = true;
  }

  void OnDone() override {
    service_.Forget(this);
    delete this;
  }

 private:
  void WriteOrFinishLocked() {
    if (writing_ || finished_) return;
    if (pending_) {
      response_.set_status(*pending_);
      last_sent_ = *pending_;
      sent_ = true;
      pending_.reset();
      writing_ = true;
      StartWrite(&response_);
      return;
    }
    if (finish_after_write_) FinishLocked(grpc::Status::OK);
  }

  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  HealthService& service_;
  const std::string name_;
  std::mutex mutex_;
  HealthCheckResponse response_;          // guarded by mutex_
  std::optional<ServingStatus> pending_;  // guarded by mutex_
  ServingStatus last_sent_ = HealthCheckResponse::UNKNOWN;
  bool sent_ = false;
  bool writing_ = false;
  bool finish_after_write_ = false;
  bool finished_ = false;
};

HealthService::ServingStatus HealthService::StatusLocked(const std::string& service) const {
  auto it = statuses_.find(service);
  return it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN : it->second;
}

void HealthService::SetServing(const std::string& service, bool serving) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (shut_down_) return;
  statuses_[service] = serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
  // Watchers are told under mutex_, so none can be forgotten meanwhile.
  for (Watcher* watcher : watchers_) watcher->Update(StatusLocked(service), false);
}

void HealthService::Shutdown() {
  std::lock_guard<std::mutex> lock(mutex_);
  shut_down_ = true;
  for (auto& [name, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
  for (Watcher* watcher : watchers_) watcher->Update(HealthCheckResponse::NOT_SERVING, true);
}

void HealthService::Forget(Watcher* watcher) {
  std::lock_guard<std::mutex> lock(mutex_);
  watchers_.erase(watcher);
}

grpc::ServerUnaryReactor* HealthService::Check(grpc::CallbackServerContext* context,
                                               const HealthCheckRequest* request,
                                               HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  std::lock_guard<std::mutex> lock(mutex_);
  ServingStatus status = StatusLocked(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service"));
    return reactor;
  }
  response->set_status(status);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* context, const HealthCheckRequest* request) {
  auto* watcher = new Watcher(*this, request->service());
  std::lock_guard<std::mutex> lock(mutex_);
  watchers_.insert(watcher);
  watcher->Update(StatusLocked(request->service()), shut_down_);
  return watcher;
}

}  // namespace jixiao::rpc
