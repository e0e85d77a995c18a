// storage-svc: the only owner of Jixiao's durable data, over RocksDB.
//
//   storage-svc --listen 127.0.0.1:50052 --data-dir /var/lib/jixiao

#include <iostream>

#include "CLI/CLI.hpp"
#include "server_main.h"
#include "storage_service.h"
#include "store.h"

int main(int argc, char** argv) {
  jixiao::rpc::BlockShutdownSignals();
  jixiao::rpc::StopLockOrderTracking();
  CLI::App app{
      "storage-svc: keeps Jixiao reports with every revision, schemes with every version, and "
      "score cards, in RocksDB. An acknowledged write is synced to disk.",
      "storage-svc"};
  jixiao::rpc::ServerOptions server;
  server.listen = "127.0.0.1:50052";
  std::string data_dir;
  jixiao::rpc::AddServerFlags(app, server);
  app.add_option("--data-dir", data_dir, "RocksDB directory; created if absent")->required();
  CLI11_PARSE(app, argc, argv);

  jixiao::store::StoreOptions options;
  options.data_dir = data_dir;
  auto store = jixiao::store::Store::Open(options);
  if (!store.ok()) {
    std::cerr << "storage-svc: " << store.status().message() << "\n";
    return 3;
  }
  std::unique_ptr<jixiao::auth::TokenTable> tokens =
      jixiao::rpc::LoadTokensOrExit("storage-svc", server);
  std::unique_ptr<jixiao::auth::SigningKeys> signing_keys =
      jixiao::rpc::LoadSigningKeysOrExit("storage-svc", server);
  jixiao::storage_svc::StorageServiceImpl service(**store, tokens.get(), signing_keys.get());
  // The store closes (syncing its log) after the last call has finished.
  return jixiao::rpc::RunServer(
      "storage-svc", server, {&service}, {"jixiao.v1.StorageService"}, [&store] { store->reset(); },
      tokens.get(), [&store] { return (*store)->MetricsText(); });
}
