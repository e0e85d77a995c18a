// Words for what the engine writes with ids, so that a printed document
// names things as people do: a report path becomes the form's name for it
// (procurement.actual: 实际政府采购金额; prior.X: 上年X), a measure, check,
// indicator or figure id its name, the scheme's id its name, and a formula
// reads as arithmetic (实际政府采购金额 ÷ 政府采购预算金额 × 100%).

#ifndef JIXIAO_TOOLS_RENDER_WORDING_H_
#define JIXIAO_TOOLS_RENDER_WORDING_H_

#include <map>
#include <string>

#include "jixiao/v1/scheme.pb.h"
#include "jixiao/v1/score_card.pb.h"

namespace jixiao::render {

class Wording {
 public:
  Wording(const v1::Scheme& scheme, const v1::ScoreCard& card);

  // The name of an id or a path; the id itself if it has none.
  std::string NameOf(const std::string& id) const;
  // `text` with every id and path it holds named, and formulas in words.
  std::string Words(const std::string& text) const;

 private:
  std::map<std::string, std::string> names_;
};

}  // namespace jixiao::render

#endif  // JIXIAO_TOOLS_RENDER_WORDING_H_
