// The extraction graders over a whole study: for every generation of an mcq or
// numeric benchmark, one `strict` and one `lenient` grade (answer, rule, 1/0 score).
#pragma once
#include "study.h"

namespace headroom {

// Replaces any strict/lenient grades already present; keeps every other grader's.
void grade_extractions(study& s);

} // namespace headroom
