# cmake -P script: `headroom grade` killed mid-way resumes and ends with the same
# grades.jsonl as an uninterrupted run.
#   -D CLI=path/to/headroom -D WORK=scratch dir
# 1. a small P2 study with code tasks (so the sandbox runs programs), graded once
#    without interruption: the reference grades.jsonl.
# 2. a copy graded under SIGKILL, each run killed as soon as its journal
#    grades.jsonl.partial has grown past a random point (0 to 999 bytes beyond what
#    the last run left; seeded, so a failure reproduces), 10 times, then once to the
#    end. Each verdict is journaled as its run ends, so any point falls inside some
#    run's work. Every killed run must leave
#    grades.jsonl as simulate wrote it (empty) and the journal no shorter than before;
#    one kill is made to cut a line short. The finished run leaves the reference's
#    bytes and no journal.
# 3. (below) grade with too few open files: sandbox_error grades, a warning, status 3.
foreach(var CLI WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "grade_resume_test.cmake: -D ${var}=... is required")
  endif()
endforeach()
find_program(BASH bash REQUIRED)

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(reference "${WORK}/reference")
set(resumed "${WORK}/resumed")

execute_process(COMMAND "${CLI}" simulate --pool p2-artifacts --scale 0.05 --seed 7 --out "${reference}"
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
# Runs grade in the background and kills it with SIGKILL once the journal is longer
# than $3 bytes; exits with grade's status (137 when killed).
set(kill_on_growth [=[
"$1" grade "$2" >/dev/null 2>"$2/grade.err" & pid=$!
while kill -0 $pid 2>/dev/null; do
  size=$(stat -c %s "$2/grades.jsonl.partial" 2>/dev/null || echo 0)
  if [ "$size" -gt "$3" ]; then kill -KILL $pid; fi
  sleep 0.02
done
wait $pid; rc=$?; cat "$2/grade.err" >&2; rm -f "$2/grade.err"; exit $rc
]=])
foreach(attempt RANGE 1 11)
  string(RANDOM LENGTH 3 ALPHABET 0123456789 RANDOM_SEED ${attempt}018 offset)
  math(EXPR kill_point "${journal_size} + ${offset}")
  if(attempt EQUAL 11)
    set(kill_point 999999999999)  # enough kill points: the last run goes to its end
  endif()
  execute_process(COMMAND "${BASH}" -c "${kill_on_growth}" kill_on_growth "${CLI}" "${resumed}" ${kill_point}
    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(rc EQUAL 0)
    break()
  endif()
  if(NOT rc EQUAL 137)
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
if(kills LESS 10 OR NOT torn)
  message(FATAL_ERROR "grade finished after only ${kills} kills: fewer than the 10 kill points this test needs")
endif()
if(EXISTS "${journal}")
  message(FATAL_ERROR "the resumed grade left its journal behind")
endif()
file(SHA256 "${resumed}/grades.jsonl" actual)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "grades.jsonl after ${kills} kills differs from the uninterrupted run's")
endif()

# 3. sandbox_error is the machine's failure: with too few open files for a sandbox's
#    pipes, grade still writes every grade, says how many runs failed so, and exits 3.
set(starved "${WORK}/starved")
file(COPY "${reference}/" DESTINATION "${starved}")
file(WRITE "${starved}/grades.jsonl" "")
execute_process(COMMAND "${BASH}" -c "ulimit -n 16; exec \"$0\" grade \"$1\"" "${CLI}" "${starved}"
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 3 OR NOT err MATCHES "ended in sandbox_error" OR NOT err MATCHES "too many sandbox errors")
  message(FATAL_ERROR "grade with no descriptors to spare exited ${rc}, not 3 with a warning: ${err}")
endif()
file(READ "${starved}/grades.jsonl" starved_grades)
if(NOT starved_grades MATCHES "\"sandbox_error\"")
  message(FATAL_ERROR "grade with no descriptors to spare wrote no sandbox_error grades")
endif()

file(REMOVE_RECURSE "${WORK}")
message(STATUS "grade: killed ${kills} times, resumed each time, same grades.jsonl as without interruption")
