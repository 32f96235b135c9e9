// The cells of the core's fixed-width text reports (`headroom report`, `decompose`,
// `route`, `routers`): one spelling of a share and of a padded column, so every table
// lines up alike.
#pragma once
#include <cstddef>
#include <string>

namespace headroom {

// A share as percentage points, "%6.2f" of 100 x share; an unknown (NaN) share as "-"
// in the same width.
std::string points_cell(double share);
// `text` followed by spaces up to `width` characters (a longer text is left whole).
std::string pad_cell(std::string text, std::size_t width);

} // namespace headroom
