// The few lines of Python that stand between the interpreter and the candidate code.
#pragma once

namespace headroom::sandbox::detail {

// Passed with `python -I -S -B -c`. It reads program + tests from fd 3 (a memfd the
// parent filled), runs them in a fresh namespace whose __name__ is not "__main__"
// (as the usual harness's exec() does), and reports how they ended as one byte on
// fd 4, then leaves with os._exit so threads and atexit hooks the program left
// behind cannot hang or change the exit:
//   'P' the tests ran to their end      'M' MemoryError escaped
//   'S' SystemExit before the end        'E' any other exception (traceback on stderr)
// No byte at all means the process died or left early (os._exit, a signal).
extern const char* const python_driver;

// The call protocol's driver (core/grading/calls.h has the framing). Reads the framed
// items from fd 3; mode "call" runs the candidate's program, then calls its entry point
// once per argument tuple (evaluated as a literal, away from the program's names);
// mode "eval" runs the tests' setup, then evaluates each expression. Each outcome goes
// to fd 4 as a record; the end is a D record and exit status 0. A program that fails
// to load gets its traceback on stderr and exit status 1. Nothing on this side is
// trusted: the candidate may rewrite any of it, and can only change its own answers.
extern const char* const records_driver;

enum class driver_mark : char { none = 0, passed = 'P', memory = 'M', exited = 'S', raised = 'E' };

} // namespace headroom::sandbox::detail
