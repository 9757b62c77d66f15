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
