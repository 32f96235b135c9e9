// The append-only ledger: one JSON line per finished unit of work (done or failed),
// appended in batches that are flushed and fsynced together. A run killed at any
// moment loses at most the last unsynced batch, which a restart redoes; a torn last
// line (the write the kill interrupted) is detected, cut off and redone too.
#pragma once
#include "core/base/jsonl.h"

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

namespace headroom::sample {

class ledger {
public:
    // Opens (creating) the ledger at `path` and reads what is there. Keys already done
    // twice, and lines that are not the last but do not parse, are input_errors naming
    // the line: they mean the file was edited or written by something else.
    explicit ledger(std::string path, std::size_t batch_lines = 64,
                    std::chrono::milliseconds batch_time = std::chrono::milliseconds(500));
    ~ledger();
    ledger(const ledger&) = delete;
    ledger& operator=(const ledger&) = delete;

    // Entries read or appended whose "status" is not "failed", by their "key".
    const std::unordered_map<std::string, json_value>& done() const { return done_; }
    bool is_done(const std::string& key) const { return done_.count(key) != 0; }
    std::size_t torn_bytes() const { return torn_bytes_; }  // cut off when opening

    // Queues one entry (it must hold "key" and "status"); writes and fsyncs the batch
    // when it is full or old enough.
    void append(const json_value& entry);
    void sync();  // writes and fsyncs whatever is queued

private:
    std::string path_;
    int fd_ = -1;
    std::size_t batch_lines_;
    std::chrono::milliseconds batch_time_;
    std::string pending_;
    std::size_t pending_lines_ = 0;
    std::chrono::steady_clock::time_point oldest_;
    std::unordered_map<std::string, json_value> done_;
    std::size_t torn_bytes_ = 0;
    std::size_t lines_ = 0;
};

} // namespace headroom::sample
