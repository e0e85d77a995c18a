// Headless Chromium as the tests' browser: a page loaded as a reader
// would load it, with what went wrong (console messages, network
// requests), and the page as the browser built it.

#ifndef JIXIAO_TESTS_BROWSER_H_
#define JIXIAO_TESTS_BROWSER_H_

#include <string>

namespace jixiao::testing {

// Loads `page` (a file) in headless Chromium, with a screenshot to
// `screenshot`; returns what went wrong (a console message, a request the
// page made, no screenshot), or "" for a clean load.
std::string LoadInChromium(const std::string& page, const std::string& screenshot);

// The page as headless Chromium built it, after loading: what a reader
// sees, tags and all; "" if Chromium failed.
std::string DomInChromium(const std::string& page);

// How wide `page` lays out in a `window_width`-pixel window (its
// document's scrollWidth): no wider than the window means nothing scrolls
// sideways. Measured on a copy beside it that runs one script (the page's
// own policy forbids scripts); -1 if Chromium failed.
int ScrollWidthInChromium(const std::string& page, int window_width);

}  // namespace jixiao::testing

#endif  // JIXIAO_TESTS_BROWSER_H_
