#include "core/grading/judge.h"

namespace headroom {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// Reads a score at `pos`: one or two digits, then optionally a decimal part ("9.5",
// as MT-Bench-style judges write), not followed by another digit.
bool read_score(std::string_view s, std::size_t pos, double& value, std::size_t& end) {
    if (pos >= s.size() || !digit(s[pos])) return false;
    int whole = s[pos] - '0';
    end = pos + 1;
    if (end < s.size() && digit(s[end])) {
        whole = whole * 10 + (s[end] - '0');
        ++end;
    }
    value = whole;
    if (end + 1 < s.size() && s[end] == '.' && digit(s[end + 1])) {
        double scale = 0.1;
        for (++end; end < s.size() && digit(s[end]); ++end, scale /= 10) value += (s[end] - '0') * scale;
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
    int found = 0;
    double score = 0;
    for (std::size_t i = 0; i < reply.size(); ++i) {
        double value = 0;
        std::size_t end = 0;
        if (reply[i] == '[' && i + 1 < reply.size() && reply[i + 1] == '[' && read_score(reply, i + 2, value, end) &&
            end + 1 < reply.size() + 0 && reply.substr(end, 2) == "]]") {
            if (value >= lo && value <= hi) { ++found; score = value; }
            i = end + 1;
        } else if (scale == judge_scale::ten && ieq_at(reply, i, "rating:")) {
            std::size_t at = i + 7;
            while (at < reply.size() && reply[at] == ' ') ++at;
            if (read_score(reply, at, value, end) && value >= lo && value <= hi) {
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
