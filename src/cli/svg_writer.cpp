#include "svg_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace momentum::cli::svg {

namespace {

const char* font = "DejaVu Sans, Helvetica, Arial, sans-serif";

std::string tick_label(double v, double step) {
  char b[48];
  const double a = std::abs(v);
  if (a != 0 && (a >= 1e5 || a < 1e-4)) {
    std::snprintf(b, sizeof b, "%.3g", v);
  } else {
    const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    std::snprintf(b, sizeof b, "%.*f", decimals, v);
  }
  std::string s = b;
  if (s.size() && s[0] == '-') s = "\u2212" + s.substr(1);
  return s;
}

/// "10<sup>k</sup>" as SVG tspans (or a plain number for small exponents when `plain`).
std::string power_label(int k, bool plain) {
  if (plain && k >= -3 && k <= 4) {
    char b[32];
    if (k >= 0) std::snprintf(b, sizeof b, "%.0f", std::pow(10.0, k));
    else std::snprintf(b, sizeof b, "%.*f", -k, std::pow(10.0, k));
    return b;
  }
  std::string e = std::to_string(std::abs(k));
  if (k < 0) e = "\u2212" + e;
  return "10<tspan dy=\"-0.5em\" font-size=\"75%\">" + e + "</tspan>";
}

// Viridis, sampled at 9 points (matplotlib's colormap data).
const std::array<std::array<double, 3>, 9> viridis = {{{0.267, 0.005, 0.329},
                                                      {0.283, 0.141, 0.458},
                                                      {0.254, 0.265, 0.530},
                                                      {0.207, 0.372, 0.553},
                                                      {0.164, 0.471, 0.558},
                                                      {0.128, 0.567, 0.551},
                                                      {0.135, 0.659, 0.518},
                                                      {0.267, 0.749, 0.441},
                                                      {0.993, 0.906, 0.144}}};

}  // namespace

std::string esc(const std::string& s) {
  std::string r;
  for (char c : s) {
    switch (c) {
      case '&': r += "&amp;"; break;
      case '<': r += "&lt;"; break;
      case '>': r += "&gt;"; break;
      case '"': r += "&quot;"; break;
      default: r += c;
    }
  }
  return r;
}

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}



/// Ticks at 1, 2 or 5 times a power of ten, about `target` of them in [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target, double min_step) {
  std::vector<double> t;
  const double span = hi - lo;
  if (!(span > 0)) return {lo};
  const double raw = span / target;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  const double f = raw / mag;
  double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  step = std::max(step, min_step);
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k += 1) {
    const double v = k * step;
    t.push_back(std::abs(v) < 1e-12 * step ? 0.0 : v);
  }
  return t;
}

/// A plain decimal label for a tick of a linear axis with the given step.
/// Ticks (in axis units) and their labels for a log10 axis spanning [lo, hi] decades.
std::vector<std::pair<double, std::string>> log_ticks(double lo, double hi, bool plain) {
  std::vector<std::pair<double, std::string>> t;
  if (hi - lo >= 1.5) {
    for (double k : nice_ticks(lo, hi, 6, 1)) t.emplace_back(k, power_label(int(std::lround(k)), plain));
    if (t.size() >= 2 || hi - lo > 3) return t;
    t.clear();
  }
  // Less than two decades: 1, 2, 5 times powers of ten.
  for (int k = int(std::floor(lo)) - 1; k <= int(std::ceil(hi)); ++k)
    for (int m : {1, 2, 5}) {
      const double u = k + std::log10(double(m));
      if (u < lo - 1e-9 || u > hi + 1e-9) continue;
      if (m == 1) t.emplace_back(u, power_label(k, plain));
      else if (plain && k >= -3 && k <= 3) {
        char b[32];
        std::snprintf(b, sizeof b, "%g", m * std::pow(10.0, k));
        t.emplace_back(u, b);
      } else {
        t.emplace_back(u, std::to_string(m) + "\u00d7" + power_label(k, false));
      }
    }
  if (t.size() < 2) {
    // Within one factor of 2: plain linear ticks of the value.
    t.clear();
    const double a = std::pow(10, lo), b = std::pow(10, hi);
    const auto lin = nice_ticks(a, b, 4);
    const double step = lin.size() > 1 ? lin[1] - lin[0] : a;
    for (double v : lin)
      if (v > 0) t.emplace_back(std::log10(v), tick_label(v, step));
  }
  return t;
}

/// Ticks of an axis in u = -log10(1 - v): v = 0, 0.5, 0.9, 0.95, 0.99, 0.995, 0.999, ... as room
/// allows (at least 18 px apart on a 400 px axis: about 0.045 of the span).
std::vector<std::pair<double, std::string>> one_minus_ticks(double lo, double hi) {
  std::vector<std::pair<double, std::string>> t;
  double last = -1e300;
  const double gap = 0.045 * (hi - lo);
  for (int k = 0; k <= 12; ++k)
    for (double m : {1.0, 0.5, 0.2}) {
      // v = 1 - m 10^-k
      const double u = k - std::log10(m);
      if (u < lo - 1e-9 || u > hi + 1e-9 || u - last < gap) continue;
      if (m != 1.0 && hi - lo > 4) continue;  // many decades: nines only
      char b[32];
      std::snprintf(b, sizeof b, "%.*f", k + (m == 1.0 ? 0 : 1), 1 - m * std::pow(10.0, -k));
      t.emplace_back(u, b);
      last = u;
    }
  std::sort(t.begin(), t.end());
  return t;
}

std::vector<std::pair<double, std::string>> linear_ticks(double lo, double hi) {
  std::vector<std::pair<double, std::string>> t;
  const auto v = nice_ticks(lo, hi, 6);
  const double step = v.size() > 1 ? v[1] - v[0] : 1;
  for (double x : v) t.emplace_back(x, tick_label(x, step));
  return t;
}

Svg::Svg(double height) {
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
    << "width=\"" << W << "\" height=\"" << height << "\" viewBox=\"0 0 " << W << ' ' << height
    << "\" font-family=\"" << font << "\" font-size=\"13\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
}

void Svg::text(double x, double y, const std::string& body, const std::string& anchor,
               const std::string& extra) {
  o << "<text x=\"" << num(x) << "\" y=\"" << num(y) << "\" text-anchor=\"" << anchor << "\" "
    << extra << ">" << body << "</text>\n";
}

void Svg::line(double x1, double y1, double x2, double y2, const std::string& style) {
  o << "<line x1=\"" << num(x1) << "\" y1=\"" << num(y1) << "\" x2=\"" << num(x2) << "\" y2=\""
    << num(y2) << "\" " << style << "/>\n";
}

std::string Svg::done() {
  o << "</svg>\n";
  return o.str();
}

/// Frame, ticks, grid lines and labels of a plot area.
void axes(Svg& s, double left, double top, double w, double h, const Scale& sx, const Scale& sy,
          const Ticks& xt, const Ticks& yt, const std::string& xlabel, const std::string& ylabel,
          bool grid) {
  for (const auto& [u, label] : xt) {
    const double x = sx(u);
    if (grid) s.line(x, top, x, top + h, "stroke=\"#e3e3e3\" stroke-width=\"1\"");
    s.line(x, top + h, x, top + h + 5, "stroke=\"black\" stroke-width=\"1\"");
    if (!xlabel.empty()) s.text(x, top + h + 20, label);
  }
  for (const auto& [u, label] : yt) {
    const double y = sy(u);
    if (grid) s.line(left, y, left + w, y, "stroke=\"#e3e3e3\" stroke-width=\"1\"");
    s.line(left - 5, y, left, y, "stroke=\"black\" stroke-width=\"1\"");
    s.text(left - 8, y + 4.5, label, "end");
  }
  s.o << "<rect x=\"" << num(left) << "\" y=\"" << num(top) << "\" width=\"" << num(w)
      << "\" height=\"" << num(h) << "\" fill=\"none\" stroke=\"black\" stroke-width=\"1.2\"/>\n";
  if (!xlabel.empty()) s.text(left + w / 2, top + h + 46, esc(xlabel), "middle", "font-size=\"15\"");
  s.o << "<text transform=\"translate(" << num(left - 74) << "," << num(top + h / 2)
      << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"15\">" << esc(ylabel) << "</text>\n";
}

void titles(Svg& s, const std::string& title, const std::string& subtitle) {
  s.text(W / 2, 24, esc(title), "middle", "font-size=\"17\" font-weight=\"bold\"");
  if (!subtitle.empty()) s.text(W / 2, 43, esc(subtitle), "middle", "font-size=\"12.5\" fill=\"#444\"");
}

std::array<unsigned char, 3> colormap(double t) {
  t = std::clamp(t, 0.0, 1.0);
  // The last stop of the sampled table jumps from green to yellow; insert matplotlib's
  // intermediate (0.478, 0.821, 0.318) to keep it perceptually even.
  static const std::array<std::array<double, 3>, 10> c = {
      {viridis[0], viridis[1], viridis[2], viridis[3], viridis[4], viridis[5], viridis[6],
       viridis[7], {0.478, 0.821, 0.318}, viridis[8]}};
  const double x = t * (c.size() - 1);
  const std::size_t i = std::min<std::size_t>(static_cast<std::size_t>(x), c.size() - 2);
  const double f = x - double(i);
  std::array<unsigned char, 3> rgb{};
  for (int k = 0; k < 3; ++k)
    rgb[k] = static_cast<unsigned char>(
        std::lround(255 * (c[i][k] * (1 - f) + c[i + 1][k] * f)));
  return rgb;
}

std::string hex(const std::array<unsigned char, 3>& c) {
  char b[8];
  std::snprintf(b, sizeof b, "#%02x%02x%02x", c[0], c[1], c[2]);
  return b;
}

std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t(std::uint8_t(in[i])) << 16) |
                            (std::uint32_t(std::uint8_t(in[i + 1])) << 8) | std::uint8_t(in[i + 2]);
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  if (i < in.size()) {
    std::uint32_t v = std::uint32_t(std::uint8_t(in[i])) << 16;
    if (i + 1 < in.size()) v |= std::uint32_t(std::uint8_t(in[i + 1])) << 8;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += i + 1 < in.size() ? t[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace momentum::cli::svg
