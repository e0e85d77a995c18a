// Allocates a unary call's request (and, if asked, its response) on one
// protobuf Arena that is freed in one go when the call ends.
//
// Parsing a report makes hundreds of small allocations (strings, repeated
// answers) and destroying it as many frees; on an arena they become a few
// block allocations. A response that the handler fills by moving a message
// built elsewhere should stay off the arena: moving between a heap message
// and an arena message copies.
//
//   static rpc::ArenaMessageAllocator<v1::CreateReportRequest,
//                                     v1::CreateReportResponse> allocator;
//   service.SetMessageAllocatorFor_CreateReport(&allocator);

#ifndef JIXIAO_COMMON_RPC_ARENA_ALLOCATOR_H_
#define JIXIAO_COMMON_RPC_ARENA_ALLOCATOR_H_

#include <google/protobuf/arena.h>
#include <grpcpp/support/message_allocator.h>

namespace jixiao::rpc {

enum class ResponseOn { kArena, kHeap };

template <typename Request, typename Response, ResponseOn response_on = ResponseOn::kArena>
class ArenaMessageAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  grpc::MessageHolder<Request, Response>* AllocateMessages() override { return new Holder; }

 private:
  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    Holder() : arena_(Options()) {
      this->set_request(google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(response_on == ResponseOn::kArena
                             ? google::protobuf::Arena::CreateMessage<Response>(&arena_)
                             : new Response);
    }
    ~Holder() override {
      if (response_on == ResponseOn::kHeap) delete this->response();
    }
    void Release() override { delete this; }

   private:
    static google::protobuf::ArenaOptions Options() {
      google::protobuf::ArenaOptions options;
      options.start_block_size = 8 * 1024;  // a generated report is about 5 KB
      options.max_block_size = 64 * 1024;
      return options;
    }
    google::protobuf::Arena arena_;
  };
};

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_ARENA_ALLOCATOR_H_
