# cmake -P script: the native CLI end to end, in a scratch directory.
#   -D CLI=path/to/headroom -D FIXTURE=tests/core/fixtures/tiny -D WORK=scratch dir
# 1. simulate -> grade -> pack -> report --json, each exiting 0 and leaving its files;
#    the report of the directory and of its pack are the same bytes.
# 2. the hand-written fixture: report refuses it until graded, then reports it.
# 3. a bad study: report exits 2 and names file:line and field on stderr.
foreach(var CLI FIXTURE WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "cli_test.cmake: -D ${var}=... is required")
  endif()
endforeach()
if(NOT EXISTS "${CLI}")
  message(FATAL_ERROR "headroom CLI not found at ${CLI}")
endif()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

include("${CMAKE_CURRENT_LIST_DIR}/cli_checks.cmake")

# --- 1. the pipeline -------------------------------------------------------------
set(study "${WORK}/sim")
run(0 simulate simulate --pool skeleton --seed 5 --out "${study}")
foreach(table study.json benchmarks.jsonl queries.jsonl models.jsonl generations.jsonl grades.jsonl)
  if(NOT EXISTS "${study}/${table}")
    message(FATAL_ERROR "simulate did not write ${table}")
  endif()
endforeach()
file(SIZE "${study}/grades.jsonl" size)
if(NOT size EQUAL 0)
  message(FATAL_ERROR "simulate wrote grades (${size} bytes); grading is a separate step")
endif()

run(0 grade grade "${study}")
file(SIZE "${study}/grades.jsonl" size)
if(size EQUAL 0)
  message(FATAL_ERROR "grade left grades.jsonl empty")
endif()
file(STRINGS "${study}/generations.jsonl" generation_lines)
file(STRINGS "${study}/grades.jsonl" grade_lines)
list(LENGTH generation_lines generations)
list(LENGTH grade_lines grades)
math(EXPR expected_grades "2 * ${generations}")
if(NOT generations EQUAL 16000 OR NOT grades EQUAL expected_grades)
  message(FATAL_ERROR "expected 16000 generations and a strict and a lenient grade for each; got ${generations} and ${grades}")
endif()

run(0 pack pack "${study}" --out "${WORK}/sim.pack")
if(NOT EXISTS "${WORK}/sim.pack" OR EXISTS "${WORK}/sim.pack.tmp")
  message(FATAL_ERROR "pack did not leave exactly sim.pack behind")
endif()

run(0 report_pack report "${WORK}/sim.pack" --json)
run(0 report_dir report "${study}" --json)
if(NOT report_pack_out STREQUAL report_dir_out)
  message(FATAL_ERROR "report --json differs between the study directory and its pack")
endif()
require_json_equal("${report_pack_out}" skeleton study)
string(JSON protocols LENGTH "${report_pack_out}" protocols)
if(NOT protocols EQUAL 2)
  message(FATAL_ERROR "expected the naive and corrected protocols, got ${protocols}")
endif()
require_json_equal("${report_pack_out}" naive protocols 0 name)
require_json_equal("${report_pack_out}" corrected protocols 1 name)
require_json_equal("${report_pack_out}"
  "budget=160 extractor=strict judges=single grounding=off aggregate=maj@5 ties=first_seen" protocols 0 protocol)
require_json_equal("${report_pack_out}"
  "budget=1024 extractor=lenient judges=dual grounding=on aggregate=maj@5 ties=first_seen" protocols 1 protocol)
require_json_equal("${report_pack_out}" all protocols 0 sections 0 benchmark)
require_json_equal("${report_pack_out}" 400 protocols 0 sections 0 queries)
require_json_equal("${report_pack_out}" 200 protocols 1 sections 2 queries)

# The text report and an extra protocol.
run(0 report_text report "${WORK}/sim.pack" --protocol "budget=1024 aggregate=pass@5")
require_contains("${report_text_out}" "== naive protocol" "text report")
require_contains("${report_text_out}" "aggregate=pass@5" "text report with --protocol")
run(nonzero bad_protocol report "${WORK}/sim.pack" --protocol "budget=1024 aggregate=sometimes")
require_contains("${bad_protocol_err}" "aggregate=sometimes" "bad --protocol message")

# --- 2. the hand-written fixture -------------------------------------------------
file(COPY "${FIXTURE}/" DESTINATION "${WORK}/tiny")
run(1 ungraded report "${WORK}/tiny" --json)
require_contains("${ungraded_err}" "no 'strict' grades" "report on an ungraded study")
run(0 grade_tiny grade "${WORK}/tiny")
run(0 report_tiny report "${WORK}/tiny" --json)
require_json_equal("${report_tiny_out}" tiny study)
require_json_equal("${report_tiny_out}" m-small protocols 0 sections 0 best_model)
require_json_equal("${report_tiny_out}" m-mid protocols 1 sections 0 best_model)
# A strict and a lenient grade per generation (24 of them).
file(STRINGS "${WORK}/tiny/grades.jsonl" tiny_grades REGEX "\"grader\":\"(strict|lenient)\"")
list(LENGTH tiny_grades tiny_grade_count)
if(NOT tiny_grade_count EQUAL 48)
  message(FATAL_ERROR "expected 48 extraction grades in the graded fixture, got ${tiny_grade_count}")
endif()

# --- 3. bad studies ---------------------------------------------------------------
file(COPY "${FIXTURE}/" DESTINATION "${WORK}/bad")
set(generations "${WORK}/bad/generations.jsonl")
file(READ "${generations}" text)
set(needle "\"id\":\"q2.mid.b64\",\"query\":\"q2\",\"model\":\"m-mid\"")
string(FIND "${text}" "${needle}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "fixture changed: '${needle}' not found")
endif()
string(SUBSTRING "${text}" 0 ${at} before)
string(REGEX MATCHALL "\n" newlines "${before}")
list(LENGTH newlines line)
math(EXPR line "${line} + 1")
string(REPLACE "${needle}" "\"id\":\"q2.mid.b64\",\"query\":\"q2\",\"model\":\"m-huge\"" text "${text}")
file(WRITE "${generations}" "${text}")
run(2 bad report "${WORK}/bad" --json)
require_contains("${bad_err}" "generations.jsonl:${line}: field 'model'" "error for an unknown model id")
require_contains("${bad_err}" "m-huge" "error for an unknown model id")
if(NOT bad_out STREQUAL "")
  message(FATAL_ERROR "a failed report printed to stdout:\n${bad_out}")
endif()

file(WRITE "${WORK}/garbage.pack" "PK\u0003\u0004 this is a zip file, not a pack")
run(2 garbage report "${WORK}/garbage.pack")
require_contains("${garbage_err}" "garbage.pack" "error for a foreign file")
require_contains("${garbage_err}" "HDRMPACK" "error for a foreign file")

run(2 missing report "${WORK}/no-such-study")
require_contains("${missing_err}" "no-such-study" "error for a missing study")

file(REMOVE_RECURSE "${WORK}")
message(STATUS "CLI: simulate, grade, pack, report and their errors behave")
