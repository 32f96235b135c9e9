# cmake -P script: runs two commands and fails unless both succeed and print exactly
# the same bytes on stdout. Commands are given as '|'-separated argument lists.
#   -D EXPECTED_CMD=prog|arg|...  -D ACTUAL_CMD=prog|arg|...
#   -D EXPECTED_NAME=... -D ACTUAL_NAME=... -D OUT_DIR=dir (both outputs kept there)
foreach(var EXPECTED_CMD ACTUAL_CMD EXPECTED_NAME ACTUAL_NAME OUT_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "compare_outputs.cmake: -D ${var}=... is required")
  endif()
endforeach()
string(REPLACE "|" ";" expected_cmd "${EXPECTED_CMD}")
string(REPLACE "|" ";" actual_cmd "${ACTUAL_CMD}")

foreach(side expected actual)
  list(GET ${side}_cmd 0 program)
  string(TOUPPER "${side}" SIDE)
  if(NOT EXISTS "${program}")
    message(FATAL_ERROR "compare_outputs: ${${SIDE}_NAME}: '${program}' does not exist. "
      "For the native/WASM parity test, build the native preset first (ci/build native) "
      "or point -DHEADROOM_NATIVE_CLI at a native headroom binary.")
  endif()
endforeach()

file(MAKE_DIRECTORY "${OUT_DIR}")
set(expected_file "${OUT_DIR}/${EXPECTED_NAME}.out")
set(actual_file "${OUT_DIR}/${ACTUAL_NAME}.out")
execute_process(COMMAND ${expected_cmd} OUTPUT_FILE "${expected_file}" ERROR_VARIABLE expected_err
  RESULT_VARIABLE expected_rc)
execute_process(COMMAND ${actual_cmd} OUTPUT_FILE "${actual_file}" ERROR_VARIABLE actual_err
  RESULT_VARIABLE actual_rc)
if(NOT expected_rc EQUAL 0)
  message(FATAL_ERROR "${EXPECTED_NAME} failed (${expected_rc}): ${expected_cmd}\n${expected_err}")
endif()
if(NOT actual_rc EQUAL 0)
  message(FATAL_ERROR "${ACTUAL_NAME} failed (${actual_rc}): ${actual_cmd}\n${actual_err}")
endif()
file(SIZE "${expected_file}" expected_size)
file(SIZE "${actual_file}" actual_size)
if(expected_size EQUAL 0)
  message(FATAL_ERROR "${EXPECTED_NAME} printed nothing")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${expected_file}" "${actual_file}" RESULT_VARIABLE same)
if(NOT same EQUAL 0)
  find_program(diff_program diff)
  set(shown "")
  if(diff_program)
    execute_process(COMMAND ${diff_program} -u "${expected_file}" "${actual_file}" OUTPUT_VARIABLE shown)
    string(SUBSTRING "${shown}" 0 4000 shown)
  endif()
  message(FATAL_ERROR "${ACTUAL_NAME} output (${actual_size} bytes) differs from ${EXPECTED_NAME} "
    "(${expected_size} bytes); both kept in ${OUT_DIR}\n${shown}")
endif()
message(STATUS "${ACTUAL_NAME} and ${EXPECTED_NAME} printed the same ${actual_size} bytes")
