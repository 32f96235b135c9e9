#include "commands.h"
#include "grade.h"
#include "study_io.h"

#include <cstdio>

namespace headroom::cli {

void add_grade(CLI::App& app) {
    auto* cmd = app.add_subcommand("grade", "Grade every generation of a study directory (writes grades.jsonl)");
    static std::string dir;
    cmd->add_option("dir", dir, "study directory")->required()->check(CLI::ExistingDirectory);
    cmd->callback([] {
        study s = load_study_dir(dir);
        grade_extractions(s);
        write_grades_file(s, dir);
        std::fprintf(stderr, "graded %zu generations: %zu grades in %s/grades.jsonl\n", s.generations.size(),
                     s.grades.size(), dir.c_str());
    });
}

} // namespace headroom::cli
