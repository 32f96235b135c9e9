// Working directories a killed grader left behind are removed by the next one; a
// live grader's (this process's, or another running one's) are not.
#include "sandbox/stale.h"
#include "support.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace headroom::sandbox;
using namespace headroom::sandbox::testing;
namespace fs = std::filesystem;

TEST_CASE("stale: a dead grader's working directories go, live ones stay", "[stale]") {
    temp_root root;
    // A pid that was alive a moment ago and is reaped now.
    const pid_t dead = ::fork();
    if (dead == 0) ::_exit(0);
    REQUIRE(dead > 0);
    ::waitpid(dead, nullptr, 0);
    const fs::path base(root.path);
    const fs::path gone = base / ("headroom-exec-" + std::to_string(dead) + "-a1b2c3");
    const fs::path mine = base / ("headroom-exec-" + std::to_string(::getpid()) + "-d4e5f6");
    const fs::path running = base / "headroom-exec-1-g7h8i9";  // pid 1 always lives
    const fs::path other = base / "not-headroom";
    for (const fs::path& dir : {gone, mine, running, other}) fs::create_directories(dir / "sub");
    std::ofstream(gone / "sub" / "file") << "left by a killed run";
    CHECK(workdir_template(root.path).find("headroom-exec-" + std::to_string(::getpid()) + "-") !=
          std::string::npos);

    CHECK(remove_stale_workdirs(root.path) == 1);
    CHECK_FALSE(fs::exists(gone));
    CHECK(fs::exists(mine));
    CHECK(fs::exists(running));
    CHECK(fs::exists(other));
    CHECK(remove_stale_workdirs(root.path + "/missing") == 0);  // no such root: nothing, no throw
}
