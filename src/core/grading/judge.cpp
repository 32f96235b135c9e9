#include "core/grading/judge.h"

namespace headroom {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// Reads an integer of one or two digits at `pos` not followed by another digit.
bool read_small_int(std::string_view s, std::size_t pos, int& value, std::size_t& end) {
    if (pos >= s.size() || !digit(s[pos])) return false;
    value = s[pos] - '0';
    end = pos + 1;
    if (end < s.size() && digit(s[end])) {
        value = value * 10 + (s[end] - '0');
        ++end;
    }
    return end >= s.size() || !digit(s[end]);
}

bool ieq_at(std::string_view s, std::size_t pos, std::string_view lower_word) {
    if (pos + lower_word.size() > s.size()) return false;
    for (std::size_t i = 0; i < lower_word.size(); ++i) {
        char c = s[pos + i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower_word[i]) return false;
    }
    return true;
}

} // namespace

judge_verdict parse_judge_reply(std::string_view reply, judge_scale scale) {
    const int lo = scale == judge_scale::rubric ? 0 : 1, hi = scale == judge_scale::rubric ? 2 : 10;
    int found = 0, score = 0;
    for (std::size_t i = 0; i < reply.size(); ++i) {
        int value = 0;
        std::size_t end = 0;
        if (reply[i] == '[' && i + 1 < reply.size() && reply[i + 1] == '[' && read_small_int(reply, i + 2, value, end) &&
            end + 1 < reply.size() + 0 && reply.substr(end, 2) == "]]") {
            if (value >= lo && value <= hi) { ++found; score = value; }
            i = end + 1;
        } else if (scale == judge_scale::ten && ieq_at(reply, i, "rating:")) {
            std::size_t at = i + 7;
            while (at < reply.size() && reply[at] == ' ') ++at;
            if (read_small_int(reply, at, value, end) && value >= lo && value <= hi) {
                ++found;
                score = value;
                i = end - 1;
            }
        }
    }
    if (found == 0) return {false, 0, "no verdict"};
    if (found > 1) return {false, 0, "several verdicts"};
    return {true, score, {}};
}

bool judge_passes(judge_scale scale, double score) { return scale == judge_scale::rubric ? score >= 2 : score >= 7; }

} // namespace headroom
