// Opening a study from what the user names: a study directory or a packed file.
#pragma once
#include "core/study/study.h"

#include <string>

namespace headroom::cli {

study open_study(const std::string& path);
void write_file_atomically(const std::string& path, const std::string& bytes);

} // namespace headroom::cli
