# cmake -P script: `headroom grade` killed mid-way resumes and ends with the same
# grades.jsonl as an uninterrupted run.
#   -D CLI=path/to/headroom -D WORK=scratch dir
# 1. a small P2 study with code tasks (so the sandbox runs programs), graded once
#    without interruption: the reference grades.jsonl.
# 2. a copy graded under SIGKILL after 1 s, 2 s, ... until a run finishes. Every killed
#    run must leave grades.jsonl as simulate wrote it (empty) and the journal
#    grades.jsonl.partial no shorter than before; one kill is made to cut a line
#    short. The finished run leaves the reference's bytes and no journal.
foreach(var CLI WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "grade_resume_test.cmake: -D ${var}=... is required")
  endif()
endforeach()
find_program(TIMEOUT timeout REQUIRED)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(reference "${WORK}/reference")
set(resumed "${WORK}/resumed")

execute_process(COMMAND "${CLI}" simulate --pool p2-artifacts --scale 0.03 --seed 7 --out "${reference}"
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "simulate failed (${rc}): ${err}")
endif()
file(COPY "${reference}/" DESTINATION "${resumed}")

execute_process(COMMAND "${CLI}" grade "${reference}" RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "uninterrupted grade failed (${rc}): ${err}")
endif()
if(EXISTS "${reference}/grades.jsonl.partial")
  message(FATAL_ERROR "a finished grade left its journal behind")
endif()
file(SHA256 "${reference}/grades.jsonl" expected)

set(journal "${resumed}/grades.jsonl.partial")
set(kills 0)
set(journal_size 0)
set(torn OFF)
foreach(seconds RANGE 1 120)
  execute_process(COMMAND "${TIMEOUT}" -s KILL ${seconds} "${CLI}" grade "${resumed}"
    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(rc EQUAL 0)
    break()
  endif()
  # Killed: timeout exits 137, or CMake reports the signal ("Subprocess killed").
  if(NOT rc EQUAL 137 AND NOT rc MATCHES "killed")
    message(FATAL_ERROR "grade after ${kills} kills exited ${rc}, not by the kill: ${err}")
  endif()
  math(EXPR kills "${kills} + 1")
  file(SIZE "${resumed}/grades.jsonl" size)
  if(NOT size EQUAL 0)
    message(FATAL_ERROR "a killed grade wrote grades.jsonl (${size} bytes); it must only be replaced at the end")
  endif()
  if(EXISTS "${journal}")
    file(SIZE "${journal}" size)
    if(size LESS journal_size)
      message(FATAL_ERROR "the journal shrank from ${journal_size} to ${size} bytes: recorded verdicts were lost")
    endif()
    set(journal_size ${size})
    # As a kill in the middle of a write would: half a record at the end.
    if(NOT torn AND size GREATER 0)
      file(APPEND "${journal}" "{\"generation\":\"p2-")
      set(torn ON)
    endif()
  endif()
endforeach()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "grade never finished under repeated kills")
endif()
if(kills EQUAL 0 OR NOT torn)
  message(FATAL_ERROR "grade finished before any verdict was recorded (${kills} kills): nothing was resumed")
endif()
if(EXISTS "${journal}")
  message(FATAL_ERROR "the resumed grade left its journal behind")
endif()
file(SHA256 "${resumed}/grades.jsonl" actual)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "grades.jsonl after ${kills} kills differs from the uninterrupted run's")
endif()
file(REMOVE_RECURSE "${WORK}")
message(STATUS "grade: killed ${kills} times, resumed each time, same grades.jsonl as without interruption")
