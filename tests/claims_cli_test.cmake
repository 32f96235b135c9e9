# cmake -P script: `headroom claims` and `headroom decompose` on a shipped pack.
#   -D CLI=path/to/headroom -D PACK=precomputed/skeleton/study.pack
# claims: every claim decided (none left computing) with its test, the same verdicts in
# text and JSON; decompose: the noise-null simulations are an option and in the JSON.
foreach(var CLI PACK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "claims_cli_test.cmake: -D ${var}=... is required")
  endif()
endforeach()

include("${CMAKE_CURRENT_LIST_DIR}/cli_checks.cmake")

run(0 json claims "${PACK}" --json)
require_json_equal("${json_out}" skeleton study)
string(JSON count LENGTH "${json_out}" claims)
if(NOT count EQUAL 12)
  message(FATAL_ERROR "expected 12 claims, got ${count}")
endif()
run(0 text claims "${PACK}")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON verdict GET "${json_out}" claims ${i} verdict)
  string(JSON statement GET "${json_out}" claims ${i} claim)
  string(JSON test GET "${json_out}" claims ${i} test)
  if(verdict STREQUAL "computing" OR test STREQUAL "")
    message(FATAL_ERROR "claim '${statement}' left undecided or without its test")
  endif()
  # The text prints the row the JSON holds.
  string(JSON source GET "${json_out}" claims ${i} source)
  string(JSON here GET "${json_out}" claims ${i} here)
  require_contains("${text_out}" "[${source}] ${statement}\n" "claims text")
  require_contains("${text_out}" "  here:    ${here}\n  verdict: ${verdict}\n" "claims text")
endforeach()

run(0 noise decompose "${PACK}" --resamples 10 --noise-simulations 3 --json -)
require_json_equal("${noise_out}" 3 noise_simulations)
require_json_equal("${noise_out}" 10 resamples)
run(nonzero bad decompose "${PACK}" --noise-simulations -1)
