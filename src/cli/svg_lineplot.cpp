#include "svg_plot.hpp"
#include "svg_writer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace momentum::cli {

using namespace svg;

namespace {

/// One panel of a line plot in the frame (left, top, w, h); x ticks labelled when `x_labels`.
void draw_panel(Svg& s, const LinePlot& p, double left, double top, double w, double hgt,
                bool x_labels, double x0, double x1) {
  double y0 = std::numeric_limits<double>::infinity(), y1 = -y0;
  auto take = [&](double y) {
    if (!std::isfinite(y)) return;
    y0 = std::min(y0, y), y1 = std::max(y1, y);
  };
  for (const auto& ser : p.series)
    for (double y : ser.y) take(y);
  for (const auto& b : p.bands)
    for (std::size_t i = 0; i < b.x.size(); ++i) take(b.lo[i]), take(b.hi[i]);
  if (!(y0 <= y1)) y0 = 0, y1 = 1;
  if (y1 == y0) y0 -= 1, y1 += 1;
  const double pad = 0.05 * (y1 - y0);
  y0 -= pad, y1 += pad;
  if (!p.y.log && y0 > 0 && y0 < 0.25 * (y1 - y0)) y0 = 0;  // a linear axis near 0 starts at 0
  const Scale sx{x0, x1, left, left + w}, sy{y0, y1, top + hgt, top};
  static int clip_id = 0;
  const std::string clip = "clip" + std::to_string(++clip_id);
  auto xt = linear_ticks(x0, x1);
  auto yt = p.y.log ? log_ticks(y0, y1, true) : linear_ticks(y0, y1);
  for (const auto& t : xt) s.line(sx(t.first), top, sx(t.first), top + hgt, "stroke=\"#e6e6e6\"");
  for (const auto& t : yt) s.line(left, sy(t.first), left + w, sy(t.first), "stroke=\"#e6e6e6\"");
  s.o << "<clipPath id=\"" << clip << "\"><rect x=\"" << num(left) << "\" y=\"" << num(top)
      << "\" width=\"" << num(w) << "\" height=\"" << num(hgt) << "\"/></clipPath>\n";
  // At most ~2 points per pixel column: min and max of each bucket, in order.
  auto thin = [&](const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<std::array<double, 2>> out;
    const std::size_t n = x.size();
    if (n <= 2000) {
      for (std::size_t i = 0; i < n; ++i) out.push_back({x[i], y[i]});
      return out;
    }
    const double per = (x1 - x0) / (2 * w);
    std::size_t i = 0;
    while (i < n) {
      if (!std::isfinite(y[i])) {
        out.push_back({x[i], y[i]});
        ++i;
        continue;
      }
      const double end = x[i] + per;
      std::size_t lo = i, hi = i, j = i;
      for (; j < n && x[j] < end && std::isfinite(y[j]); ++j) {
        if (y[j] < y[lo]) lo = j;
        if (y[j] > y[hi]) hi = j;
      }
      if (j == i) j = i + 1;
      const std::size_t a = std::min(lo, hi), b = std::max(lo, hi);
      out.push_back({x[a], y[a]});
      if (b != a) out.push_back({x[b], y[b]});
      i = j;
    }
    return out;
  };
  for (const auto& b : p.bands) {
    const auto lo = thin(b.x, b.lo), hi = thin(b.x, b.hi);
    s.o << "<path clip-path=\"url(#" << clip << ")\" fill=\"" << b.color
        << "\" fill-opacity=\"0.32\" stroke=\"" << b.color << "\" stroke-width=\"1\" d=\"";
    bool first = true;
    for (const auto& q : lo) {
      if (!std::isfinite(q[1])) continue;
      s.o << (first ? 'M' : 'L') << num(sx(q[0])) << ' ' << num(sy(q[1]));
      first = false;
    }
    for (auto it = hi.rbegin(); it != hi.rend(); ++it) {
      if (!std::isfinite((*it)[1])) continue;
      s.o << 'L' << num(sx((*it)[0])) << ' ' << num(sy((*it)[1]));
    }
    s.o << "Z\"/>\n";
  }
  for (const auto& ser : p.series) {
    s.o << "<path clip-path=\"url(#" << clip << ")\" fill=\"none\" stroke=\"" << ser.color
        << "\" stroke-width=\"" << ser.width << "\" stroke-linejoin=\"round\""
        << (ser.dashed ? " stroke-dasharray=\"7 4\"" : "") << " d=\"";
    bool pen = false;
    for (const auto& q : thin(ser.x, ser.y)) {
      if (!std::isfinite(q[1])) {
        pen = false;
        continue;
      }
      s.o << (pen ? 'L' : 'M') << num(sx(q[0])) << ' ' << num(sy(q[1]));
      pen = true;
    }
    s.o << "\"/>\n";
  }
  axes(s, left, top, w, hgt, sx, sy, xt, yt, x_labels ? p.x.label : "", p.y.label, false);
  // Legend at the top right of the panel.
  const std::size_t n = p.bands.size() + p.series.size();
  if (n == 0) return;
  double lw = 0;
  for (const auto& b : p.bands) lw = std::max(lw, 6.6 * double(b.label.size()));
  for (const auto& ser : p.series) lw = std::max(lw, 6.6 * double(ser.label.size()));
  lw = std::min(lw, w - 60);
  const double lx = left + w - lw - 52, ly = top + 8;
  s.o << "<rect x=\"" << num(lx) << "\" y=\"" << num(ly) << "\" width=\"" << num(lw + 44)
      << "\" height=\"" << num(19.0 * double(n) + 6) << "\" fill=\"white\" fill-opacity=\"0.92\" stroke=\"#888\"/>\n";
  double y = ly + 13;
  for (const auto& b : p.bands) {
    s.o << "<rect x=\"" << num(lx + 6) << "\" y=\"" << num(y - 6) << "\" width=\"24\" height=\"12\" fill=\""
        << b.color << "\" fill-opacity=\"0.32\" stroke=\"" << b.color << "\"/>\n";
    s.text(lx + 38, y + 4.5, esc(b.label), "start", "font-size=\"12\"");
    y += 19;
  }
  for (const auto& ser : p.series) {
    s.line(lx + 6, y, lx + 30, y,
           "stroke=\"" + ser.color + "\" stroke-width=\"" + num(ser.width) + "\"" +
               (ser.dashed ? " stroke-dasharray=\"7 4\"" : ""));
    s.text(lx + 38, y + 4.5, esc(ser.label), "start", "font-size=\"12\"");
    y += 19;
  }
}

}  // namespace

std::string render_svg(const std::vector<LinePlot>& panels) {
  if (panels.empty()) return Svg().done();
  const double left = 104, w = 616, first_h = 330, other_h = 190, gap = 22;
  const double height = 58 + first_h + double(panels.size() - 1) * (other_h + gap) + 64;
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0;
  for (const auto& p : panels) {
    for (const auto& ser : p.series)
      for (double x : ser.x) x0 = std::min(x0, x), x1 = std::max(x1, x);
    for (const auto& b : p.bands)
      for (double x : b.x) x0 = std::min(x0, x), x1 = std::max(x1, x);
  }
  if (!(x0 <= x1)) x0 = 0, x1 = 1;
  if (x1 == x0) x1 = x0 + 1;
  Svg s(height);
  titles(s, panels[0].title, panels[0].subtitle);
  double top = 58;
  for (std::size_t k = 0; k < panels.size(); ++k) {
    const double h = k == 0 ? first_h : other_h;
    draw_panel(s, panels[k], left, top, w, h, k + 1 == panels.size(), x0, x1);
    top += h + gap;
  }
  return s.done();
}

std::string render_svg(const LinePlot& p) { return render_svg(std::vector<LinePlot>{p}); }

}  // namespace momentum::cli
