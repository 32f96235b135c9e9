# Helpers the CLI's cmake -P tests share (include() it after defining CLI).

# run(<expected exit code|nonzero> <name> args...): runs the CLI, keeps stdout/stderr
# in ${name}_out / ${name}_err, and fails unless the exit code is the expected one.
function(run expected name)
  execute_process(COMMAND "${CLI}" ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(expected STREQUAL "nonzero" AND rc MATCHES "^[0-9]+$" AND NOT rc EQUAL 0)
    set(expected "${rc}")
  endif()
  if(NOT "${rc}" STREQUAL "${expected}")
    message(FATAL_ERROR "headroom ${ARGN}: exit code ${rc}, expected ${expected}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(${name}_out "${out}" PARENT_SCOPE)
  set(${name}_err "${err}" PARENT_SCOPE)
endfunction()

function(require_contains haystack needle what)
  string(FIND "${haystack}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: expected to find '${needle}' in:\n${haystack}")
  endif()
endfunction()

# require_json_equal(<json> <expected> path...): the value at the path equals <expected>.
function(require_json_equal json expected)
  string(JSON value GET "${json}" ${ARGN})
  if(NOT "${value}" STREQUAL "${expected}")
    message(FATAL_ERROR "JSON at '${ARGN}' is '${value}', expected '${expected}'")
  endif()
endfunction()
