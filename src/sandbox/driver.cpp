#include "sandbox/driver.h"

namespace headroom::sandbox::detail {

// Only os and sys (both loaded at startup anyway): every import here costs each run.
// Tracebacks skip the driver's own frame (tb_next) so they start in the candidate.
// The os functions are bound before the candidate runs, so a program that blanks
// os.write or os._exit cannot break the report.
const char* const python_driver = R"PY(
import os, sys
def _headroom_driver(read=os.read, write=os.write, close=os.close, leave=os._exit,
                     stdout=sys.stdout, stderr=sys.stderr, hook=sys.__excepthook__):
    chunks = []
    while True:
        chunk = read(3, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    close(3)
    mark = b"E"
    try:
        code = compile(b"".join(chunks), "<candidate>", "exec", dont_inherit=True)
        del chunks
        exec(code, {"__name__": "__candidate__", "__builtins__": __builtins__})
        mark = b"P"
    except MemoryError as error:
        mark = b"M"
        try:
            hook(type(error), error, error.__traceback__.tb_next)
        except BaseException:
            pass
    except SystemExit as stop:
        mark = b"S"
        try:
            stderr.write("SystemExit(%r) raised before the tests finished\n" % (stop.code,))
        except BaseException:
            pass
    except BaseException as error:
        try:
            hook(type(error), error, error.__traceback__.tb_next)
        except BaseException:
            pass
    for stream in (stdout, stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    try:
        write(4, mark)
    except BaseException:
        pass
    leave(0 if mark == b"P" else 1)
_headroom_driver()
)PY";

} // namespace headroom::sandbox::detail
