"""Double buffering: a producer thread builds batch i+1 (token tensors, pinned on CUDA) while batch i runs, and the
result of batch i is copied back while batch i+1 runs. A queue of depth 2 bounds how far the producer runs ahead
(back-pressure, not an unbounded queue). CPU runs the same code with pinning off and no events.
"""
import queue
import threading

import torch

_END = object()


class _Failed:
    def __init__(self, ex):
        self.ex = ex


def prefetched(items, build, depth=2):
    """Yields build(item) for each item in order; build runs in a producer thread at most `depth` items ahead.
    An exception in build is raised here, at the item where it happened; leaving the loop early stops the producer."""
    q = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(x):
        while not stop.is_set():
            try:
                q.put(x, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            for it in items:
                if not put(build(it)):
                    return
        except BaseException as ex:  # noqa: BLE001 - handed to the consumer, which raises it
            put(_Failed(ex))
            return
        put(_END)

    t = threading.Thread(target=produce, daemon=True, name="pack-producer")
    t.start()
    try:
        while True:
            x = q.get()
            if x is _END:
                return
            if isinstance(x, _Failed):
                raise x.ex
            yield x
    finally:
        stop.set()
        t.join()


def run_overlapped(items, build, compute, finish, device, depth=2):
    """for each item: compute(build(item)) -> a device tensor; finish(item, host_tensor) gets it back on the CPU.
    On CUDA the copy back is non-blocking into pinned memory and finish(i) runs after compute(i+1) is queued, so the
    GPU always has the next batch before the host waits for the previous one."""
    cuda = torch.device(device).type == "cuda"
    pending = None
    for item, built in prefetched(items, lambda it: (it, build(it)), depth):
        out = compute(built)
        if cuda:
            host = torch.empty(out.shape, dtype=out.dtype, pin_memory=True)
            host.copy_(out, non_blocking=True)
            ev = torch.cuda.Event()
            ev.record(torch.cuda.current_stream(out.device))  # this replica's device, whatever the thread's default
        else:
            host, ev = out, None
        if pending is not None:
            _finish(pending, finish)
        pending = (item, host, ev)
    if pending is not None:
        _finish(pending, finish)


def _finish(pending, finish):
    item, host, ev = pending
    if ev is not None:
        ev.synchronize()
    finish(item, host)
