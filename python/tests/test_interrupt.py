"""Long computations release the GIL and stop on Ctrl-C with KeyboardInterrupt."""
import os
import signal
import threading
import time

import pytest

import momentum

# A computation of some seconds: the landscape of a 50-digit grid, checked for interrupts
# after each of its rows.
LONG = dict(method="heavy-ball", mu=1, L=100, grid=300, digits=50)


def test_ctrl_c_raises_keyboard_interrupt():
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            momentum.landscape(**LONG)
    finally:
        timer.cancel()
    # The package still works afterwards, and Python's own SIGINT handler is back.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert momentum.rate(method="gd", eta=0.1, eigenvalues=[1, 10])["converges"] is True


def test_the_gil_is_released_while_the_tool_runs():
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    t = threading.Thread(target=tick)
    t.start()
    try:
        start = time.monotonic()
        momentum.landscape(**dict(LONG, grid=60))
        end = time.monotonic()
    finally:
        done.set()
        t.join()
    # The other thread ran during the call (it could not, holding no GIL, if the call kept it).
    assert sum(start < x < end for x in ticks) >= 2


def test_calls_from_several_threads_are_serialized_and_right():
    cases = [dict(method="gd", eta=0.1, eigenvalues=[1, 10]),
             dict(method="heavy-ball", alpha="4/121", beta="81/121", mu=1, L=100, digits=30),
             dict(method="nesterov", alpha=0.05, beta=0.5, eigenvalues=[0.5, 2, 8], all=True)]
    expected = [momentum.rate(**c) for c in cases]
    errors = []

    def work(i):
        try:
            for _ in range(10):
                assert momentum.rate(**cases[i]) == expected[i]
        except Exception as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i % 3,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
