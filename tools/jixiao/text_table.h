// Plain-text tables that line up in a terminal, Chinese text included
// (CJK characters take two columns).

#ifndef JIXIAO_TOOLS_JIXIAO_TEXT_TABLE_H_
#define JIXIAO_TOOLS_JIXIAO_TEXT_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

namespace jixiao::cli {

class TextTable {
 public:
  enum class Align { kLeft, kRight };
  explicit TextTable(std::vector<std::string> headers, std::vector<Align> align = {});
  void AddRow(std::vector<std::string> cells);
  // The last column is never padded, so long text there just runs on.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace jixiao::cli

#endif  // JIXIAO_TOOLS_JIXIAO_TEXT_TABLE_H_
