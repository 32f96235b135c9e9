#include "core/grading/prompts.h"

#include "core/base/jsonl.h"

namespace headroom {
namespace {

constexpr std::string_view query_slot = "{query}";
constexpr std::string_view options_slot = "{options}";

constexpr std::string_view task_system = "You are a helpful assistant.";

// Judge prompts: a fixed header per kind (it is how a server tells them apart), then
// the question and the answer(s) between markers, in the style of MT-Bench's judge.
constexpr std::string_view judge_system = "You are an impartial judge of answers to user questions.";
constexpr std::string_view rubric_header =
    "Please act as an impartial judge and grade the response to the user question below. "
    "Grade 0 if it is wrong or does not answer the question, 1 if it is partly right or incomplete, "
    "2 if it is right and complete. Explain briefly, then give your grade strictly in this format: "
    "[[grade]], for example [[1]].\n\n";
constexpr std::string_view ten_header =
    "Please act as an impartial judge and rate the response to the user question below on a scale "
    "of 1 to 10, where 1 is wrong or unhelpful and 10 is right, complete and clear. Explain briefly, "
    "then give your rating strictly in this format: Rating: N, for example Rating: 5.\n\n";
constexpr std::string_view pairwise_header =
    "Please act as an impartial judge and compare the two responses to the user question below. "
    "Do not let the order of the responses, their length or their style influence you. Explain "
    "briefly, then give your verdict strictly in this format: [[A]] if response A is better, [[B]] "
    "if response B is better, [[C]] for a tie.\n\n";

constexpr std::string_view question_open = "[Question]\n";
constexpr std::string_view response_open = "\n\n[The Start of the Response]\n";
constexpr std::string_view response_close = "\n[The End of the Response]";
constexpr std::string_view a_open = "\n\n[The Start of Response A]\n";
constexpr std::string_view a_close_b_open = "\n[The End of Response A]\n\n[The Start of Response B]\n";
constexpr std::string_view b_close = "\n[The End of Response B]";

constexpr std::string_view user_turn = "User: ";
constexpr std::string_view assistant_turn = "Assistant: ";

std::size_t count_of(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string_view::npos; at = text.find(needle, at + needle.size())) ++n;
    return n;
}

// One pass over the template, so a query that itself contains "{options}" is left alone.
std::string fill_template(std::string_view pattern, std::string_view query_text, std::string_view options) {
    std::string out;
    out.reserve(pattern.size() + query_text.size() + options.size());
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern.substr(i, query_slot.size()) == query_slot) {
            out += query_text;
            i += query_slot.size();
        } else if (pattern.substr(i, options_slot.size()) == options_slot) {
            out += options;
            i += options_slot.size();
        } else {
            out += pattern[i++];
        }
    }
    return out;
}

std::vector<chat_message> judge_messages(std::string user) {
    return {{"system", std::string(judge_system)}, {"user", std::move(user)}};
}

// Splits `text` as prefix + X + suffix; nullopt when it is not of that shape.
std::optional<std::string_view> between(std::string_view text, std::string_view prefix, std::string_view suffix) {
    if (text.size() < prefix.size() + suffix.size() || !text.starts_with(prefix) || !text.ends_with(suffix))
        return std::nullopt;
    return text.substr(prefix.size(), text.size() - prefix.size() - suffix.size());
}

} // namespace

prompt_template default_prompt_template(task_kind kind) {
    switch (kind) {
    case task_kind::mcq:
        return {std::string(task_system),
                "Answer the following multiple-choice question. Think it through step by step, then finish "
                "with the letter of the correct option.\n\n{query}\n\n{options}"};
    case task_kind::numeric:
        return {std::string(task_system),
                "Solve the following problem. Reason step by step, then give the final answer as a number."
                "\n\n{query}"};
    case task_kind::code:
        return {std::string(task_system),
                "Complete the following Python task. Reply with the complete function in a ```python code "
                "block.\n\n{query}"};
    case task_kind::open: return {std::string(task_system), "{query}"};
    }
    return {std::string(task_system), "{query}"};
}

void check_prompt_template(const prompt_template& t, std::string_view field) {
    const std::string where(field);
    const std::size_t queries = count_of(t.user, query_slot);
    if (queries != 1)
        throw input_error("", 0, where, "must hold {query} exactly once (found " + std::to_string(queries) + ")");
    if (count_of(t.user, options_slot) > 1) throw input_error("", 0, where, "holds {options} more than once");
    if (t.system.find(query_slot) != std::string::npos || t.system.find(options_slot) != std::string::npos)
        throw input_error("", 0, where, "the system message cannot hold {query} or {options}");
}

std::string render_options(const std::vector<std::string>& options) {
    std::string out;
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (i > 0) out += '\n';
        out += static_cast<char>('A' + i);
        out += ") ";
        out += options[i];
    }
    return out;
}

std::vector<chat_message> split_transcript(std::string_view text) {
    std::vector<chat_message> turns;
    if (!text.starts_with(user_turn)) return turns;
    // A turn runs until the next line that opens a turn; other lines continue it.
    std::size_t at = 0;
    while (at < text.size()) {
        const bool user = text.substr(at).starts_with(user_turn);
        std::size_t start = at + (user ? user_turn.size() : assistant_turn.size());
        std::size_t end = start;
        for (;;) {
            end = text.find('\n', end);
            if (end == std::string_view::npos) { end = text.size(); break; }
            const std::string_view next = text.substr(end + 1);
            if (next.starts_with(user_turn) || next.starts_with(assistant_turn)) break;
            ++end;
        }
        turns.push_back({user ? "user" : "assistant", std::string(text.substr(start, end - start))});
        at = end + (end < text.size() ? 1 : 0);
    }
    return turns;
}

std::string join_transcript(const std::vector<chat_message>& turns) {
    std::string out;
    for (const auto& turn : turns) {
        if (!out.empty()) out += '\n';
        out += turn.role == "assistant" ? assistant_turn : user_turn;
        out += turn.content;
    }
    return out;
}

std::vector<chat_message> render_task_prompt(const query& q, task_kind kind, const prompt_template& t) {
    std::vector<chat_message> messages;
    if (!t.system.empty()) messages.push_back({"system", t.system});
    std::vector<chat_message> turns = split_transcript(q.text);
    if (turns.size() >= 2 && turns.back().role == "user") {
        for (auto& turn : turns) messages.push_back(std::move(turn));
        return messages;
    }
    const std::string options = kind == task_kind::mcq ? render_options(q.options) : std::string();
    messages.push_back({"user", fill_template(t.user, q.text, options)});
    return messages;
}

std::optional<std::string> query_haystack(const std::vector<chat_message>& messages) {
    std::vector<chat_message> turns;
    for (const auto& m : messages)
        if (m.role != "system") turns.push_back(m);
    if (turns.empty() || turns.back().role != "user") return std::nullopt;
    if (turns.size() == 1) return turns.back().content;
    return join_transcript(turns);
}

std::string judge_question(const query& q, task_kind kind) {
    if (kind == task_kind::mcq && !q.options.empty()) return q.text + "\n\n" + render_options(q.options);
    return q.text;
}

std::vector<chat_message> render_judge_prompt(std::string_view question, std::string_view answer, judge_scale scale) {
    std::string user(scale == judge_scale::rubric ? rubric_header : ten_header);
    user.append(question_open).append(question).append(response_open).append(answer).append(response_close);
    return judge_messages(std::move(user));
}

std::vector<chat_message> render_pairwise_judge_prompt(std::string_view question, std::string_view first,
                                                       std::string_view second, bool swapped) {
    const std::string_view a = swapped ? second : first;
    const std::string_view b = swapped ? first : second;
    std::string user(pairwise_header);
    user.append(question_open).append(question).append(a_open).append(a).append(a_close_b_open).append(b).append(b_close);
    return judge_messages(std::move(user));
}

std::optional<parsed_judge_prompt> parse_judge_prompt(const std::vector<chat_message>& messages) {
    if (messages.empty() || messages.back().role != "user") return std::nullopt;
    const std::string_view text = messages.back().content;
    parsed_judge_prompt out;
    // The question ends at the first marker after it: questions come from the study,
    // answers from models, so an answer quoting a marker cannot cut the question short.
    if (text.starts_with(pairwise_header)) {
        const auto body = between(text, std::string(pairwise_header).append(question_open), b_close);
        if (!body) return std::nullopt;
        const std::size_t a_at = body->find(a_open);
        if (a_at == std::string_view::npos) return std::nullopt;
        const std::size_t b_at = body->find(a_close_b_open, a_at + a_open.size());
        if (b_at == std::string_view::npos) return std::nullopt;
        out.kind = judge_prompt_kind::pairwise;
        out.question = body->substr(0, a_at);
        out.answer = body->substr(a_at + a_open.size(), b_at - a_at - a_open.size());
        out.answer_b = body->substr(b_at + a_close_b_open.size());
        return out;
    }
    for (const judge_scale scale : {judge_scale::rubric, judge_scale::ten}) {
        const std::string_view header = scale == judge_scale::rubric ? rubric_header : ten_header;
        if (!text.starts_with(header)) continue;
        const auto body = between(text, std::string(header).append(question_open), response_close);
        if (!body) return std::nullopt;
        const std::size_t at = body->find(response_open);
        if (at == std::string_view::npos) return std::nullopt;
        out.scale = scale;
        out.question = body->substr(0, at);
        out.answer = body->substr(at + response_open.size());
        return out;
    }
    return std::nullopt;
}

} // namespace headroom
