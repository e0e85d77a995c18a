// storage-svc: the only owner of Jixiao's durable data, over RocksDB.
//
//   storage-svc --listen 127.0.0.1:50052 --data-dir /var/lib/jixiao
//       [--backup-dir /var/backups/jixiao --backup-every 10m --backup-keep 24]

#include <iostream>
#include <map>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/time/time.h"
#include "common/rpc/server_main.h"
#include "storage-svc/server/storage_service.h"
#include "storage-svc/store/store.h"

namespace {

// Health beyond "serving at all": the server as a whole ("") and the
// StorageService are SERVING only while the store takes writes;
// ".../reads" stays SERVING as long as storage-svc serves (reads go on
// when writes stop); ".../writes" is SERVING while writes are taken.
constexpr char kService[] = "jixiao.v1.StorageService";

}  // namespace

int main(int argc, char** argv) {
  jixiao::rpc::BlockShutdownSignals();
  jixiao::rpc::StopLockOrderTracking();
  CLI::App app{
      "storage-svc: keeps Jixiao reports with every revision, schemes with every version, and "
      "score cards, in RocksDB. An acknowledged write is synced to disk.",
      "storage-svc"};
  jixiao::rpc::ServerOptions server;
  server.listen = "127.0.0.1:50052";
  jixiao::store::StoreOptions options;
  std::string backup_every = "10m";
  jixiao::rpc::AddServerFlags(app, server);
  app.add_option("--data-dir", options.data_dir, "RocksDB directory; created if absent")
      ->required();
  app.add_option("--backup-dir", options.backup_dir,
                 "take incremental backups (BackupEngine) into this absolute directory, outside "
                 "--data-dir, while serving; restore one with jixiao admin restore");
  app.add_option("--backup-every", backup_every,
                 "with --backup-dir: time between backups, e.g. 30s, 10m, 1h")
      ->capture_default_str();
  app.add_option("--backup-keep", options.backup_keep,
                 "with --backup-dir: how many of the newest backups to keep")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  CLI11_PARSE(app, argc, argv);
  if (!absl::ParseDuration(backup_every, &options.backup_every) ||
      options.backup_every <= absl::ZeroDuration()) {
    std::cerr << "storage-svc: --backup-every " << backup_every
              << ": not a positive duration (e.g. 30s, 10m, 1h)\n";
    return 2;
  }
  jixiao::storage_svc::UseEngineSchemes(options);
  auto tokens = jixiao::rpc::LoadTokens("storage-svc", server);
  auto signing_keys = jixiao::rpc::LoadSigningKeys("storage-svc", server);
  for (const absl::Status& status : {tokens.status(), signing_keys.status()}) {
    if (!status.ok()) {
      std::cerr << "storage-svc: " << status.message() << "\n";
      return 2;
    }
  }
  // With signing keys, submitting and approving need the report's fresh
  // signed card; without (development), cards prove nothing anyway.
  options.require_fresh_cards = signing_keys->get() != nullptr;
  options.log = [](const std::string& line) { std::cerr << "storage-svc: " << line << std::endl; };

  auto store = jixiao::store::Store::Open(options);
  if (!store.ok()) {
    std::cerr << "storage-svc: " << store.status().message() << "\n";
    return absl::IsInvalidArgument(store.status()) ? 2 : 3;
  }
  if (!options.backup_dir.empty()) {
    std::cerr << "storage-svc: a backup into " << options.backup_dir << " every "
              << absl::FormatDuration(options.backup_every) << ", keeping the newest "
              << options.backup_keep << std::endl;
  }
  jixiao::storage_svc::StorageServiceImpl service(**store, tokens->get(), signing_keys->get());
  jixiao::store::Store* opened = store->get();
  jixiao::rpc::Served served;
  served.program = "storage-svc";
  served.services = {&service};
  served.service_names = {kService};
  served.tokens = tokens->get();
  // The store closes (syncing its log) after the last call has finished.
  served.on_shutdown = [&store] { store->reset(); };
  served.extra_metrics = [opened] { return opened->MetricsText(); };
  served.health = [opened] {
    const bool writable = opened->Writable().ok();
    return std::map<std::string, bool>{{"", writable},
                                       {kService, writable},
                                       {std::string(kService) + "/writes", writable},
                                       {std::string(kService) + "/reads", true}};
  };
  return jixiao::rpc::RunServer(server, served);
}
