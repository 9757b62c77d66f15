# A bridge for worker tests: slow calls to kill the worker in, and a call that takes Python down.
import os
import time


def sleep_then_echo(seconds, text):
    time.sleep(seconds)
    return text


def worker_pid():
    return str(os.getpid())


def exit_now(code):
    os._exit(code)


def say_and_raise(text):
    print("engine debug output that must not corrupt the frames")
    raise ValueError(text)


def spin():
    while True:
        try:
            while True:
                pass
        except BaseException:  # not even a timeout stops it
            pass


def start_sleeper_then_exit(seconds, code):
    # The sleeper inherits stderr and outlives the worker.
    import subprocess

    subprocess.Popen(["sleep", str(seconds)])
    os._exit(code)
