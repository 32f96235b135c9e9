// headroom_report_tool: prints the default report of a .pack file as JSON, exactly as
// `headroom report <pack> --json` does. Built natively and for WebAssembly (run in node)
// so the parity tests can compare the two builds' numbers byte for byte.
#include "core/analysis/report.h"
#include "core/base/jsonl.h"
#include "core/io/pack.h"
#include "core/labels/labels.h"

#include <cstdio>
#include <exception>
#include <fstream>
#include <iterator>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: headroom_report_tool STUDY.pack\n");
        return 64;
    }
    try {
        std::ifstream in(argv[1], std::ios::binary);
        if (!in) throw headroom::input_error(argv[1], 0, "", "cannot open file");
        const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const headroom::study s = headroom::unpack_study(bytes, argv[1]);
        const headroom::study_index index(s);
        const auto report = headroom::make_report(s, index, headroom::default_protocols(s));
        std::printf("%s\n", headroom::to_json(report).dump(2).c_str());
    } catch (const headroom::input_error& e) {
        std::fprintf(stderr, "headroom_report_tool: error: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "headroom_report_tool: error: %s\n", e.what());
        return 1;
    }
    return 0;
}
