#include "svg_plot.hpp"
#include "svg_writer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <sstream>

namespace momentum::cli {

using namespace svg;

namespace {

void marker_shape(Svg& s, const Marker& m, double x, double y) {
  switch (m.shape) {
    case Marker::Shape::circle:
      // A ring, so a point under it (the optimum next to the grid's best) stays visible.
      s.o << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y) << "\" r=\"8\" fill=\"none\" stroke=\""
          << m.color << "\" stroke-width=\"2.2\"/>\n";
      break;
    case Marker::Shape::star: {
      std::ostringstream pts;
      for (int k = 0; k < 10; ++k) {
        const double r = k % 2 ? 4.2 : 10.5, a = -pi / 2 + k * pi / 5;
        pts << num(x + r * std::cos(a)) << ',' << num(y + r * std::sin(a)) << ' ';
      }
      s.o << "<polygon points=\"" << pts.str() << "\" fill=\"" << m.color
          << "\" stroke=\"black\" stroke-width=\"1.2\"/>\n";
      break;
    }
    case Marker::Shape::cross:
      s.line(x - 6, y - 6, x + 6, y + 6, "stroke=\"" + m.color + "\" stroke-width=\"3\"");
      s.line(x - 6, y + 6, x + 6, y - 6, "stroke=\"" + m.color + "\" stroke-width=\"3\"");
      break;
  }
}

/// Segments of the level set {f = level} of a grid function by marching squares, in grid
/// coordinates (i, j) with linear interpolation along cell edges.
std::vector<std::array<double, 4>> contour_segments(const std::vector<double>& v, std::size_t nx,
                                                    std::size_t ny, double level) {
  std::vector<std::array<double, 4>> seg;
  auto at = [&](std::size_t i, std::size_t j) { return v[j * nx + i] - level; };
  for (std::size_t j = 0; j + 1 < ny; ++j)
    for (std::size_t i = 0; i + 1 < nx; ++i) {
      const double a = at(i, j), b = at(i + 1, j), c = at(i + 1, j + 1), d = at(i, j + 1);
      if (!(std::isfinite(a) && std::isfinite(b) && std::isfinite(c) && std::isfinite(d))) continue;
      // Edge crossings: bottom (a-b), right (b-c), top (d-c), left (a-d).
      std::vector<std::array<double, 2>> p;
      auto cross = [&](double f0, double f1, double x0, double y0, double x1, double y1) {
        if ((f0 < 0) != (f1 < 0)) {
          const double t = f0 / (f0 - f1);
          p.push_back({x0 + t * (x1 - x0), y0 + t * (y1 - y0)});
        }
      };
      const double x = double(i), y = double(j);
      cross(a, b, x, y, x + 1, y);
      cross(b, c, x + 1, y, x + 1, y + 1);
      cross(d, c, x, y + 1, x + 1, y + 1);
      cross(a, d, x, y, x, y + 1);
      if (p.size() == 2) seg.push_back({p[0][0], p[0][1], p[1][0], p[1][1]});
      if (p.size() == 4) {
        seg.push_back({p[0][0], p[0][1], p[1][0], p[1][1]});
        seg.push_back({p[2][0], p[2][1], p[3][0], p[3][1]});
      }
    }
  return seg;
}


}  // namespace

std::string encode_png(int width, int height, const std::vector<unsigned char>& rgb) {
  auto crc_table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  auto be32 = [](std::string& s, std::uint32_t v) {
    for (int k = 3; k >= 0; --k) s += static_cast<char>((v >> (8 * k)) & 0xff);
  };
  auto chunk = [&](std::string& out, const char* type, const std::string& data) {
    be32(out, static_cast<std::uint32_t>(data.size()));
    std::string body = std::string(type, 4) + data;
    std::uint32_t c = 0xffffffffu;
    for (unsigned char ch : body) c = crc_table[(c ^ ch) & 0xff] ^ (c >> 8);
    out += body;
    be32(out, c ^ 0xffffffffu);
  };
  // Raw scanlines, each with filter byte 0.
  std::string raw;
  const std::size_t row = static_cast<std::size_t>(width) * 3;
  raw.reserve((row + 1) * static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) {
    raw += '\0';
    raw.append(reinterpret_cast<const char*>(rgb.data()) + static_cast<std::size_t>(y) * row, row);
  }
  // zlib stream of stored (uncompressed) deflate blocks.
  std::string z = "\x78\x01";
  for (std::size_t pos = 0; pos < raw.size() || pos == 0;) {
    const std::size_t len = std::min<std::size_t>(65535, raw.size() - pos);
    const bool last = pos + len == raw.size();
    z += static_cast<char>(last ? 1 : 0);
    z += static_cast<char>(len & 0xff);
    z += static_cast<char>(len >> 8);
    z += static_cast<char>(~len & 0xff);
    z += static_cast<char>((~len >> 8) & 0xff);
    z.append(raw, pos, len);
    pos += len;
    if (last) break;
  }
  std::uint32_t a = 1, b = 0;
  for (unsigned char ch : raw) {
    a = (a + ch) % 65521;
    b = (b + a) % 65521;
  }
  be32(z, (b << 16) | a);
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  be32(ihdr, static_cast<std::uint32_t>(width));
  be32(ihdr, static_cast<std::uint32_t>(height));
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, no interlace
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", z);
  chunk(png, "IEND", "");
  return png;
}

std::string render_svg(const Heatmap& h) {
  const std::size_t nx = h.xs.size(), ny = h.ys.size();
  const double left = 92, top = 58, w = 500, hgt = 400;
  auto to_axis = [](const Axis& a, double v) {
    return a.log ? std::log10(v) : a.log_one_minus ? -std::log10(1 - v) : v;
  };
  auto ux = [&](double x) { return to_axis(h.x, x); };
  auto uy = [&](double y) { return to_axis(h.y, y); };
  // Grid points are cell centres: the axes extend half a cell past the first and last.
  const double dx = nx > 1 ? (ux(h.xs.back()) - ux(h.xs.front())) / double(nx - 1) : 1;
  const double dy = ny > 1 ? (uy(h.ys.back()) - uy(h.ys.front())) / double(ny - 1) : 1;
  const Scale sx{ux(h.xs.front()) - dx / 2, ux(h.xs.back()) + dx / 2, left, left + w};
  const Scale sy{uy(h.ys.front()) - dy / 2, uy(h.ys.back()) + dy / 2, top + hgt, top};

  // Colour by g = log10(1 - rho): equal steps in digits gained per iteration.
  double g_hi = -std::numeric_limits<double>::infinity(), g_lo = 0;
  bool any = false;
  for (double r : h.values)
    if (std::isfinite(r) && r < 1) {
      const double g = std::log10(1 - r);
      if (!any || g > g_hi) g_hi = g;
      if (!any || g < g_lo) g_lo = g;
      any = true;
    }
  if (!any) g_hi = 0, g_lo = -1;
  g_lo = std::max(g_lo, g_hi - 3);
  if (g_hi - g_lo < 0.3) g_lo = g_hi - 0.3;
  auto color_of = [&](double r) -> std::array<unsigned char, 3> {
    if (!std::isfinite(r)) return {255, 255, 255};
    if (r >= 1) return {200, 200, 200};
    return colormap((std::log10(1 - r) - g_lo) / (g_hi - g_lo));
  };
  std::vector<unsigned char> rgb(nx * ny * 3);
  for (std::size_t j = 0; j < ny; ++j)
    for (std::size_t i = 0; i < nx; ++i) {
      const auto c = color_of(h.values[j * nx + i]);
      const std::size_t row = ny - 1 - j;  // image rows run from the top
      for (int k = 0; k < 3; ++k) rgb[(row * nx + i) * 3 + static_cast<std::size_t>(k)] = c[static_cast<std::size_t>(k)];
    }
  const std::size_t legend_rows = (h.markers.size() + 1 + (h.thin_contours.empty() ? 0 : 1) + 1) / 2;
  Svg s(top + hgt + 66 + 20 * double(legend_rows) + 8);
  titles(s, h.title, h.subtitle);
  s.o << "<image x=\"" << num(left) << "\" y=\"" << num(top) << "\" width=\"" << num(w)
      << "\" height=\"" << num(hgt) << "\" preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64,"
      << base64(encode_png(int(nx), int(ny), rgb)) << "\"/>\n";
  s.o << "<clipPath id=\"plot\"><rect x=\"" << num(left) << "\" y=\"" << num(top) << "\" width=\""
      << num(w) << "\" height=\"" << num(hgt) << "\"/></clipPath>\n";
  auto to_px = [&](double gi, double gj) {
    return std::array<double, 2>{sx(ux(h.xs.front()) + gi * dx), sy(uy(h.ys.front()) + gj * dy)};
  };
  auto draw_contour = [&](double level, const std::string& style) {
    const auto seg = contour_segments(h.values, nx, ny, level);
    if (seg.empty()) return;
    s.o << "<path clip-path=\"url(#plot)\" fill=\"none\" " << style << " d=\"";
    for (const auto& q : seg) {
      const auto p0 = to_px(q[0], q[1]), p1 = to_px(q[2], q[3]);
      s.o << 'M' << num(p0[0]) << ' ' << num(p0[1]) << 'L' << num(p1[0]) << ' ' << num(p1[1]);
    }
    s.o << "\"/>\n";
  };
  for (double level : h.thin_contours)
    draw_contour(level, "stroke=\"white\" stroke-opacity=\"0.75\" stroke-width=\"0.9\" stroke-dasharray=\"4 3\"");
  draw_contour(h.contour, "stroke=\"black\" stroke-width=\"2.2\" stroke-linejoin=\"round\"");
  for (auto it = h.markers.rbegin(); it != h.markers.rend(); ++it) {
    const Marker& m = *it;
    const double px = sx(ux(m.x)), py = sy(uy(m.y));
    if (px < left - 1 || px > left + w + 1 || py < top - 1 || py > top + hgt + 1) continue;
    marker_shape(s, m, px, py);
  }
  auto ticks = [](const Axis& a, double lo, double hi) {
    return a.log ? log_ticks(lo, hi, true) : a.log_one_minus ? one_minus_ticks(lo, hi) : linear_ticks(lo, hi);
  };
  auto xt = ticks(h.x, sx.lo, sx.hi);
  auto yt = ticks(h.y, sy.lo, sy.hi);
  axes(s, left, top, w, hgt, sx, sy, xt, yt, h.x.label, h.y.label, false);

  // Colour bar, labelled in rho.
  const double bx = left + w + 28, bw = 18, by = top, bh = hgt - 60;
  s.o << "<defs><linearGradient id=\"cbar\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">";
  for (int k = 0; k <= 20; ++k)
    s.o << "<stop offset=\"" << num(k / 20.0) << "\" stop-color=\"" << hex(colormap(k / 20.0)) << "\"/>";
  s.o << "</linearGradient></defs>\n";
  s.o << "<rect x=\"" << num(bx) << "\" y=\"" << num(by) << "\" width=\"" << bw << "\" height=\""
      << num(bh) << "\" fill=\"url(#cbar)\" stroke=\"black\"/>\n";
  const Scale sc{g_lo, g_hi, by + bh, by};
  std::vector<double> rhos;
  for (double r : {0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999,
                   0.9995, 0.9998, 0.9999})
    rhos.push_back(r);
  // Keep labels at least 16 px apart.
  double last_y = 1e9;
  for (double r : rhos) {
    const double g = std::log10(1 - r);
    if (g < g_lo - 1e-9 || g > g_hi + 1e-9) continue;
    const double y = sc(g);
    if (std::abs(last_y - y) < 16) continue;
    last_y = y;
    s.line(bx + bw, y, bx + bw + 5, y, "stroke=\"black\"");
    char b[32];
    std::snprintf(b, sizeof b, "%g", r);
    s.text(bx + bw + 8, y + 4.5, b, "start", "font-size=\"12\"");
  }
  s.o << "<text transform=\"translate(" << num(bx + bw + 62) << "," << num(by + bh / 2)
      << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"14\">worst-case rate \u03c1 (log scale in 1 \u2212 \u03c1)</text>\n";
  s.o << "<rect x=\"" << num(bx) << "\" y=\"" << num(by + bh + 16) << "\" width=\"" << bw
      << "\" height=\"14\" fill=\"#c8c8c8\" stroke=\"black\"/>\n";
  s.text(bx + bw + 8, by + bh + 27.5, "\u03c1 \u2265 1", "start", "font-size=\"12\"");
  s.text(bx + bw + 8, by + bh + 42, "(diverges)", "start", "font-size=\"11\" fill=\"#444\"");

  // Legend below the plot, two columns.
  struct Item {
    std::string label;
    const Marker* marker;
    int kind;  // 0 marker, 1 rho = 1 line, 2 thin contours
  };
  std::vector<Item> items;
  items.push_back({"\u03c1 = 1 (convergence boundary)", nullptr, 1});
  if (!h.thin_contours.empty()) {
    std::string levels;
    for (double l : h.thin_contours) {
      char b[32];
      std::snprintf(b, sizeof b, "%g", l);
      levels += (levels.empty() ? "" : ", ") + std::string(b);
    }
    items.push_back({"\u03c1 = " + levels + " (dashed contours)", nullptr, 2});
  }
  for (const auto& m : h.markers) items.push_back({m.label, &m, 0});
  const double ly0 = top + hgt + 66, col = 300;
  for (std::size_t k = 0; k < items.size(); ++k) {
    const double x = left + double(k % 2) * col, y = ly0 + 20 * double(k / 2);
    if (items[k].kind == 1) {
      s.line(x + 2, y, x + 28, y, "stroke=\"black\" stroke-width=\"2.2\"");
    } else if (items[k].kind == 2) {
      s.o << "<rect x=\"" << num(x) << "\" y=\"" << num(y - 7) << "\" width=\"30\" height=\"14\" fill=\""
          << hex(colormap(0.45)) << "\"/>\n";
      s.line(x + 2, y, x + 28, y, "stroke=\"white\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"");
    } else {
      marker_shape(s, *items[k].marker, x + 15, y);
    }
    s.text(x + 38, y + 4.5, esc(items[k].label), "start", "font-size=\"12.5\"");
  }
  return s.done();
}

}  // namespace momentum::cli
