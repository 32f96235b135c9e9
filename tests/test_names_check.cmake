# cmake -P script: no Catch2 test name holds a ';'. CTest reads the names
# catch_discover_tests gives it as a list, so "a; b" becomes two tests, "a" and " b",
# whose filters match no test case: both pass and the test itself never runs.
#   -D SOURCE_ROOT=the repository
if(NOT DEFINED SOURCE_ROOT)
  message(FATAL_ERROR "test_names_check.cmake: -D SOURCE_ROOT=... is required")
endif()
file(GLOB_RECURSE sources "${SOURCE_ROOT}/tests/*.cpp")
set(bad "")
foreach(source ${sources})
  file(STRINGS "${source}" lines REGEX "TEST_CASE\\(\"[^\"]*;")
  foreach(line ${lines})
    string(APPEND bad "\n  ${source}: ${line}")
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "test names with ';' (CTest splits them and runs neither half):${bad}")
endif()
list(LENGTH sources count)
message(STATUS "test names: ${count} test sources, no name holds a ';'")
