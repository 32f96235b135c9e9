#include "core/base/text_table.h"

#include <cmath>
#include <cstdio>

namespace headroom {

std::string points_cell(double share) {
    if (std::isnan(share)) return "     -";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%6.2f", 100.0 * share);
    return buf;
}

std::string pad_cell(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

} // namespace headroom
