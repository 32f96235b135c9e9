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

// repr() runs the candidate's code (a __repr__) and may raise or print; both stay
// inside the case; a MemoryError ends the run as the in-process driver's does. An
// exception's record is "<innermost candidate line>\n<Type: message>". Text leaves as UTF-8 with backslash escapes for lone surrogates.
const char* const records_driver = R"PY(
import os, sys
def _headroom_records(read=os.read, write=os.write, close=os.close, leave=os._exit,
                      stdout=sys.stdout, stderr=sys.stderr, hook=sys.__excepthook__,
                      repr=repr, type=type, str=str, isinstance=isinstance, eval=eval,
                      callable=callable, MemoryError=MemoryError, BaseException=BaseException):
    chunks = []
    while True:
        chunk = read(3, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    close(3)
    data = b"".join(chunks)
    del chunks
    items, at = [], 0
    while at < len(data):
        newline = data.index(b"\n", at)
        size = int(data[at:newline])
        items.append(data[newline + 1:newline + 1 + size])
        at = newline + 1 + size
    del data
    def emit(kind, text):
        payload = text.encode("utf-8", "backslashreplace")
        out = kind + b"%d\n" % len(payload) + payload
        while out:
            out = out[write(4, out):]
    def flush():
        for stream in (stdout, stderr):
            try:
                stream.flush()
            except BaseException:
                pass
    def outcome(error):
        # As a traceback's last line reads, with the innermost line of the candidate.
        line, frame = 0, error.__traceback__
        while frame is not None:
            if frame.tb_frame.f_code.co_filename == "<candidate>":
                line = frame.tb_lineno
            frame = frame.tb_next
        try:
            kind = type(error)
            name = kind.__qualname__
            if kind.__module__ not in ("builtins", "__main__"):
                name = "%s.%s" % (kind.__module__, name)
            text = str(error)
            text = "%s: %s" % (name, text) if text else name
        except BaseException:
            text = "an exception whose text cannot be read"
        return b"E", "%d\n%s" % (line, text[-2000:])
    mode, code, entry = items[0], items[1], items[2].decode()
    names = {"__name__": "__candidate__", "__builtins__": __builtins__}
    try:
        exec(compile(code, "<candidate>", "exec", dont_inherit=True), names)
    except BaseException as error:
        try:
            hook(type(error), error, error.__traceback__.tb_next)
        except BaseException:
            pass
        flush()
        leave(1)
    function = names.get(entry) if mode == b"call" else None
    if mode == b"call" and not callable(function):
        try:
            stderr.write("NameError: the program defines no function %s\n" % entry)
        except BaseException:
            pass
        flush()
        leave(1)
    literals = {"__builtins__": {}, "set": set, "frozenset": frozenset,
                "inf": float("inf"), "nan": float("nan")}
    for item in items[3:]:
        try:
            if mode == b"call":
                value = function(*eval(item.decode(), literals))
            else:
                value = eval(compile(item, "<tests>", "eval", dont_inherit=True), names)
            kind, text = b"R", repr(value)
            if type(text) is not str:
                raise TypeError("__repr__ returned a non-string")
        except MemoryError as error:
            # The sandbox's verdict, as for any run that ran out of memory.
            try:
                hook(type(error), error, error.__traceback__.tb_next)
            except BaseException:
                pass
            flush()
            leave(1)
        except BaseException as error:
            kind, text = outcome(error)
        flush()
        emit(kind, text)
    emit(b"D", "")
    flush()
    leave(0)
_headroom_records()
)PY";

} // namespace headroom::sandbox::detail
