#include "client/dispatcher.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <stdexcept>

namespace headroom::client {

dispatcher::dispatcher(http_client& http, retry_policy policy, std::uint64_t seed)
    : http_(http), policy_(policy), random_(seed), epoch_(std::chrono::steady_clock::now()) {}

double dispatcher::now() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_).count();
}

std::size_t dispatcher::add_endpoint(const endpoint_limits& limits) {
    if (limits.max_concurrency == 0) throw std::invalid_argument("max_concurrency must be at least 1");
    endpoints_.push_back(endpoint{limits, token_bucket(limits.requests_per_minute),
                                  token_bucket(limits.tokens_per_minute), {}, 0});
    return endpoints_.size() - 1;
}

void dispatcher::submit(job j) {
    if (j.endpoint >= endpoints_.size()) throw std::out_of_range("unknown endpoint");
    auto s = std::make_shared<state>();
    const std::size_t e = j.endpoint;
    s->j = std::move(j);
    endpoints_[e].ready.push_back(std::move(s));
    ++pending_;
}

void dispatcher::launch(endpoint& e, const std::shared_ptr<state>& s, double t) {
    if (s->attempts == 0) s->first_start = t;
    ++s->attempts;
    ++e.in_flight;
    http_request request = s->j.request;
    // The attempt's deadline, shortened so that no attempt outlives the total budget.
    const double left = policy_.total_budget_s - (t - s->first_start);
    request.timeout_s = std::max(1.0, std::min(policy_.attempt_timeout_s, left));
    http_.start(std::move(request), [this, s](http_result&& r) { on_result(s, std::move(r)); });
}

void dispatcher::step(int max_wait_ms) {
    double t = now();
    while (!waiting_.empty() && waiting_.begin()->first <= t) {
        auto s = std::move(waiting_.begin()->second);
        waiting_.erase(waiting_.begin());
        endpoints_[s->j.endpoint].ready.push_front(std::move(s));  // retries go first: they are oldest
    }
    double wake = waiting_.empty() ? t + max_wait_ms / 1000.0 : waiting_.begin()->first;
    for (auto& e : endpoints_) {
        while (e.in_flight < e.limits.max_concurrency && !e.ready.empty()) {
            const auto& s = e.ready.front();
            const double wait = std::max(e.requests.wait_seconds(1, t), e.tokens.wait_seconds(s->j.tokens, t));
            if (wait > 0) {
                wake = std::min(wake, t + wait);
                break;
            }
            e.requests.try_take(1, t);
            e.tokens.try_take(s->j.tokens, t);
            auto next = std::move(e.ready.front());
            e.ready.pop_front();
            launch(e, next, t);
        }
    }
    const double until = std::max(0.0, wake - now());
    http_.poll(static_cast<int>(std::min<double>(max_wait_ms, std::ceil(until * 1000))));
}

void dispatcher::on_result(const std::shared_ptr<state>& s, http_result&& r) {
    endpoint& e = endpoints_[s->j.endpoint];
    --e.in_flight;
    std::optional<std::string> malformed;
    if (r.error == transport_error::none && r.status >= 200 && r.status < 300 && s->j.check) malformed = s->j.check(r);
    const auto f = classify(r, malformed);
    job_result result;
    result.attempts = s->attempts;
    if (!f) {
        result.ok = true;
        result.response = std::move(r);
        finish(s, std::move(result));
        return;
    }
    if (f->retryable) {
        const double t = now();
        const auto retry_after = parse_retry_after(r.retry_after, std::time(nullptr));
        const double delay = backoff_seconds(policy_, s->attempts, retry_after, random_);
        const bool attempts_left = s->attempts < policy_.max_attempts;
        const double budget_left = policy_.total_budget_s - (t - s->first_start);
        const bool time_left = delay <= budget_left;
        if (attempts_left && time_left) {
            s->retried.push_back(f->reason);
            ++retries_;
            waiting_.emplace(t + delay, s);
            return;
        }
        if (attempts_left && retry_after && *retry_after > budget_left)
            result.message = "the server asks to wait " + std::to_string(static_cast<long long>(*retry_after)) +
                             " s (Retry-After), beyond the " + std::to_string(static_cast<long long>(budget_left)) +
                             " s left of the retry budget; gave up after " + std::to_string(s->attempts) +
                             " attempts: " + f->message;
        else
            result.message = (attempts_left ? "retry time budget exhausted after " : "gave up after ") +
                             std::to_string(s->attempts) + " attempts: " + f->message;
    } else {
        result.message = f->message;
    }
    result.reason = f->reason;
    result.response = std::move(r);
    finish(s, std::move(result));
}

void dispatcher::finish(const std::shared_ptr<state>& s, job_result&& result) {
    result.retried = std::move(s->retried);
    --pending_;
    auto done = std::move(s->j.done);
    done(std::move(result));
}

} // namespace headroom::client
