// `headroom merge`: joins the study directories that `headroom sample --shard i/N`
// wrote into one study, identical in content and order to an unsharded run's. Shards
// of different plans, shards given twice, missing shards and generations outside
// their shard are rejected, naming the directories at fault.
#pragma once
#include "core/study/study.h"

#include <string>
#include <vector>

namespace headroom::sample {

study merge_shards(const std::vector<std::string>& shard_dirs);

} // namespace headroom::sample
