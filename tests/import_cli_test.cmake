# `headroom import` end to end, one run per format: the study it writes is read back by
# `report`; a bad row's error names the file, line and field; and --out over an existing
# study is refused with the study left as it was.
# -D CLI=headroom -D FIXTURES=tests/core/fixtures/import -D SHARED=../shared/fixtures -D WORK=dir
include(${CMAKE_CURRENT_LIST_DIR}/cli_checks.cmake)
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# report --json of a study: how many models and queries it reads.
function(check_report dir models queries)
  run(0 report report "${dir}" --json ${ARGN})
  string(JSON got_models LENGTH "${report_out}" models)
  if(NOT got_models EQUAL models)
    message(FATAL_ERROR "report of ${dir}: ${got_models} models, expected ${models}")
  endif()
  require_json_equal("${report_out}" "${queries}" protocols 0 sections 0 queries)
  set(report_out "${report_out}" PARENT_SCOPE)
endfunction()

# wide-csv: an empty cell is a missing outcome.
file(WRITE "${WORK}/table.csv" "sample_id,prompt,eval_name,a,b\nq1,One?,arc,1,0\nq2,Two?,arc,,1\n")
run(0 wide import "${WORK}/table.csv" --out "${WORK}/wide")
require_contains("${wide_err}" "1 missing outcomes" "wide-csv import summary")
check_report("${WORK}/wide" 2 2)

# long: one file per model, joined by query; an empty score is missing.
file(WRITE "${WORK}/long-a.csv" "query_id,model,score\nq1,a,1\nq2,a,\n")
file(WRITE "${WORK}/long-b.jsonl" "{\"query_id\": \"q1\", \"model\": \"b\", \"score\": 0}\n{\"query_id\": \"q2\", \"model\": \"b\", \"score\": 1}\n")
run(0 long import "${WORK}/long-a.csv" "${WORK}/long-b.jsonl" --out "${WORK}/long")
require_contains("${long_err}" "2 queries, 2 models, 4 generations, 1 missing outcomes" "long import summary")
check_report("${WORK}/long" 2 2)
require_json_equal("${report_out}" "1.0" protocols 0 sections 0 model_accuracy a)
require_json_equal("${report_out}" "0.5" protocols 0 sections 0 model_accuracy b)

# lm-eval: a --log_samples folder of two models; the two filters are two graders.
run(0 lm import "${FIXTURES}/lm-eval" --out "${WORK}/lm")
require_contains("${lm_err}" "2 models, 8 generations" "lm-eval import summary")
# On GSM8K (section 1) the fixture's logs score strict-match 1/3 and 2/3, flexible-extract 2/3 and 3/3.
check_report("${WORK}/lm" 2 5 --protocol "budget=256 grader=source:lm-eval/strict-match")
require_json_equal("${report_out}" "gsm8k" protocols 2 sections 1 benchmark)
require_json_equal("${report_out}" "0.33333333333333331" protocols 2 sections 1 model_accuracy Qwen/Qwen2-7B)
require_json_equal("${report_out}" "0.66666666666666663" protocols 2 sections 1 model_accuracy meta-llama/Llama-3.1-8B-Instruct)
check_report("${WORK}/lm" 2 5 --protocol "budget=256 grader=source:lm-eval/flexible-extract")
require_json_equal("${report_out}" "0.66666666666666663" protocols 2 sections 1 model_accuracy Qwen/Qwen2-7B)
require_json_equal("${report_out}" "1.0" protocols 2 sections 1 model_accuracy meta-llama/Llama-3.1-8B-Instruct)

# inspect: a log written here in inspect_ai's .json shape, and the real logs where present.
file(WRITE "${WORK}/inspect.json" [=[{"version": 2, "status": "success",
 "eval": {"task": "t", "model": "openai/m", "model_generate_config": {"max_tokens": 8}},
 "samples": [{"id": 1, "epoch": 1, "input": "2+2?", "target": "4",
   "output": {"choices": [{"message": {"content": "4"}, "stop_reason": "stop"}]}, "scores": {"match": {"value": "C"}}},
  {"id": 1, "epoch": 2, "input": "2+2?", "target": "4",
   "output": {"choices": [{"message": {"content": "The answer"}, "stop_reason": "max_tokens"}]}, "scores": {"match": {"value": "I"}}}]}
]=])
run(0 inspect import "${WORK}/inspect.json" --out "${WORK}/inspect")
require_contains("${inspect_err}" "1 models, 2 generations" "inspect import summary")
# Two epochs, one right: the mean over samples is 0.5.
check_report("${WORK}/inspect" 1 1 --protocol "grader=source:match aggregate=mean")
require_json_equal("${report_out}" "0.5" protocols 2 sections 0 model_accuracy openai/m)
if(EXISTS "${SHARED}/inspect-logs")
  run(0 inspect_real import "${SHARED}/inspect-logs" --out "${WORK}/inspect-real")
  require_contains("${inspect_real_err}" "imported 6 files" "inspect import of the shared logs")
  check_report("${WORK}/inspect-real" 3 4)
else()
  message(STATUS "skipped the real inspect_ai logs: ${SHARED}/inspect-logs is absent (CI has them)")
endif()

# Batch files: output joined to input by custom_id; a failed request is counted, not kept.
run(0 openai import "${FIXTURES}/batch/openai_input.jsonl" "${FIXTURES}/batch/openai_output.jsonl"
    --custom-id "{query}-{model}" --out "${WORK}/openai")
require_contains("${openai_err}" "1 requests without a generation (openai-batch: batch_expired)" "openai-batch summary")
require_contains("${openai_err}" "2 models, 5 generations" "openai-batch import summary")
run(0 anthropic import "${FIXTURES}/batch/anthropic_requests.jsonl" "${FIXTURES}/batch/anthropic_results.jsonl"
    --out "${WORK}/anthropic")
require_contains("${anthropic_err}" "errored overloaded_error" "anthropic-batch summary")
run(nonzero unjoined import "${FIXTURES}/batch/openai_output.jsonl" --out "${WORK}/unjoined")
require_contains("${unjoined_err}" "openai_output.jsonl:1: field 'custom_id'" "an output without its input")
if(EXISTS "${WORK}/unjoined/study.json")
  message(FATAL_ERROR "a failed import wrote a study")
endif()

# Bad input: the file, line and field.
file(WRITE "${WORK}/bad.csv" "sample_id,prompt,a\nq1,One?,1\nq2,Two?,yes\n")
run(nonzero bad import "${WORK}/bad.csv" --out "${WORK}/bad")
require_contains("${bad_err}" "bad.csv:3: field 'a': must be a number or empty" "a bad score cell")
file(WRITE "${WORK}/samples_t_2024-01-01T00-00-00.jsonl" "{\"doc_id\": 0}\n")
run(nonzero bad_lm import "${WORK}/samples_t_2024-01-01T00-00-00.jsonl" --format lm-eval --out "${WORK}/bad-lm")
require_contains("${bad_lm_err}" "samples_t_2024-01-01T00-00-00.jsonl:1: field 'arguments'" "a bad lm-eval line")
file(WRITE "${WORK}/notes.txt" "nothing to import\n")
run(nonzero unknown import "${WORK}/notes.txt" --out "${WORK}/unknown")
require_contains("${unknown_err}" "no format recognises this file" "an unrecognised file")
require_contains("${unknown_err}" "anthropic-batch" "the list of formats")

# An existing study is never replaced.
file(SHA256 "${WORK}/lm/grades.jsonl" before)
run(nonzero again import "${WORK}/table.csv" --out "${WORK}/lm")
require_contains("${again_err}" "already holds a study" "--out over a study")
file(SHA256 "${WORK}/lm/grades.jsonl" after)
if(NOT before STREQUAL after)
  message(FATAL_ERROR "a refused import changed the study already there")
endif()
