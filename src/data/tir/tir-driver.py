# Runs the python blocks of one TIR response, in order, in one shared namespace (like a notebook), under resource
# limits set before any of them runs; prints one JSON line: each block's captured stdout and whether it raised.
# Read from stdin: {"blocks": [...], "memory_mb": N, "cpu_seconds": N}. Started by run-tir-code.ts with -I (isolated).
import contextlib, io, json, resource, sys, traceback

request = json.loads(sys.stdin.read())
limit = request["memory_mb"] * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
resource.setrlimit(resource.RLIMIT_CPU, (request["cpu_seconds"], request["cpu_seconds"] + 1))
resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
real_stdout = sys.stdout
namespace = {"__name__": "__main__"}
results = []
for code in request["blocks"]:
    buffer = io.StringIO()
    error = None
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            exec(compile(code, "<tir>", "exec"), namespace)
    except MemoryError:
        error = "MemoryError"
    except BaseException as exc:  # the model's code may raise anything, SystemExit included
        error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    results.append({"stdout": buffer.getvalue(), "error": error})
    if error == "MemoryError":
        break
real_stdout.write(json.dumps({"results": results}) + "\n")
real_stdout.flush()
