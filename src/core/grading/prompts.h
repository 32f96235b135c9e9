// The prompts of a study, as pure text: what a model is sent for a query (one
// template per task kind), what a judge is sent for an answer (P2's 0/1/2 rubric, a
// 1-10 scale, and a pairwise comparison that can be position-swapped), and the
// inverse a server needs: from the messages it receives, where the query's text is
// and which question and answer a judge prompt carries.
//
// The sampler renders with these functions and the simulated endpoint parses with
// them, so both sides agree by construction; a real model only ever sees plain text.
#pragma once
#include "core/study/study.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom {

struct chat_message {
    std::string role;     // "system", "user" or "assistant"
    std::string content;
};

// A task prompt template. `user` holds "{query}" exactly once and, for mcq, may hold
// "{options}" (the lettered options, one per line, "A) ..."). An empty `system`
// sends no system message.
struct prompt_template {
    std::string system;
    std::string user;
};

prompt_template default_prompt_template(task_kind kind);

// Throws input_error naming `field` (e.g. "templates.mcq.user") when the template lacks
// "{query}" or repeats a placeholder, so a bad plan fails before its first request.
void check_prompt_template(const prompt_template& t, std::string_view field);

// "A) first\nB) second\n...": how options are shown to models and judges alike.
std::string render_options(const std::vector<std::string>& options);

// Multi-turn queries are stored as a transcript, "User: ...\nAssistant: ...\nUser: ...".
// Split into turns (roles user/assistant); empty when the text is not a transcript.
std::vector<chat_message> split_transcript(std::string_view text);
// The inverse: turns back into one transcript string.
std::string join_transcript(const std::vector<chat_message>& turns);

// The messages a model gets for a query. A single-turn query fills the template; a
// transcript is sent as its own turns, verbatim (the template's system message
// first), because wrapping a conversation's last turn would change the conversation.
std::vector<chat_message> render_task_prompt(const query& q, task_kind kind, const prompt_template& t);
inline std::vector<chat_message> render_task_prompt(const query& q, task_kind kind) {
    return render_task_prompt(q, kind, default_prompt_template(kind));
}

// Server side: the text in which a task prompt's query appears verbatim. That is the
// last user message, or, when earlier turns precede it, the transcript of every
// user/assistant turn. nullopt when there is no user message last.
std::optional<std::string> query_haystack(const std::vector<chat_message>& messages);

// --- Judge prompts -----------------------------------------------------------------

// The question a judge sees for a query: its text, and for mcq the options as the
// model saw them.
std::string judge_question(const query& q, task_kind kind);

// Single-answer grading on the study's scales: rubric replies "[[0]]".."[[2]]",
// ten-point replies "Rating: N" (the formats the judge grader parses).
std::vector<chat_message> render_judge_prompt(std::string_view question, std::string_view answer, judge_scale scale);

// Pairwise: which of two answers is better, "[[A]]", "[[B]]" or "[[C]]" for a tie.
// `swapped` shows `second` as response A, so a position bias can be measured by
// asking both orders.
std::vector<chat_message> render_pairwise_judge_prompt(std::string_view question, std::string_view first,
                                                       std::string_view second, bool swapped);

enum class judge_prompt_kind : std::uint8_t { single, pairwise };

struct parsed_judge_prompt {
    judge_prompt_kind kind = judge_prompt_kind::single;
    judge_scale scale = judge_scale::rubric;  // single only
    std::string question;
    std::string answer;    // single: the answer; pairwise: response A as shown
    std::string answer_b;  // pairwise: response B as shown
};

// Recognises a judge prompt rendered above (in the last user message) and recovers
// what it carries; nullopt for anything else (a task prompt, say).
std::optional<parsed_judge_prompt> parse_judge_prompt(const std::vector<chat_message>& messages);

} // namespace headroom
