// The sandbox tests' main: Catch2's own, compiled here once. (The core's suite has
// its own main; the two executables stay independent.)
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
