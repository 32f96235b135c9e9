#include "core/sim/text.h"

#include "core/base/tokens.h"

#include <array>
#include <string_view>

namespace headroom::sim {
namespace {

template <class T, std::size_t N>
const T& pick(rng& r, const std::array<T, N>& items) {
    return items[static_cast<std::size_t>(r.below(N))];
}

struct request_kind {
    std::string_view subject;
    std::array<std::string_view, 3> stems;  // {T} is the topic
};

constexpr std::array<request_kind, 6> instruct_kinds{{
    {"creative writing", {"Write a short poem about {T}.", "Write a four-sentence story that involves {T}.",
                          "Compose a limerick about {T}."}},
    {"explanation", {"Explain {T} to a ten-year-old.", "What is {T}, and why does it matter?",
                     "Describe how {T} works in plain language."}},
    {"advice", {"Give three practical tips for {T}.", "What should a beginner know about {T}?",
                "List common mistakes people make with {T} and how to avoid them."}},
    {"summarisation", {"Summarise the main arguments for and against {T} in two sentences.",
                       "Write a one-paragraph overview of {T}.", "Condense the key facts about {T} into bullet points."}},
    {"rewriting", {"Rewrite this sentence to sound more formal: 'we kinda messed up the {T} thing'.",
                   "Turn the following note into a polite email: '{T} is late again, fix it'.",
                   "Make this headline more engaging: '{T} report released'."}},
    {"classification", {"Is {T} a renewable or non-renewable resource? Explain briefly.",
                        "Classify {T} as a fruit, a vegetable or a grain, and justify the choice.",
                        "Would you call {T} a hobby, a sport or a profession? Why?"}},
}};

constexpr std::array<std::string_view, 16> topics{
    "composting at home", "the water cycle", "learning to juggle", "solar panels", "public libraries",
    "sourdough bread", "migrating birds", "remote work", "tide pools", "chess openings", "urban cycling",
    "volcanic soil", "budget travel", "night photography", "houseplants", "marathon training"};

struct chat_theme {
    std::string_view subject;
    std::array<std::string_view, 3> openers;
    std::array<std::string_view, 3> follow_ups;
};

constexpr std::array<chat_theme, 5> chat_themes{{
    {"trip planning", {"I have four days in a coastal city in autumn. What should I plan?",
                       "Can you help me plan a cheap weekend trip by train?",
                       "I'm visiting a mountain town with my parents. Ideas?"},
     {"Thanks. Could you make it more relaxed, with fewer early mornings?", "What if it rains on day two?",
      "Can you put that into a day-by-day table?"}},
    {"cooking", {"What can I cook tonight with rice, eggs and spinach?", "How do I keep pasta from sticking?",
                 "I want to bake bread without a mixer. Where do I start?"},
     {"Can you make it vegetarian?", "I don't have an oven. Alternatives?", "How long will leftovers keep?"}},
    {"programming help", {"My Python script gets slower as the list grows. Why might that be?",
                          "How do I read a CSV file and sum one column?",
                          "What's the difference between a list and a tuple?"},
     {"Can you show a short example?", "And how would I test that?", "Is there a faster way for a million rows?"}},
    {"fitness", {"I want to start running but my knees hurt. Any advice?",
                 "How often should a beginner lift weights?", "What's a simple home workout with no equipment?"},
     {"Could you turn that into a weekly plan?", "What should I eat before training?",
      "How do I know if I'm overdoing it?"}},
    {"language learning", {"How can I practise Spanish listening every day?",
                           "What's a good way to memorise vocabulary?", "I keep mixing up two verb tenses. Help?"},
     {"Can you give me a few examples?", "How long until I notice progress?", "Any free resources you'd suggest?"}},
}};

constexpr std::array<std::string_view, 8> filler{
    "Here is a clear way to think about it.", "There are a few points worth keeping in mind.",
    "First, it helps to set the context.", "A concrete example makes this easier to see.",
    "Many people find this the hardest part.", "It is also worth mentioning a common pitfall.",
    "To put it another way, the idea is simple once the pieces are named.", "This works well in practice."};

std::string fill(std::string_view stem, std::string_view topic) {
    std::string out(stem);
    if (auto pos = out.find("{T}"); pos != std::string::npos) out.replace(pos, 3, topic);
    return out;
}

} // namespace

drafted_query draft_instruct_query(rng& r) {
    drafted_query q;
    const request_kind& k = pick(r, instruct_kinds);
    q.subject = k.subject;
    q.property = pick(r, topics);
    q.text = fill(pick(r, k.stems), q.property);
    return q;
}

drafted_query draft_chat_query(rng& r) {
    drafted_query q;
    const chat_theme& t = pick(r, chat_themes);
    q.subject = t.subject;
    q.property = t.subject;
    // Earlier turns are part of the query; the model answers the last user turn. One draw
    // per statement: C++ leaves the order of a `+` chain's operands open, and GCC and
    // clang (WebAssembly) chose differently. Last turn first is the order the shipped
    // studies were drawn in.
    const std::string_view follow_up = pick(r, t.follow_ups);
    const std::string_view aside = pick(r, filler);
    const std::string_view opener = pick(r, t.openers);
    q.text = "User: " + std::string(opener) + "\nAssistant: Happy to help. " + std::string(aside) + "\nUser: " +
             std::string(follow_up);
    if (r.bernoulli(0.4)) q.text += "\nAssistant: Sure, noted.\nUser: " + std::string(pick(r, t.follow_ups));
    return q;
}

std::string write_open_answer(rng& r, const drafted_query& q, int quality, int tokens) {
    std::string out;
    std::uint32_t count = 0;
    auto add = [&](const std::string& sentence) {
        if (!out.empty()) out += ' ';
        out += sentence;
        count += count_tokens(sentence);
    };
    if (quality == 0) add("I'm not sure what you mean, but here are some general thoughts.");
    else add("Here is my answer about " + q.property + ".");
    while (count < static_cast<std::uint32_t>(tokens)) {
        if (quality == 2 && r.bernoulli(0.4)) add("On " + q.property + ", the key step is to start small and build up.");
        else if (quality == 1 && r.bernoulli(0.3)) add("I'll only touch on part of the question here.");
        else add(std::string(pick(r, filler)));
    }
    if (quality >= 1) out += "\n\nIn short: " + std::string(quality == 2 ? "that covers every part of the request." : "this covers the main point.");
    return out;
}

} // namespace headroom::sim
