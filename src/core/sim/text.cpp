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

struct subject_vocabulary {
    std::string_view name;
    std::array<std::string_view, 10> terms;
    std::array<std::string_view, 5> properties;
};

// Ten subjects; the subject words are what lets TF-IDF tell queries apart.
constexpr std::array<subject_vocabulary, 10> subjects{{
    {"astronomy",
     {"red giant", "white dwarf", "neutron star", "emission nebula", "quasar", "pulsar", "main-sequence star",
      "stellar black hole", "type Ia supernova", "brown dwarf"},
     {"a core that has exhausted its hydrogen", "beams of radio emission sweeping past the observer",
      "fusion that never ignited in the core", "light from gas ionised by young stars",
      "a standard candle for measuring cosmic distances"}},
    {"organic chemistry",
     {"carboxylic acid", "ester", "primary amine", "ketone", "aldehyde", "alkene", "aromatic ring", "ether",
      "amide bond", "thiol"},
     {"a carbonyl group bonded to two carbon atoms", "a fruity smell from a condensation reaction",
      "the linkage that joins amino acids", "delocalised electrons above and below a planar ring",
      "a double bond that undergoes addition reactions"}},
    {"macroeconomics",
     {"fiscal stimulus", "open market operation", "liquidity trap", "crowding out", "stagflation",
      "automatic stabiliser", "exchange rate peg", "output gap", "Phillips curve", "money multiplier"},
     {"rising prices together with weak growth", "a central bank buying government bonds",
      "public borrowing that displaces private investment", "interest rates so low that policy loses traction",
      "the difference between actual and potential output"}},
    {"cell biology",
     {"mitochondrion", "ribosome", "Golgi apparatus", "lysosome", "rough endoplasmic reticulum", "centrosome",
      "nuclear pore", "peroxisome", "cytoskeleton", "plasma membrane"},
     {"the site of oxidative phosphorylation", "packaging proteins into vesicles for export",
      "digesting worn-out organelles with acid hydrolases", "translating messenger RNA into protein",
      "organising the spindle during mitosis"}},
    {"constitutional law",
     {"judicial review", "separation of powers", "due process", "equal protection", "federal preemption",
      "standing doctrine", "political question doctrine", "commerce clause", "establishment clause",
      "sovereign immunity"},
     {"a court striking down a statute that conflicts with the constitution",
      "a plaintiff needing a concrete and particular injury", "national law displacing a conflicting state law",
      "fair procedures before the state deprives someone of liberty", "keeping the state from endorsing a religion"}},
    {"world history",
     {"Congress of Vienna", "Meiji Restoration", "Treaty of Westphalia", "Columbian Exchange",
      "Industrial Revolution", "Scramble for Africa", "Bretton Woods conference", "Hanseatic League",
      "Tokugawa shogunate", "Silk Road"},
     {"rebalancing European power after the Napoleonic wars", "rapid modernisation of Japan after 1868",
      "the transfer of crops and diseases between hemispheres", "a network of merchant towns around the Baltic",
      "the birth of the modern idea of state sovereignty"}},
    {"computer science",
     {"hash table", "binary heap", "red-black tree", "bloom filter", "trie", "linked list", "B-tree",
      "union-find structure", "skip list", "circular buffer"},
     {"constant expected time lookups by key", "probabilistic membership with false positives",
      "efficient retrieval of the minimum element", "prefix queries over a set of strings",
      "near-constant time merging of disjoint sets"}},
    {"clinical pharmacology",
     {"beta blocker", "ACE inhibitor", "loop diuretic", "statin", "proton pump inhibitor", "anticoagulant",
      "SSRI", "macrolide antibiotic", "corticosteroid", "calcium channel blocker"},
     {"inhibition of HMG-CoA reductase", "a dry cough caused by accumulated bradykinin",
      "blocking the Na-K-2Cl cotransporter", "irreversible inhibition of the gastric proton pump",
      "slowing the heart rate by blocking adrenergic receptors"}},
    {"geology",
     {"subduction zone", "mid-ocean ridge", "igneous intrusion", "sedimentary basin", "transform fault",
      "hotspot volcano", "metamorphic aureole", "glacial moraine", "karst landscape", "alluvial fan"},
     {"oceanic crust sinking beneath another plate", "new crust forming where plates diverge",
      "limestone dissolved into caves and sinkholes", "debris left behind by a retreating glacier",
      "plates sliding horizontally past each other"}},
    {"music theory",
     {"perfect cadence", "plagal cadence", "tritone", "dominant seventh", "circle of fifths", "syncopation",
      "modulation", "counterpoint", "suspension", "ostinato"},
     {"a dissonance held over from the previous chord", "an accent placed on a weak beat",
      "independent melodic lines sounding together", "a repeated musical figure", "the V to I close of a phrase"}},
}};

constexpr std::array<std::string_view, 6> mcq_stems{
    "In {S}, which of the following is most closely associated with {P}?",
    "A student of {S} is asked which concept best explains {P}. Which option is correct?",
    "Which of the following {S} terms describes {P}?",
    "Consider {P}. In {S}, this is characteristic of which of the following?",
    "Which choice below is the best match, in {S}, for {P}?",
    "An examiner in {S} describes {P}. What is being described?",
};

constexpr std::array<std::string_view, 12> names{"Ana", "Bilal", "Chen", "Dara", "Emeka", "Farah",
                                                  "Goran", "Hana", "Ines", "Jonas", "Kofi", "Lena"};
constexpr std::array<std::string_view, 8> items{"apples", "stickers", "marbles", "pencils",
                                                 "cookies", "seashells", "stamps", "bolts"};
constexpr std::array<std::string_view, 6> animals{"hens", "goats", "cows", "ducks", "sheep", "bees"};

std::string fill(std::string_view pattern, std::initializer_list<std::pair<std::string_view, std::string>> slots) {
    std::string out(pattern);
    for (const auto& [key, value] : slots) {
        for (std::size_t pos; (pos = out.find(key)) != std::string::npos;) out.replace(pos, key.size(), value);
    }
    return out;
}

std::string num(long long v) { return std::to_string(v); }

long long between(rng& r, long long lo, long long hi) { return lo + static_cast<long long>(r.below(static_cast<std::uint64_t>(hi - lo + 1))); }

} // namespace

drafted_query draft_mcq_query(rng& r) {
    drafted_query q;
    const subject_vocabulary& sv = pick(r, subjects);
    q.subject = sv.name;
    const std::size_t property = static_cast<std::size_t>(r.below(sv.properties.size()));
    q.property = sv.properties[property];
    // Four distinct terms; the gold letter is where the right one lands.
    std::array<std::size_t, 10> order{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    r.shuffle(std::span<std::size_t>(order));
    for (int i = 0; i < 4; ++i) q.options.emplace_back(sv.terms[order[static_cast<std::size_t>(i)]]);
    q.gold_letter = static_cast<char>('A' + r.below(4));
    q.text = fill(pick(r, mcq_stems), {{"{S}", std::string(sv.name)}, {"{P}", q.property}});
    for (std::size_t i = 0; i < q.options.size(); ++i)
        q.text += "\n" + std::string(1, static_cast<char>('A' + i)) + ". " + q.options[i];
    return q;
}

drafted_query draft_numeric_query(rng& r) {
    drafted_query q;
    const std::string name(pick(r, names));
    switch (r.below(4)) {
    case 0: {
        const long long a = between(r, 3, 40), b = between(r, 2, 9), c = between(r, 3, 24);
        const std::string item(pick(r, items));
        q.subject = "collections";
        q.text = fill("{N} has {A} {I}. {N} buys {B} packs with {C} {I} in each. How many {I} does {N} have now?",
                      {{"{N}", name}, {"{A}", num(a)}, {"{B}", num(b)}, {"{C}", num(c)}, {"{I}", item}});
        q.steps = {b * c, a + b * c};
        break;
    }
    case 1: {
        const long long a = between(r, 2, 12), p = between(r, 3, 45), bill = ((a * p) / 50 + 1 + static_cast<long long>(r.below(3))) * 50;
        q.subject = "shopping";
        q.text = fill("A shop sells notebooks at ${P} each. {N} buys {A} of them and pays with ${B}. How much change, "
                      "in dollars, does {N} get?",
                      {{"{N}", name}, {"{A}", num(a)}, {"{P}", num(p)}, {"{B}", num(bill)}});
        q.steps = {a * p, bill - a * p};
        break;
    }
    case 2: {
        const long long a = between(r, 8, 60), d = between(r, 3, 14), b = between(r, 8, 60), e = between(r, 2, 10);
        q.subject = "reading";
        q.text = fill("{N} reads {A} pages a day for {D} days, then {B} pages a day for {E} days. How many pages does "
                      "{N} read in total?",
                      {{"{N}", name}, {"{A}", num(a)}, {"{D}", num(d)}, {"{B}", num(b)}, {"{E}", num(e)}});
        q.steps = {a * d, b * e, a * d + b * e};
        break;
    }
    default: {
        const long long a = between(r, 12, 90), b = between(r, 3, 12), p = between(r, 2, 9), w = between(r, 2, 8);
        const std::string animal(pick(r, animals));
        q.subject = "farming";
        q.text = fill("A farm keeps {A} {X}. Each one yields {B} units of produce a week, sold at ${P} per unit. How "
                      "many dollars does the farm earn in {W} weeks?",
                      {{"{A}", num(a)}, {"{X}", animal}, {"{B}", num(b)}, {"{P}", num(p)}, {"{W}", num(w)}});
        q.steps = {a * b, a * b * p, a * b * p * w};
        break;
    }
    }
    q.answer = q.steps.back();
    return q;
}

namespace {

constexpr std::array<std::string_view, 6> mcq_reasoning{
    "Option {L}, {T}, does not fit the description as well.",
    "The key idea in {S} here is {P}.",
    "We can rule out {T} because it concerns something else.",
    "Recall the standard definitions used in {S} courses.",
    "It helps to compare {T} with the other candidates one by one.",
    "Each option names a real concept, so the distinction is subtle.",
};

constexpr std::array<std::string_view, 5> numeric_reasoning{
    "Let me work through this step by step.",
    "First I restate what is given in the problem.",
    "I will keep track of the units as I go.",
    "Now I combine the partial results.",
    "It is worth double-checking the arithmetic here.",
};

void append_sentence(std::string& out, std::uint32_t& tokens, const std::string& sentence) {
    if (!out.empty()) out += ' ';
    out += sentence;
    tokens += count_tokens(sentence);
}

} // namespace

std::string write_mcq_answer(rng& r, const drafted_query& q, char letter, mcq_habit habit, int reasoning_tokens) {
    std::string out;
    std::uint32_t tokens = 0;
    while (tokens < static_cast<std::uint32_t>(reasoning_tokens)) {
        const std::size_t other = static_cast<std::size_t>(r.below(q.options.size()));
        append_sentence(out, tokens,
                        fill(pick(r, mcq_reasoning), {{"{L}", std::string(1, static_cast<char>('A' + other))},
                                                      {"{T}", q.options[other]}, {"{S}", q.subject},
                                                      {"{P}", q.property}}));
    }
    const std::string letter_s(1, letter);
    const std::string& text = q.options[static_cast<std::size_t>(letter - 'A')];
    out += "\n\n";
    switch (habit) {
    case mcq_habit::answer_line: out += "Answer: " + letter_s; break;
    case mcq_habit::bold_letter: out += "The correct option is **" + letter_s + "**."; break;
    case mcq_habit::letter_with_text: out += letter_s + ") " + text; break;
    case mcq_habit::option_text_only: out += "So the answer is " + text + "."; break;
    case mcq_habit::trailing_remark: {
        const char trap = static_cast<char>('A' + (letter - 'A' + 1 + static_cast<int>(r.below(3))) % 4);
        out += "Answer: " + letter_s + ". Option " + std::string(1, trap) + " is a common trap.";
        break;
    }
    }
    return out;
}

std::string write_numeric_answer(rng& r, const drafted_query& q, long long value, numeric_habit habit,
                                 int reasoning_tokens) {
    std::string out;
    std::uint32_t tokens = 0;
    std::size_t step = 0;
    while (tokens < static_cast<std::uint32_t>(reasoning_tokens)) {
        if (step < q.steps.size() && r.bernoulli(0.5)) {
            // The last step shows the value the model believes, right or wrong.
            const long long shown = step + 1 == q.steps.size() ? value : q.steps[step];
            append_sentence(out, tokens, "Step " + std::to_string(step + 1) + " gives " + std::to_string(shown) + ".");
            ++step;
        } else {
            append_sentence(out, tokens, std::string(pick(r, numeric_reasoning)));
        }
    }
    out += "\n\n";
    switch (habit) {
    case numeric_habit::plain: out += "The answer is " + std::to_string(value) + "."; break;
    case numeric_habit::hash_line: out += "#### " + std::to_string(value); break;
    case numeric_habit::separators: out += "The answer is " + with_thousands_separators(value) + "."; break;
    case numeric_habit::currency: out += "The answer is $" + with_thousands_separators(value) + ".00."; break;
    case numeric_habit::words: out += "The answer is " + number_in_words(value) + "."; break;
    }
    return out;
}

std::string write_code_answer(rng& r, const code_task& task, code_fault fault, code_habit habit, int reasoning_tokens) {
    static constexpr std::array<std::string_view, 5> prose{
        "I will handle the empty input first and then the general case.",
        "The idea is to walk through the input once and keep a running result.",
        "Python's built-in functions keep this short and readable.",
        "Let me make sure the edge cases behave as the description asks.",
        "A single pass is enough here, so the solution is linear in the input size.",
    };
    std::string out;
    std::uint32_t tokens = 0;
    while (tokens < static_cast<std::uint32_t>(reasoning_tokens)) append_sentence(out, tokens, std::string(pick(r, prose)));
    const std::string code = write_solution(task, fault);
    switch (habit) {
    case code_habit::fenced_python: out += "\n\n```python\n" + code + "```"; break;
    case code_habit::fenced_plain: out += "\n\n```\n" + code + "```"; break;
    case code_habit::unfenced: out += "\n\nHere is the function:\n\n" + code; break;
    }
    return out;
}

std::string write_refusal(rng& r) {
    static constexpr std::array<std::string_view, 3> refusals{
        "I'm sorry, but I can't determine the answer to this with confidence.",
        "I am not able to help with this question.",
        "This question is outside what I can reliably answer.",
    };
    return std::string(pick(r, refusals));
}

std::string number_in_words(long long n) {
    static constexpr std::array<std::string_view, 20> small{
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
    static constexpr std::array<std::string_view, 10> tens{"", "", "twenty", "thirty", "forty",
                                                           "fifty", "sixty", "seventy", "eighty", "ninety"};
    if (n < 0) return "minus " + number_in_words(-n);
    if (n < 20) return std::string(small[static_cast<std::size_t>(n)]);
    if (n < 100) {
        std::string s(tens[static_cast<std::size_t>(n / 10)]);
        return n % 10 ? s + "-" + std::string(small[static_cast<std::size_t>(n % 10)]) : s;
    }
    if (n < 1000) {
        std::string s = number_in_words(n / 100) + " hundred";
        return n % 100 ? s + " and " + number_in_words(n % 100) : s;
    }
    if (n < 1000000) {
        std::string s = number_in_words(n / 1000) + " thousand";
        return n % 1000 ? s + (n % 1000 < 100 ? " and " : " ") + number_in_words(n % 1000) : s;
    }
    std::string s = number_in_words(n / 1000000) + " million";
    return n % 1000000 ? s + " " + number_in_words(n % 1000000) : s;
}

std::string with_thousands_separators(long long n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

} // namespace headroom::sim
