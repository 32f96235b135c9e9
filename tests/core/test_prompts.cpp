// prompts.h: task prompts per kind, transcripts as turns, judge prompts on both scales
// and pairwise, and the server-side inverse (where the query is, what a judge prompt
// carries), checked by hand on small cases and over every query of a simulated pool.
#include "core/grading/prompts.h"

#include "core/sim/simulate.h"

#include "test_support.h"

#include <string>
#include <vector>

using namespace headroom;

namespace {

query mcq_query() {
    query q;
    q.id = "q1";
    q.text = "Which gas do plants take in?";
    q.options = {"oxygen", "carbon dioxide", "argon"};
    q.gold = "B";
    return q;
}

} // namespace

TEST_CASE("prompts: an mcq prompt shows the text and the lettered options", "[prompts]") {
    const auto messages = render_task_prompt(mcq_query(), task_kind::mcq);
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].role == "system");
    CHECK(messages[1].role == "user");
    CHECK(messages[1].content ==
          "Answer the following multiple-choice question. Think it through step by step, then finish with the "
          "letter of the correct option.\n\nWhich gas do plants take in?\n\nA) oxygen\nB) carbon dioxide\nC) argon");
    CHECK(query_haystack(messages) == messages[1].content);
}

TEST_CASE("prompts: every kind's default template holds the query once and passes its own check", "[prompts]") {
    for (const task_kind kind : {task_kind::mcq, task_kind::numeric, task_kind::code, task_kind::open}) {
        const prompt_template t = default_prompt_template(kind);
        CHECK_NOTHROW(check_prompt_template(t, "templates"));
        query q = mcq_query();
        const auto messages = render_task_prompt(q, kind, t);
        CHECK(messages.back().content.find(q.text) != std::string::npos);
        // Only mcq shows options.
        CHECK((messages.back().content.find("B) carbon dioxide") != std::string::npos) == (kind == task_kind::mcq));
    }
    CHECK(render_task_prompt(mcq_query(), task_kind::open).back().content == "Which gas do plants take in?");
}

TEST_CASE("prompts: placeholders are filled once, never inside the query", "[prompts]") {
    query q = mcq_query();
    q.text = "Explain what {options} and {query} mean in a template.";
    const prompt_template t{"", "Q: {query}\n{options}"};
    const auto messages = render_task_prompt(q, task_kind::mcq, t);
    REQUIRE(messages.size() == 1);  // an empty system message is not sent
    CHECK(messages[0].content == "Q: Explain what {options} and {query} mean in a template.\nA) oxygen\nB) carbon dioxide\nC) argon");
}

TEST_CASE("prompts: a bad template is an error naming the field", "[prompts][bad_input]") {
    auto message_of = [](const prompt_template& t) {
        try {
            check_prompt_template(t, "templates.mcq");
        } catch (const input_error& e) {
            CHECK(e.field() == "templates.mcq");
            return e.message();
        }
        return std::string("no error");
    };
    CHECK(message_of({"", "no placeholder"}) == "must hold {query} exactly once (found 0)");
    CHECK(message_of({"", "{query} and {query}"}) == "must hold {query} exactly once (found 2)");
    CHECK(message_of({"", "{query} {options} {options}"}) == "holds {options} more than once");
    CHECK(message_of({"about {query}", "{query}"}) == "the system message cannot hold {query} or {options}");
}

TEST_CASE("prompts: a transcript is sent as its turns and recognised as the query", "[prompts]") {
    query q;
    q.text = "User: Plan my week.\nAssistant: Happy to help.\nsecond line\nUser: Add a rest day.";
    const auto turns = split_transcript(q.text);
    REQUIRE(turns.size() == 3);
    CHECK(turns[0].role == "user");
    CHECK(turns[0].content == "Plan my week.");
    CHECK(turns[1].role == "assistant");
    CHECK(turns[1].content == "Happy to help.\nsecond line");
    CHECK(turns[2].content == "Add a rest day.");
    CHECK(join_transcript(turns) == q.text);

    const auto messages = render_task_prompt(q, task_kind::open);
    REQUIRE(messages.size() == 4);
    CHECK(messages[0].role == "system");
    CHECK(messages[3].content == "Add a rest day.");
    CHECK(query_haystack(messages) == q.text);

    CHECK(split_transcript("Plain request, no turns.").empty());
    CHECK(split_transcript("User: only one turn").size() == 1);
}

TEST_CASE("prompts: the haystack needs a user message last", "[prompts]") {
    CHECK_FALSE(query_haystack({}).has_value());
    CHECK_FALSE(query_haystack({{"system", "s"}}).has_value());
    CHECK_FALSE(query_haystack({{"user", "u"}, {"assistant", "a"}}).has_value());
    CHECK(query_haystack({{"system", "s"}, {"user", "u"}}) == "u");
}

TEST_CASE("prompts: judge prompts on both scales give back question and answer", "[prompts]") {
    const std::string question = "Which gas do plants take in?\n\nA) oxygen\nB) carbon dioxide";
    for (const judge_scale scale : {judge_scale::rubric, judge_scale::ten}) {
        for (const std::string answer : {"Answer: B", "", "Multi\nline [Question]\nanswer\n\n[The Start of the Response]\nx"}) {
            INFO("scale " << to_string(scale) << ", answer: " << answer);
            const auto messages = render_judge_prompt(question, answer, scale);
            REQUIRE(messages.size() == 2);
            CHECK(messages[0].role == "system");
            CHECK(messages[1].content.find(scale == judge_scale::rubric ? "[[grade]]" : "Rating: N") != std::string::npos);
            const auto parsed = parse_judge_prompt(messages);
            REQUIRE(parsed.has_value());
            CHECK(parsed->kind == judge_prompt_kind::single);
            CHECK(parsed->scale == scale);
            CHECK(parsed->question == question);
            CHECK(parsed->answer == answer);
        }
    }
}

TEST_CASE("prompts: a pairwise judge prompt and its position swap", "[prompts]") {
    const auto straight = render_pairwise_judge_prompt("Q?", "first answer", "second answer", false);
    const auto swapped = render_pairwise_judge_prompt("Q?", "first answer", "second answer", true);
    CHECK(straight[1].content != swapped[1].content);
    const auto a = parse_judge_prompt(straight);
    const auto b = parse_judge_prompt(swapped);
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(a->kind == judge_prompt_kind::pairwise);
    CHECK(a->question == "Q?");
    CHECK(a->answer == "first answer");
    CHECK(a->answer_b == "second answer");
    CHECK(b->answer == "second answer");
    CHECK(b->answer_b == "first answer");
}

TEST_CASE("prompts: task prompts and damaged judge prompts are not judge prompts", "[prompts]") {
    CHECK_FALSE(parse_judge_prompt(render_task_prompt(mcq_query(), task_kind::mcq)).has_value());
    auto messages = render_judge_prompt("Q?", "A.", judge_scale::rubric);
    messages[1].content.resize(messages[1].content.size() - 3);  // end marker cut
    CHECK_FALSE(parse_judge_prompt(messages).has_value());
    messages = render_judge_prompt("Q?", "A.", judge_scale::ten);
    messages.push_back({"assistant", "Rating: 5"});  // not a user message last
    CHECK_FALSE(parse_judge_prompt(messages).has_value());
    CHECK_FALSE(parse_judge_prompt({}).has_value());
}

TEST_CASE("prompts: every query of a simulated pool appears verbatim where the server looks", "[prompts]") {
    const study s = sim::simulate(sim::p2_artifacts_pool(3, 0.004));
    std::size_t transcripts = 0;
    for (const query& q : s.queries) {
        const task_kind kind = s.benchmarks[q.benchmark].kind;
        INFO("query " << q.id);
        const auto haystack = query_haystack(render_task_prompt(q, kind));
        REQUIRE(haystack.has_value());
        CHECK(haystack->find(q.text) != std::string::npos);
        if (split_transcript(q.text).size() >= 2) {
            ++transcripts;
            CHECK(*haystack == q.text);
        }
        const auto judged = parse_judge_prompt(render_judge_prompt(judge_question(q, kind), "some answer", judge_scale::rubric));
        REQUIRE(judged.has_value());
        CHECK(judged->question.find(q.text) != std::string::npos);
    }
    CHECK(transcripts > 0);  // the pool's chat benchmark was exercised
}
