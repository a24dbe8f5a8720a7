"""Leaves a detached grandchild that holds the grader's pipes and never exits."""

import os
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            time.sleep(1)
    os._exit(0)


def refusal_metrics(scores, labels, threshold):
    raise NotImplementedError


def best_threshold(scores, labels, candidates):
    raise NotImplementedError
