# cmake -P script: `headroom route` and `headroom routers` end to end on a shipped pack.
#   -D CLI=path/to/headroom -D PACK=precomputed/skeleton/study.pack
# 1. route: JSON shape, P1's policy in both forms, split sizes, k-fold covering every
#    query, a different training protocol; the text table.
# 2. routers: every router, each policy with its label-noise cost, whatever --threads.
# 3. bad options: exit non-zero and name the bad value on stderr, nothing on stdout.
foreach(var CLI PACK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "route_cli_test.cmake: -D ${var}=... is required")
  endif()
endforeach()

include("${CMAKE_CURRENT_LIST_DIR}/cli_checks.cmake")

# --- 1. route ----------------------------------------------------------------------
run(0 route route "${PACK}" --router best-single --policy argmax --json)
require_json_equal("${route_out}" best-single evaluation router)
require_json_equal("${route_out}" argmax evaluation policies 0 policy)
require_json_equal("${route_out}" argmax@p1-code evaluation policies 1 policy)
# The skeleton: two benchmarks of 200 queries; 30% of each is 60.
require_json_equal("${route_out}" 120 evaluation test_queries)
require_json_equal("${route_out}" 1.0 evaluation policies 0 overall top_share)
string(JSON protocol GET "${route_out}" test_protocol)
require_contains("${protocol}" "extractor=lenient" "route's default test protocol")
string(JSON sweep LENGTH "${route_out}" evaluation sweep)
if(sweep LESS 10)
  message(FATAL_ERROR "expected the lambda and tau sweep, got ${sweep} points")
endif()

run(0 folds route "${PACK}" --router oracle --policy cost=0.5 --folds 4 --json)
require_json_equal("${folds_out}" 400 evaluation test_queries)
require_json_equal("${folds_out}" cost=0.5 evaluation policies 0 policy)
require_json_equal("${folds_out}" 4 split folds)

run(0 naive route "${PACK}" --router best-single --train-protocol naive --json)
string(JSON train GET "${naive_out}" train_protocol)
require_contains("${train}" "extractor=strict" "--train-protocol naive")

run(0 text route "${PACK}" --router cheapest --policy sorted-pred)
require_contains("${text_out}" "APGR" "route's table")
require_contains("${text_out}" "sorted-pred@p1-code" "route's table")

# --- 2. routers --------------------------------------------------------------------
run(0 routers routers "${PACK}" --json)
string(JSON n_routers LENGTH "${routers_out}" routers)
if(NOT n_routers EQUAL 11)
  message(FATAL_ERROR "expected 11 routers, got ${n_routers}")
endif()
require_json_equal("${routers_out}" oracle routers 3 router)
string(JSON noise GET "${routers_out}" routers 1 policies 0 label_noise_cost)
if(noise STREQUAL "")
  message(FATAL_ERROR "the routers table has no label-noise cost")
endif()
# Side by side or in turn, the same table to the last digit.
run(0 routers_in_turn routers "${PACK}" --json --threads 1)
run(0 routers_threaded routers "${PACK}" --json --threads 3)
if(NOT routers_in_turn_out STREQUAL routers_out OR NOT routers_threaded_out STREQUAL routers_out)
  message(FATAL_ERROR "the routers table depends on --threads")
endif()
# A feature build that fails fails every job that needs it, with its reason, side by
# side too (a failed build once left the next job waiting on it for ever).
run(nonzero no_embeddings routers "${PACK}" --features embeddings --threads 3)
require_contains("${no_embeddings_err}" "no query embeddings" "routers on embeddings the study lacks")
run(0 routers_text routers "${PACK}")
require_contains("${routers_text_out}" "noise cost" "routers table")
require_contains("${routers_text_out}" "== knn" "routers table")

# --- 3. bad options ----------------------------------------------------------------
run(nonzero bad_router route "${PACK}" --router nosuch)
require_contains("${bad_router_err}" "nosuch" "an unknown router")
run(nonzero bad_policy route "${PACK}" --router oracle --policy threshold=x)
require_contains("${bad_policy_err}" "threshold=x" "a bad policy")
run(nonzero bad_protocol route "${PACK}" --router oracle --protocol "budget=7")
require_contains("${bad_protocol_err}" "budget" "a budget the study lacks")
run(nonzero bad_features routers "${PACK}" --features words)
require_contains("${bad_features_err}" "words" "unknown features")
foreach(name bad_router bad_policy bad_protocol bad_features)
  if(NOT "${${name}_out}" STREQUAL "")
    message(FATAL_ERROR "a failed command printed to stdout:\n${${name}_out}")
  endif()
endforeach()
message(STATUS "CLI: route and routers behave")
