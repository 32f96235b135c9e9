// headroom_bench_exec: programs per second of the exec sandbox on a realistic batch,
// against the usual HumanEval harness (exec_reference.py, run in the same session).
//
// [SECTION] problems    small HumanEval-style tasks: a correct and a wrong solution each
// [SECTION] batch       the job mix: samples, identical greedy duplicates, ~10% failing
// [SECTION] reference   writing the jobs as JSONL and running the Python reference
// [SECTION] main        options, the runs, the report
//
// Usage: headroom_bench_exec [--jobs N] [--duplicates F] [--failing F] [--timeouts K]
//                            [--parallelism P] [--rounds R] [--reference PATH] [--python PATH]
#include "core/grading/calls.h"
#include "core/grading/test_cases.h"
#include "sandbox/batch.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace headroom::sandbox;

namespace {

// [SECTION] problems

struct problem {
    const char* entry;
    const char* correct;
    const char* wrong;   // a plausible model mistake
    const char* check;   // HumanEval's shape: def check(candidate): assert ...
};

const problem problems[] = {
    {"has_close_elements",
     "def has_close_elements(numbers, threshold):\n    for i, a in enumerate(numbers):\n        for j, b in enumerate(numbers):\n            if i != j and abs(a - b) < threshold:\n                return True\n    return False\n",
     "def has_close_elements(numbers, threshold):\n    return any(abs(a - b) < threshold for a, b in zip(numbers, numbers[1:]))\n",
     "def check(candidate):\n    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3) == True\n    assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.05) == False\n    assert candidate([1.0, 2.0, 5.9, 4.0, 5.0], 0.95) == True\n    assert candidate([1.1, 2.2, 3.1, 4.1, 5.1], 1.0) == True\n"},
    {"below_zero",
     "def below_zero(operations):\n    balance = 0\n    for op in operations:\n        balance += op\n        if balance < 0:\n            return True\n    return False\n",
     "def below_zero(operations):\n    return sum(operations) < 0\n",
     "def check(candidate):\n    assert candidate([]) == False\n    assert candidate([1, 2, -3, 1, 2, -3]) == False\n    assert candidate([1, 2, -4, 5, 6]) == True\n    assert candidate([1, -2, 2, -2, 5, -5, 4, -4]) == True\n"},
    {"truncate_number",
     "def truncate_number(number):\n    return number % 1.0\n",
     "def truncate_number(number):\n    return number - round(number)\n",
     "def check(candidate):\n    assert candidate(3.5) == 0.5\n    assert abs(candidate(1.33) - 0.33) < 1e-6\n    assert abs(candidate(123.456) - 0.456) < 1e-6\n"},
    {"intersperse",
     "def intersperse(numbers, delimeter):\n    out = []\n    for i, n in enumerate(numbers):\n        if i:\n            out.append(delimeter)\n        out.append(n)\n    return out\n",
     "def intersperse(numbers, delimeter):\n    out = []\n    for n in numbers:\n        out += [n, delimeter]\n    return out\n",
     "def check(candidate):\n    assert candidate([], 7) == []\n    assert candidate([5, 6, 3, 2], 8) == [5, 8, 6, 8, 3, 8, 2]\n    assert candidate([2, 2, 2], 2) == [2, 2, 2, 2, 2]\n"},
    {"is_palindrome",
     "def is_palindrome(text):\n    return text == text[::-1]\n",
     "def is_palindrome(text):\n    return text[0] == text[-1]\n",
     "def check(candidate):\n    assert candidate('') == True\n    assert candidate('aba') == True\n    assert candidate('aaaaa') == True\n    assert candidate('zbcd') == False\n    assert candidate('xywyx') == True\n    assert candidate('xywyz') == False\n"},
    {"fib",
     "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n",
     "def fib(n):\n    a, b = 1, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n",
     "def check(candidate):\n    assert candidate(10) == 55\n    assert candidate(1) == 1\n    assert candidate(8) == 21\n    assert candidate(11) == 89\n    assert candidate(12) == 144\n"},
    {"incr_list",
     "def incr_list(l):\n    return [e + 1 for e in l]\n",
     "def incr_list(l):\n    return [e + 1 for e in l[1:]]\n",
     "def check(candidate):\n    assert candidate([]) == []\n    assert candidate([3, 2, 1]) == [4, 3, 2]\n    assert candidate([5, 2, 5, 2, 3, 3, 9, 0, 123]) == [6, 3, 6, 3, 4, 4, 10, 1, 124]\n"},
    {"unique",
     "def unique(l):\n    return sorted(set(l))\n",
     "def unique(l):\n    return list(set(l))[::-1]\n",
     "def check(candidate):\n    assert candidate([5, 3, 5, 2, 3, 3, 9, 0, 123]) == [0, 2, 3, 5, 9, 123]\n"},
    {"max_element",
     "def max_element(l):\n    best = l[0]\n    for e in l:\n        if e > best:\n            best = e\n    return best\n",
     "def max_element(l):\n    return sorted(l)[-2]\n",
     "def check(candidate):\n    assert candidate([1, 2, 3]) == 3\n    assert candidate([5, 3, -5, 2, -3, 3, 9, 0, 124, 1, -10]) == 124\n"},
    {"vowels_count",
     "def vowels_count(s):\n    n = sum(c in 'aeiouAEIOU' for c in s)\n    if s and s[-1] in 'yY':\n        n += 1\n    return n\n",
     "def vowels_count(s):\n    return sum(c in 'aeiou' for c in s)\n",
     "def check(candidate):\n    assert candidate('abcde') == 2\n    assert candidate('Alone') == 3\n    assert candidate('key') == 2\n    assert candidate('bye') == 1\n    assert candidate('ACEDY') == 3\n"},
    {"sort_even",
     "def sort_even(l):\n    evens = sorted(l[::2])\n    out = list(l)\n    out[::2] = evens\n    return out\n",
     "def sort_even(l):\n    return sorted(l)\n",
     "def check(candidate):\n    assert tuple(candidate([1, 2, 3])) == tuple([1, 2, 3])\n    assert tuple(candidate([5, 6, 3, 4])) == tuple([3, 6, 5, 4])\n"},
    {"below_threshold",
     "def below_threshold(l, t):\n    return all(e < t for e in l)\n",
     "def below_threshold(l, t):\n    return all(e <= t for e in l)\n",
     "def check(candidate):\n    assert candidate([1, 2, 4, 10], 100)\n    assert not candidate([1, 20, 4, 10], 5)\n    assert not candidate([1, 8, 4, 10], 10)\n"},
    {"same_chars",
     "def same_chars(s0, s1):\n    return set(s0) == set(s1)\n",
     "def same_chars(s0, s1):\n    return sorted(s0) == sorted(s1)\n",
     "def check(candidate):\n    assert candidate('eabcdzzzz', 'dddzzzzzzzddeddabc') == True\n    assert candidate('abcd', 'dddddddabc') == True\n    assert candidate('eabcd', 'dddddddabc') == False\n"},
    {"monotonic",
     "def monotonic(l):\n    return l == sorted(l) or l == sorted(l, reverse=True)\n",
     "def monotonic(l):\n    return l == sorted(l)\n",
     "def check(candidate):\n    assert candidate([1, 2, 4, 10]) == True\n    assert candidate([1, 20, 4, 10]) == False\n    assert candidate([4, 1, 0, -10]) == True\n"},
    {"largest_prime_factor",
     "def largest_prime_factor(n):\n    factor, largest = 2, 1\n    while n > 1:\n        while n % factor == 0:\n            largest, n = factor, n // factor\n        factor += 1\n    return largest\n",
     "def largest_prime_factor(n):\n    return max(d for d in range(2, n) if n % d == 0)\n",
     "def check(candidate):\n    assert candidate(15) == 5\n    assert candidate(27) == 3\n    assert candidate(63) == 7\n    assert candidate(330) == 11\n    assert candidate(13195) == 29\n"},
    {"sum_to_n",
     "def sum_to_n(n):\n    return n * (n + 1) // 2\n",
     "def sum_to_n(n):\n    return sum(range(n))\n",
     "def check(candidate):\n    assert candidate(1) == 1\n    assert candidate(6) == 21\n    assert candidate(11) == 66\n    assert candidate(30) == 465\n    assert candidate(100) == 5050\n"},
};
constexpr std::size_t problem_count = sizeof problems / sizeof problems[0];

// [SECTION] batch

struct bench_job {
    exec_job job;
    std::size_t sample;       // distinct generation it came from
    bool duplicate = false;   // identical to an earlier job
};

// Samples of one problem differ the way sampled generations do (docstrings, names
// of helpers); duplicates are byte-identical, as greedy decoding makes them.
std::vector<bench_job> make_batch(std::size_t count, double duplicate_share, double failing_share,
                                  std::size_t timeouts, std::uint32_t seed) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<bench_job> jobs;
    std::vector<std::size_t> originals;
    for (std::size_t i = 0; i < count; ++i) {
        if (!originals.empty() && unit(random) < duplicate_share) {
            bench_job copy = jobs[originals[random() % originals.size()]];
            copy.duplicate = true;
            jobs.push_back(copy);
            continue;
        }
        const problem& p = problems[i % problem_count];
        const bool wrong = unit(random) < failing_share;
        std::string program = "# sample " + std::to_string(i) + " of " + p.entry + "\n";
        program += wrong ? p.wrong : p.correct;
        if (i < timeouts) program = std::string("def ") + p.entry + "(*args):\n    while True:\n        pass\n";
        std::string tests = std::string(p.check) + "\ncheck(" + p.entry + ")\n";
        originals.push_back(jobs.size());
        jobs.push_back({{program, tests}, i, false});
    }
    return jobs;
}

// [SECTION] reference

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

struct reference_run {
    bool ok = false;
    double seconds = 0;
    std::vector<bool> passed;
};

reference_run run_reference(const std::string& python, const std::string& script,
                            const std::vector<bench_job>& jobs, double timeout) {
    reference_run run;
    char directory[] = "/tmp/headroom-bench-XXXXXX";
    if (::mkdtemp(directory) == nullptr) return run;
    const std::string jobs_path = std::string(directory) + "/jobs.jsonl";
    const std::string results_path = std::string(directory) + "/results.jsonl";
    {
        std::ofstream out(jobs_path);
        for (const bench_job& job : jobs)
            out << "{\"program\": " << json_string(job.job.program_text)
                << ", \"tests\": " << json_string(job.job.test_text) << ", \"timeout\": " << timeout << "}\n";
    }
    const std::string command = "'" + python + "' '" + script + "' '" + jobs_path + "' '" + results_path + "'";
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char line[512] = {};
        std::string summary;
        while (std::fgets(line, sizeof line, pipe)) summary += line;
        run.ok = ::pclose(pipe) == 0;
        // {"programs": n, "seconds": s, ...}: the loop's own time, without startup.
        std::size_t at = summary.find("\"seconds\":");
        if (at != std::string::npos) run.seconds = std::atof(summary.c_str() + at + 10);
        std::ifstream results(results_path);
        for (std::string result; std::getline(results, result);)
            run.passed.push_back(result.find("\"passed\"") != std::string::npos);
    }
    std::remove(jobs_path.c_str());
    std::remove(results_path.c_str());
    ::rmdir(directory);
    run.ok = run.ok && run.passed.size() == jobs.size() && run.seconds > 0;
    return run;
}

// [SECTION] calls     the grader's design: a clean oracle per test program, the
//                     candidate's process gets argument literals only, C++ compares

struct calls_run {
    std::vector<bool> passed;
    std::size_t oracles = 0, in_process = 0;
};

calls_run run_calls(const std::vector<exec_job>& batch, const batch_options& options) {
    calls_run out;
    std::map<std::string, headroom::case_plan> plans;
    for (const exec_job& job : batch)
        if (!plans.count(job.test_text)) plans.emplace(job.test_text, headroom::plan_cases(job.test_text));
    std::vector<exec_job> oracle_jobs;
    std::vector<const std::string*> oracle_tests;
    for (const auto& [tests, plan] : plans) {
        if (!plan.usable) continue;
        oracle_jobs.push_back({headroom::oracle_payload(plan), {}, true});
        oracle_tests.push_back(&tests);
    }
    out.oracles = oracle_jobs.size();
    const batch_result oracle_runs = run_batch(oracle_jobs, options);
    std::map<std::string, headroom::oracle> oracles;
    for (std::size_t i = 0; i < oracle_jobs.size(); ++i) {
        const exec_result& r = oracle_runs.results[i];
        headroom::oracle o = headroom::read_oracle(plans[*oracle_tests[i]], r.verdict == exec_verdict::passed, r.report,
                                                   r.reason);
        if (o.usable) oracles.emplace(*oracle_tests[i], std::move(o));
    }
    std::vector<exec_job> runs;
    std::vector<const headroom::oracle*> oracle_of;
    for (const exec_job& job : batch) {
        const auto it = oracles.find(job.test_text);
        oracle_of.push_back(it == oracles.end() ? nullptr : &it->second);
        if (it == oracles.end()) {
            runs.push_back(job);
            ++out.in_process;
        } else {
            runs.push_back({headroom::call_payload(job.program_text, it->second), {}, true});
        }
    }
    const batch_result results = run_batch(runs, options);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const exec_result& r = results.results[i];
        bool passed = r.verdict == exec_verdict::passed;
        if (passed && oracle_of[i])
            passed = headroom::judge_calls(*oracle_of[i], r.report, batch[i].program_text).status ==
                     headroom::grade_status::passed;
        out.passed.push_back(passed);
    }
    return out;
}

// [SECTION] main

double rate(std::size_t programs, double seconds) { return seconds > 0 ? programs / seconds : 0; }

// Wall time and CPU time (ours and every reaped descendant's: sandboxes, the reference
// and its forks) of one step. Kernel threads' work, such as network namespace
// teardown, is not in it.
struct measure {
    double seconds = 0;
    double cpu_seconds = 0;
    void keep_best(const measure& other) {
        if (seconds == 0 || other.seconds < seconds) *this = other;
    }
};

double cpu_seconds_so_far() {
    auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    rusage self{}, children{};
    ::getrusage(RUSAGE_SELF, &self);
    ::getrusage(RUSAGE_CHILDREN, &children);
    return seconds(self.ru_utime) + seconds(self.ru_stime) + seconds(children.ru_utime) +
           seconds(children.ru_stime);
}

template <class Step>
measure measured(Step step) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds_so_far();
    step();
    measure m;
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.cpu_seconds = cpu_seconds_so_far() - cpu_start;
    return m;
}

} // namespace

int main(int argc, char** argv) {
    std::size_t job_count = 400, timeouts = 0, parallelism = 0, rounds = 2;
    double duplicates = 0.25, failing = 0.10;
    std::string reference = HEADROOM_EXEC_REFERENCE, python = "/usr/bin/python3";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--jobs") job_count = std::stoul(value);
        else if (flag == "--duplicates") duplicates = std::stod(value);
        else if (flag == "--failing") failing = std::stod(value);
        else if (flag == "--timeouts") timeouts = std::stoul(value);
        else if (flag == "--parallelism") parallelism = std::stoul(value);
        else if (flag == "--rounds") rounds = std::max<std::size_t>(1, std::stoul(value));
        else if (flag == "--reference") reference = value;
        else if (flag == "--python") python = value;
        else {
            std::fprintf(stderr, "unknown option %s\n", flag.c_str());
            return 2;
        }
    }
    const double timeout = 3.0;
    const auto jobs = make_batch(job_count, duplicates, failing, timeouts, 20240501u);
    std::vector<exec_job> batch;
    std::size_t duplicate_count = 0;
    for (const bench_job& job : jobs) {
        batch.push_back(job.job);
        duplicate_count += job.duplicate;
    }

    batch_options options;
    options.parallelism = parallelism;
    options.limits.wall_seconds = timeout;
    options.limits.cpu_seconds = static_cast<int>(timeout);
    options.config.python = python;
    const std::size_t used = parallelism ? parallelism : default_parallelism();
    std::printf("exec bench: %zu jobs (%zu identical duplicates, %zu infinite loops), "
                "parallelism %zu, timeout %.0f s\n",
                jobs.size(), duplicate_count, timeouts, used, timeout);
    std::printf("isolation: %s\n\n", describe_isolation(options.config).c_str());

    // The same jobs made distinct (a comment with the job index): what deduplication saves.
    std::vector<exec_job> distinct = batch;
    for (std::size_t i = 0; i < distinct.size(); ++i)
        distinct[i].program_text += "\n# job " + std::to_string(i) + "\n";

    // Rounds alternate the harnesses, and each keeps its best: other work on a shared
    // machine then slows both alike instead of whichever happened to run during it.
    measure ours_best, plain_best, ref_best, calls_best;
    batch_result ours;
    reference_run ref;
    calls_run calls;
    for (std::size_t round = 0; round < rounds; ++round) {
        measure m = measured([&] { ours = run_batch(batch, options); });
        ours_best.keep_best(m);
        measure c = measured([&] { calls = run_calls(batch, options); });
        calls_best.keep_best(c);
        measure plain = measured([&] { run_batch(distinct, options); });
        plain_best.keep_best(plain);
        measure r = measured([&] { ref = run_reference(python, reference, jobs, timeout); });
        if (!ref.ok) {
            std::fprintf(stderr, "the reference harness failed to run (%s)\n", reference.c_str());
            return 1;
        }
        r.seconds = ref.seconds;  // its own loop time, without interpreter startup
        ref_best.keep_best(r);
        std::printf("round %zu: sandbox %.2f s, call protocol %.2f s, sandbox without duplicates %.2f s, "
                    "reference %.2f s\n",
                    round + 1, m.seconds, c.seconds, plain.seconds, r.seconds);
    }

    std::size_t ours_passed = 0, sandbox_errors = 0, ref_passed = 0, disagreements = 0, calls_passed = 0;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        const exec_result& r = ours.results[i];
        ours_passed += r.verdict == exec_verdict::passed;
        calls_passed += calls.passed[i];
        disagreements += calls.passed[i] != ref.passed[i];
        sandbox_errors += r.verdict == exec_verdict::sandbox_error;
        ref_passed += ref.passed[i];
        disagreements += ref.passed[i] != (r.verdict == exec_verdict::passed);
    }

    const double n = static_cast<double>(jobs.size());
    std::printf("\n%-44s %8s %10s %12s %7s\n", "harness (best round)", "seconds", "programs/s",
                "CPU ms/prog", "passed");
    auto row = [&](const char* name, const measure& m, const std::string& passed) {
        std::printf("%-44s %8.2f %10.1f %12.1f %7s\n", name, m.seconds, rate(jobs.size(), m.seconds),
                    1000.0 * m.cpu_seconds / n, passed.c_str());
    };
    row("headroom sandbox (dedupe, parallel)", ours_best, std::to_string(ours_passed));
    row("headroom call protocol (oracle + calls)", calls_best, std::to_string(calls_passed));
    row("headroom sandbox (no duplicates to share)", plain_best, "");
    row("reference (Process per program, sequential)", ref_best, std::to_string(ref_passed));
    std::printf("\nspeed-up: %.1fx in-process (%.1fx without deduplication), %.1fx with the call protocol "
                "(%zu oracle runs, %zu of %zu programs in-process: tests it cannot read); the protocol costs "
                "%+.1f ms wall and %+.1f ms CPU per program; runs executed %zu of %zu; verdict disagreements %zu; "
                "sandbox errors %zu\n",
                ref_best.seconds / ours_best.seconds, ref_best.seconds / plain_best.seconds,
                ref_best.seconds / calls_best.seconds, calls.oracles, calls.in_process, jobs.size(),
                1000.0 * (calls_best.seconds - ours_best.seconds) / n,
                1000.0 * (calls_best.cpu_seconds - ours_best.cpu_seconds) / n, ours.runs, jobs.size(),
                disagreements, sandbox_errors);
    return disagreements == 0 && sandbox_errors == 0 ? 0 : 1;
}
