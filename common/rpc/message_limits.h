// How large messages may be. --max-message-bytes bounds what a client
// sends; an answer may be larger by kAnswerHeadroomBytes, because a stored
// revision is its report (which may be as large as the request that wrote
// it) plus the revision's metadata, and a reader must be able to read back
// whatever was written.

#ifndef JIXIAO_COMMON_RPC_MESSAGE_LIMITS_H_
#define JIXIAO_COMMON_RPC_MESSAGE_LIMITS_H_

namespace jixiao::rpc {

inline constexpr int kAnswerHeadroomBytes = 64 * 1024;

inline int MaxAnswerBytes(int max_message_bytes) {
  return max_message_bytes + kAnswerHeadroomBytes;
}

}  // namespace jixiao::rpc

#endif  // JIXIAO_COMMON_RPC_MESSAGE_LIMITS_H_
