#include "core/io/import/csv.h"

#include "core/base/jsonl.h"

#include <cstring>

namespace headroom::import {

csv_reader::csv_reader(std::string_view bytes, std::string file) : bytes_(bytes), file_(std::move(file)) {
    // A UTF-8 byte order mark (spreadsheet exports) is not part of the first column's name.
    if (bytes_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

bool csv_reader::next(std::vector<std::string_view>& fields) {
    fields.clear();
    spans_.clear();
    buffer_.clear();
    if (pos_ >= bytes_.size()) return false;
    record_line_ = line_;
    const char* data = bytes_.data();
    const std::size_t n = bytes_.size();
    for (;;) {
        if (pos_ < n && data[pos_] == '"') {
            const std::size_t begin = ++pos_;
            const std::size_t start_line = line_;
            bool doubled = false;
            std::size_t end = begin;
            for (;;) {
                const void* q = std::memchr(data + end, '"', n - end);
                if (!q) throw input_error(file_, start_line, "", "a quoted field is never closed");
                const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(q) - data);
                for (std::size_t i = end; i < at; ++i) line_ += data[i] == '\n';
                if (at + 1 < n && data[at + 1] == '"') {
                    doubled = true;
                    end = at + 2;
                    continue;
                }
                end = at;
                break;
            }
            if (doubled) {
                const std::size_t from = buffer_.size();
                for (std::size_t i = begin; i < end; ++i) {
                    buffer_ += data[i];
                    if (data[i] == '"') ++i;  // the second quote of a doubled pair
                }
                spans_.push_back({from, buffer_.size() - from, true});
            } else {
                spans_.push_back({begin, end - begin, false});
            }
            pos_ = end + 1;
            if (pos_ < n && data[pos_] != ',' && data[pos_] != '\n' && data[pos_] != '\r')
                throw input_error(file_, line_, "", "text after a closing quote (a quote inside a field must be doubled)");
        } else {
            const std::size_t begin = pos_;
            while (pos_ < n && data[pos_] != ',' && data[pos_] != '\n' && data[pos_] != '\r') ++pos_;
            spans_.push_back({begin, pos_ - begin, false});
        }
        if (pos_ >= n) break;
        if (data[pos_] == ',') {
            ++pos_;
            continue;
        }
        if (data[pos_] == '\r') ++pos_;
        if (pos_ < n && data[pos_] == '\n') ++pos_;
        ++line_;
        break;
    }
    fields.reserve(spans_.size());
    for (const auto& s : spans_)
        fields.push_back(s.unescaped ? std::string_view(buffer_).substr(s.begin, s.size) : bytes_.substr(s.begin, s.size));
    return true;
}

} // namespace headroom::import
