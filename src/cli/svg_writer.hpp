#pragma once
/// \file svg_writer.hpp
/// The pieces the plots share (internal to the tool): an SVG document builder, axis scales and
/// "nice" ticks (linear, log10, log10 of 1 - v), frames with labels, titles, the viridis colour
/// map, PNG encoding and base64 for embedded images.

#include "svg_plot.hpp"

#include <array>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace momentum::cli::svg {

constexpr double W = 760, H = 540;
constexpr double pi = 3.14159265358979323846;

/// Escapes text for SVG.
std::string esc(const std::string& s);
/// A coordinate with two decimals.
std::string num(double v);

/// Maps a value in axis units (log10 already applied where the axis is log) to pixels.
struct Scale {
  double lo, hi, p0, p1;
  double operator()(double u) const { return p0 + (u - lo) / (hi - lo) * (p1 - p0); }
};

using Ticks = std::vector<std::pair<double, std::string>>;
/// Ticks at 1, 2 or 5 times a power of ten, about `target` of them in [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target, double min_step = 0);
/// Ticks of a linear axis.
Ticks linear_ticks(double lo, double hi);
/// Ticks (in axis units) of a log10 axis spanning [lo, hi] decades, labelled 10^k (or plainly).
Ticks log_ticks(double lo, double hi, bool plain);
/// Ticks of an axis in u = -log10(1 - v): v = 0, 0.5, 0.9, 0.95, 0.99, ...
Ticks one_minus_ticks(double lo, double hi);

/// An SVG document being written.
struct Svg {
  std::ostringstream o;
  explicit Svg(double height = H);
  void text(double x, double y, const std::string& body, const std::string& anchor = "middle",
            const std::string& extra = "");
  void line(double x1, double y1, double x2, double y2, const std::string& style);
  std::string done();
};

/// Frame, ticks and axis labels of a plot area (x tick labels only when xlabel is not empty).
void axes(Svg& s, double left, double top, double w, double h, const Scale& sx, const Scale& sy,
          const Ticks& xt, const Ticks& yt, const std::string& xlabel, const std::string& ylabel,
          bool grid);
/// Title and subtitle centred at the top.
void titles(Svg& s, const std::string& title, const std::string& subtitle);

/// Viridis at t in [0, 1].
std::array<unsigned char, 3> colormap(double t);
/// "#rrggbb".
std::string hex(const std::array<unsigned char, 3>& c);
/// Base64 of bytes (for data: URIs).
std::string base64(const std::string& in);

}  // namespace momentum::cli::svg
