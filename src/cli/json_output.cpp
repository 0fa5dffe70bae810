#include "json_output.hpp"

namespace momentum::cli {

std::string root_text(const Json& roots) {
  auto im_zero = [](const std::string& s) { return s == "0" || s == "-0"; };
  if (roots.empty()) return "";
  const std::string re0 = roots[0]["re"], im0 = roots[0]["im"];
  if (roots.size() == 1) return re0;
  const std::string re1 = roots[1]["re"];
  if (!im_zero(im0)) {
    std::string im = im0;
    if (!im.empty() && im[0] == '-') im = im.substr(1);
    return re0 + " \u00b1 " + im + "i";
  }
  return re0 + ", " + re1;
}

}  // namespace momentum::cli
