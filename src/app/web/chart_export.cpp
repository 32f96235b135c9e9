#include "app/web/chart_export.h"

#include "app/web/page_bridge.h"

#include <GLES3/gl3.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace {

void Append(void* context, void* data, int size) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(context);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
}

} // namespace

void ExportChartPng(AppState& state, int framebuffer_width, int framebuffer_height) {
    state.page.export_png_requested = false;
    if (state.page.chart_name.empty()) return;
    const ClickTarget& r = state.page.chart_rect;
    const int x0 = std::clamp(static_cast<int>(std::floor(r.x0)), 0, framebuffer_width);
    const int x1 = std::clamp(static_cast<int>(std::ceil(r.x1)), 0, framebuffer_width);
    const int y0 = std::clamp(static_cast<int>(std::floor(r.y0)), 0, framebuffer_height);
    const int y1 = std::clamp(static_cast<int>(std::ceil(r.y1)), 0, framebuffer_height);
    const int w = x1 - x0, h = y1 - y0;
    if (w <= 0 || h <= 0) return;
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    // GL counts rows from the bottom; ImGui from the top.
    // Opaque: the canvas has no alpha channel (main.cpp), so every pixel reads alpha 255.
    glReadPixels(x0, framebuffer_height - y1, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    const std::size_t stride = static_cast<std::size_t>(w) * 4;
    std::vector<std::uint8_t> row(stride);
    for (int y = 0; y < h / 2; ++y) {
        std::uint8_t* a = pixels.data() + static_cast<std::size_t>(y) * stride;
        std::uint8_t* b = pixels.data() + static_cast<std::size_t>(h - 1 - y) * stride;
        std::memcpy(row.data(), a, stride);
        std::memcpy(a, b, stride);
        std::memcpy(b, row.data(), stride);
    }
    std::vector<std::uint8_t> png;
    if (!stbi_write_png_to_func(Append, &png, w, h, 4, pixels.data(), static_cast<int>(stride))) return;
    DownloadBytes("headroom-" + state.page.chart_name + ".png", "image/png", png.data(), png.size());
}
