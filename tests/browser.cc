#include "tests/browser.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
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

int ScrollWidthInChromium(const std::string& page, int window_width) {
  std::string html = ReadFile(page);
  const size_t policy = html.find("<meta http-equiv=\"Content-Security-Policy\"");
  if (policy != std::string::npos) html.erase(policy, html.find('>', policy) + 1 - policy);
  const size_t end = html.rfind("</body>");
  if (end == std::string::npos) return -1;
  html.insert(end, "<script>document.title = 'W' + document.documentElement.scrollWidth;</script>");
  const std::string copy = page + ".width.html";  // beside it: its relative links still resolve
  std::ofstream(copy, std::ios::binary) << html;
  std::string dir = MakeTempDir("jixiao-chromium-width");
  CommandResult run = RunCommand(
      {"/usr/bin/timeout", "120", "/usr/bin/chromium", "--headless", "--no-sandbox",
       "--disable-gpu", "--no-first-run", "--disable-background-networking",
       "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir + "/profile",
       "--host-resolver-rules=MAP * ~NOTFOUND",
       "--window-size=" + std::to_string(window_width) + ",900", "--dump-dom", "file://" + copy});
  std::filesystem::remove(copy);
  const size_t title = run.out.find("<title>W");
  if (run.exit_code != 0 || title == std::string::npos) return -1;
  return std::atoi(run.out.c_str() + title + 8);
}

}  // namespace jixiao::testing
