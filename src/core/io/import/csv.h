// RFC 4180 CSV read from bytes in memory: quoted fields may hold commas, doubled quotes
// and newlines; CRLF or LF ends a record. Fields are views into the bytes, or into the
// reader's own buffer for a quoted field that held doubled quotes.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::import {

class csv_reader {
public:
    csv_reader(std::string_view bytes, std::string file);
    // The next record's fields; false at the end. Throws input_error on an unclosed quote
    // or text after a closing quote, naming the line.
    bool next(std::vector<std::string_view>& fields);
    std::size_t line() const { return record_line_; }  // 1-based line where the last record began
    const std::string& file() const { return file_; }

private:
    struct span {
        std::size_t begin, size;
        bool unescaped;  // in buffer_, not in bytes_
    };
    std::string_view bytes_;
    std::string file_;
    std::size_t pos_ = 0, line_ = 1, record_line_ = 0;
    std::string buffer_;
    std::vector<span> spans_;
};

} // namespace headroom::import
