#!/usr/bin/env python3
"""bench/py/peak_rss.py CMD... - run CMD once and print its peak RSS in MB (ru_maxrss of the
child and everything it waited for)."""
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
print(f"{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.1f}")
