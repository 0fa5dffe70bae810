#pragma once
/// \file svg_plot.hpp
/// A small SVG plot writer (no plotting library): a heatmap of the worst-case rate over
/// (step, beta) with its rho = 1 contour and marked points, and a line plot of ||e_t|| on a
/// log axis with a shaded predicted band. Values are doubles; quantities that underflow double
/// (errors of 1e-3000 at high precision) are passed as their log10.

#include <string>
#include <vector>

namespace momentum::cli {

/// One axis. For the heatmap, `log` puts the data values on a log10 scale. For the line plot's
/// y axis, `log` means the values given are already log10 of the quantity and the ticks are
/// labelled as powers of ten.
struct Axis {
  std::string label;
  bool log = false;
  /// Heatmap only: a log10 scale in 1 - value (for momenta near 1: 0, 0.9, 0.99, ... evenly
  /// spaced), labelled with the values themselves.
  bool log_one_minus = false;
};

/// A marked point on a heatmap.
struct Marker {
  double x, y;
  std::string label;
  enum class Shape { circle, star, cross } shape = Shape::circle;
  std::string color = "#ffffff";
};

/// Worst-case rate over a grid: values[j * xs.size() + i] is rho at (xs[i], ys[j]); NaN marks a
/// point where the rate is undefined. Grid points are evenly spaced in each axis' scale.
struct Heatmap {
  std::string title, subtitle;
  Axis x, y;
  std::vector<double> xs, ys, values;
  std::vector<Marker> markers;
  double contour = 1;  ///< level drawn as a solid line (rho = 1: the convergence boundary)
  std::vector<double> thin_contours;  ///< further levels drawn thin and dashed
};

/// A polyline (x, y) of a line plot; non-finite y values break the line.
struct Series {
  std::string label;
  std::vector<double> x, y;
  std::string color = "#1f4e9c";
  bool dashed = false;
  double width = 1.6;
};

/// A shaded band between lo and hi over x.
struct Band {
  std::string label;
  std::vector<double> x, lo, hi;
  std::string color = "#f4a259";
};

struct LinePlot {
  std::string title, subtitle;
  Axis x, y;
  std::vector<Band> bands;
  std::vector<Series> series;
};

/// The SVG document of a heatmap (viridis on log10(1 - rho), divergent points grey).
std::string render_svg(const Heatmap& h);
/// The SVG document of a line plot.
std::string render_svg(const LinePlot& p);
/// Line plots stacked vertically on a shared x axis (labelled under the last); the first
/// panel's title heads the figure.
std::string render_svg(const std::vector<LinePlot>& panels);

/// PNG (8-bit RGB, stored deflate) of an image given row by row from the top.
std::string encode_png(int width, int height, const std::vector<unsigned char>& rgb);

}  // namespace momentum::cli
