#include "json_output.hpp"

#include <iostream>

namespace momentum::cli {

namespace {
std::pair<JsonSink, void*>& json_sink() {
  static std::pair<JsonSink, void*> sink{nullptr, nullptr};
  return sink;
}
}  // namespace

std::pair<JsonSink, void*> set_json_sink(JsonSink sink, void* context) {
  return std::exchange(json_sink(), {sink, context});
}

bool json_sink_wants(const std::ostream& out) {
  return json_sink().first != nullptr && &out == &std::cout;
}

bool json_sink_took(std::ostream& out, Json& j) {
  return json_sink_wants(out) && json_sink().first(j, json_sink().second);
}

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
