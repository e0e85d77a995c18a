#include "tests/browser.h"

#include <filesystem>
#include <sstream>

#include "tests/process.h"

namespace jixiao::testing {

std::string LoadInChromium(const std::string& page, const std::string& screenshot) {
  const std::string chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium))
    return "chromium is not installed (tools/dev deps installs it)";
  std::string dir = MakeTempDir("jixiao-chromium");
  std::string netlog = dir + "/netlog.json";
  CommandResult run = RunCommand(
      {"/usr/bin/timeout", "120", chromium, "--headless", "--no-sandbox", "--disable-gpu",
       "--disable-quic", "--no-first-run", "--disable-background-networking",
       "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir + "/profile",
       // Nothing resolves: no request can leave the machine.
       "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
       "--log-net-log=" + netlog, "--window-size=1100,2800", "--screenshot=" + screenshot,
       "file://" + page});
  if (run.exit_code != 0)
    return "chromium exited " + std::to_string(run.exit_code) + ": " + run.err;
  std::string problems;
  std::istringstream err(run.err);
  for (std::string line; std::getline(err, line);) {
    if (line.find(":CONSOLE") != std::string::npos) problems += "console: " + line + "\n";
  }
  // Requests made by the page carry its file:// origin; the browser's own
  // (update checks) do not.
  std::string log = ReadFile(netlog);
  const std::string key = "\"network_isolation_key\":\"file://";
  const std::string url = "\"url\":\"";
  for (size_t at = log.find(key); at != std::string::npos; at = log.find(key, at + 1)) {
    size_t start = log.find(url, at);
    if (start == std::string::npos) break;
    start += url.size();
    problems += "network request: " + log.substr(start, log.find('"', start) - start) + "\n";
  }
  if (ReadFile(screenshot).substr(1, 3) != "PNG") problems += "no screenshot\n";
  return problems;
}

std::string DomInChromium(const std::string& page) {
  std::string dir = MakeTempDir("jixiao-chromium-dom");
  CommandResult run = RunCommand(
      {"/usr/bin/timeout", "120", "/usr/bin/chromium", "--headless", "--no-sandbox",
       "--disable-gpu", "--no-first-run", "--disable-background-networking",
       "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir + "/profile",
       "--host-resolver-rules=MAP * ~NOTFOUND", "--dump-dom", "file://" + page});
  return run.exit_code == 0 ? run.out : "";
}

}  // namespace jixiao::testing
