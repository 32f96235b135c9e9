// Generation texts and judge replies of a simulated study packed without them
// (`headroom pack --no-texts` keeps the shipped studies small), rebuilt one query at a
// time by the simulator that wrote them. Every answer and every reply has its own seeded
// stream, so a query's texts cost only their own drawing. Each rebuilt text is checked
// against what the study kept (output tokens, finish reason): a study written by another
// version of the simulator is refused rather than shown with someone else's texts.
#pragma once
#include "core/sim/simulate.h"
#include "core/study/study.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace headroom::sim {

class simulator;

// The pool a simulated study came from, rebuilt from its name and provenance (a shipped
// pool at some seed and scale). Throws std::invalid_argument saying what does not match.
pool_config pool_of_study(const study_info& info);

struct query_texts {
    std::uint32_t query = 0;
    std::vector<std::uint32_t> generations;  // rows of the study's generation table
    std::vector<std::string> texts;          // by row above, as the model wrote it
    std::vector<std::uint32_t> judgments;    // rows of the study's judgment table
    std::vector<std::string> replies;        // by row above
};

class text_regenerator {
public:
    // Drafts the study's queries again (a fraction of a second on the shipped studies).
    // Throws std::invalid_argument when the study is not one the simulator wrote.
    explicit text_regenerator(const study& s);
    ~text_regenerator();
    text_regenerator(const text_regenerator&) = delete;
    text_regenerator& operator=(const text_regenerator&) = delete;

    // Throws std::runtime_error when a rebuilt answer disagrees with the study.
    query_texts regenerate(std::uint32_t q) const;

private:
    const study& study_;
    pool_config config_;  // before simulator_, which keeps a reference to it
    std::unique_ptr<simulator> simulator_;
};

} // namespace headroom::sim
