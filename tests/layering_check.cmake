# The core's layering (docs/DEVELOPING.md), checked on every `#include "..."` of
# src/core: a folder includes its own headers and those of the folders it builds on,
# never a higher one, and the core never includes the app, the CLI or the native
# services. Fails naming each file and include that breaks the rule.
#
#   cmake -D SOURCE_ROOT=<repository> -P tests/layering_check.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_ROOT)
  message(FATAL_ERROR "layering_check: pass -D SOURCE_ROOT=<repository root>")
endif()

# What each folder of src/core may include besides itself. The order: base < study <
# io, grading < labels < stats < features < routing < analysis; sim builds on base and
# study alone (it makes its study through study/builder.h, as every producer does);
# chart is a leaf (plot geometry, none of the core) that routing and analysis may use.
set(allowed_base)
set(allowed_study base)
set(allowed_io base study)
set(allowed_grading base study)
set(allowed_labels base study io grading)
set(allowed_stats ${allowed_labels} labels)
set(allowed_features ${allowed_stats} stats)
set(allowed_routing ${allowed_features} features chart)
set(allowed_analysis ${allowed_routing} routing)
set(allowed_sim base study)
set(allowed_chart)
set(folders base study io grading labels stats features routing analysis sim chart)

set(outside app cli sandbox sample client serve)
file(GLOB_RECURSE sources RELATIVE ${SOURCE_ROOT}/src/core
     ${SOURCE_ROOT}/src/core/*.h ${SOURCE_ROOT}/src/core/*.cpp)
list(SORT sources)
set(violations "")
set(checked 0)
foreach(file IN LISTS sources)
  string(REGEX MATCH "^[^/]+" folder "${file}")
  if(NOT folder IN_LIST folders)
    string(APPEND violations "\n  src/core/${file}: folder '${folder}' has no place in the layering (add it)")
    continue()
  endif()
  file(STRINGS ${SOURCE_ROOT}/src/core/${file} includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line IN LISTS includes)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]*)\".*" "\\1" target "${line}")
    math(EXPR checked "${checked} + 1")
    string(REGEX MATCH "^[^/]+" top "${target}")
    if(top IN_LIST outside)
      string(APPEND violations "\n  src/core/${file}: #include \"${target}\" (the core never includes src/${top})")
      continue()
    endif()
    if(NOT top STREQUAL "core")
      string(APPEND violations "\n  src/core/${file}: #include \"${target}\" (includes are rooted at src/: \"core/<folder>/...\")")
      continue()
    endif()
    string(REGEX REPLACE "^core/([^/]+)/.*" "\\1" to "${target}")
    if(to STREQUAL folder OR to IN_LIST allowed_${folder})
      continue()
    endif()
    string(APPEND violations "\n  src/core/${file}: #include \"${target}\" (${folder} may include only: ${folder} ${allowed_${folder}})")
  endforeach()
endforeach()

if(violations)
  message(FATAL_ERROR "the core's layering is broken (docs/DEVELOPING.md):${violations}")
endif()
list(LENGTH sources files)
message(STATUS "layering: ${checked} includes in ${files} files of src/core follow the rule")
