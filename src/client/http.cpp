#include "client/http.h"

#include <curl/curl.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <unordered_set>
#include <utility>

namespace headroom::client {

namespace {

// curl_global_init is not thread-safe and must run once before any handle exists.
void init_curl_once() {
    static const bool done = [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
        return true;
    }();
    (void)done;
}

transport_error classify_curl(CURLcode code) {
    switch (code) {
    case CURLE_OK: return transport_error::none;
    case CURLE_OPERATION_TIMEDOUT: return transport_error::timeout;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return transport_error::connect;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY: return transport_error::reset;
    default: return transport_error::other;
    }
}

} // namespace

struct http_client::transfer {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    http_request request;
    callback done;
    http_result result;
    std::size_t max_body = 0;
    bool overflow = false;
    std::chrono::steady_clock::time_point started;

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
        auto* t = static_cast<transfer*>(self);
        const std::size_t n = size * count;
        if (t->result.body.size() + n > t->max_body) {
            t->overflow = true;
            return 0;  // makes curl abort the transfer with CURLE_WRITE_ERROR
        }
        t->result.body.append(data, n);
        return n;
    }

    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
        auto* t = static_cast<transfer*>(self);
        const std::size_t n = size * count;
        const std::string_view line(data, n);
        if (auto v = header_value(line, "retry-after:")) t->result.retry_after = *v;
        if (auto v = header_value(line, "location:")) t->result.location = trimmed(*v);
        return n;
    }
    // The value of a header line named `name` (lower case, with its colon), any case.
    static std::optional<std::string> header_value(std::string_view line, std::string_view name) {
        if (line.size() <= name.size()) return std::nullopt;
        for (std::size_t i = 0; i < name.size(); ++i)
            if ((line[i] | 0x20) != name[i] && line[i] != name[i]) return std::nullopt;
        return std::string(line.substr(name.size()));
    }
    static std::string trimmed(std::string_view v) {
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n')) v.remove_suffix(1);
        return std::string(v.substr(0, 500));
    }
};

struct http_client::impl {
    CURLM* multi = nullptr;
    std::size_t max_body = 0;
    std::vector<CURL*> idle;  // easy handles kept for reuse: they cache DNS and TLS state
    std::unordered_set<transfer*> live;
};

http_client::http_client(std::size_t max_body_bytes) : impl_(std::make_unique<impl>()) {
    init_curl_once();
    impl_->multi = curl_multi_init();
    if (!impl_->multi) throw std::runtime_error("curl_multi_init failed");
    impl_->max_body = max_body_bytes;
    // Enough cached connections for every concurrent transfer to find its own again.
    curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, 2048L);
}

http_client::~http_client() {
    // Abandoned transfers (an exception unwound the caller) are freed without callbacks.
    for (transfer* t : impl_->live) {
        curl_multi_remove_handle(impl_->multi, t->easy);
        curl_easy_cleanup(t->easy);
        curl_slist_free_all(t->headers);
        delete t;
    }
    for (CURL* e : impl_->idle) curl_easy_cleanup(e);
    curl_multi_cleanup(impl_->multi);
}

void http_client::start(http_request request, callback done) {
    auto t = std::make_unique<transfer>();
    t->request = std::move(request);
    t->done = std::move(done);
    t->max_body = impl_->max_body;
    if (!impl_->idle.empty()) {
        t->easy = impl_->idle.back();
        impl_->idle.pop_back();
        curl_easy_reset(t->easy);
    } else {
        t->easy = curl_easy_init();
        if (!t->easy) throw std::runtime_error("curl_easy_init failed");
    }
    CURL* e = t->easy;
    for (const auto& h : t->request.headers) t->headers = curl_slist_append(t->headers, h.c_str());
    // curl would otherwise wait for "100 Continue" before sending bodies over 1 KiB.
    t->headers = curl_slist_append(t->headers, "Expect:");
    curl_easy_setopt(e, CURLOPT_URL, t->request.url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    if (!t->request.body.empty()) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->request.body.data());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->request.body.size()));
    }
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(t->request.timeout_s * 1000));
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &transfer::on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &transfer::on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
    t->started = std::chrono::steady_clock::now();
    if (curl_multi_add_handle(impl_->multi, e) != CURLM_OK) {
        curl_slist_free_all(t->headers);
        curl_easy_cleanup(e);
        throw std::runtime_error("curl_multi_add_handle failed");
    }
    impl_->live.insert(t.release());
    ++active_;
}

void http_client::poll(int timeout_ms) {
    int running = 0;
    curl_multi_perform(impl_->multi, &running);
    // Wait only when nothing finished (with nothing in flight this is the pause before a timer).
    if (running == static_cast<int>(active_)) {
        curl_multi_poll(impl_->multi, nullptr, 0, timeout_ms, nullptr);
        curl_multi_perform(impl_->multi, &running);
    }
    std::vector<std::unique_ptr<transfer>> finished;
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(impl_->multi, &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        transfer* raw = nullptr;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
        std::unique_ptr<transfer> t(raw);
        impl_->live.erase(raw);
        const CURLcode code = msg->data.result;
        curl_multi_remove_handle(impl_->multi, t->easy);
        t->result.elapsed_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t->started).count();
        if (t->overflow) {
            t->result.error = transport_error::too_large;
            t->result.error_text = "response body larger than " + std::to_string(t->max_body) + " bytes";
            t->result.body.clear();
        } else {
            t->result.error = classify_curl(code);
            if (code != CURLE_OK) t->result.error_text = curl_easy_strerror(code);
            else curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->result.status);
        }
        curl_slist_free_all(t->headers);
        t->headers = nullptr;
        impl_->idle.push_back(t->easy);
        t->easy = nullptr;
        --active_;
        finished.push_back(std::move(t));
    }
    // Callbacks run after curl's bookkeeping, so they may start transfers freely.
    for (auto& t : finished) t->done(std::move(t->result));
}

} // namespace headroom::client
