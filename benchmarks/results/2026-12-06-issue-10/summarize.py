"""Median, minimum and maximum of each ReceivePathBenchmark figure, per configuration.

Usage: python3 summarize.py [directory]  (reports named <configuration>-<run>.txt or .log; default: this directory)
"""
import glob
import os
import re
import statistics
import sys

FIGURES = {
    'ratio': r'end-to-end / raw\s+: ([0-9.]+)',
    'cores': r'per JVM core-second: end-to-end [0-9,]+ / raw [0-9,]+ = ([0-9.]+)',
    'undist': r'undisturbed rounds : \d of 4; over them: end-to-end [0-9,]+ / raw [0-9,]+ = ([0-9.]+)',
    'e2e': r'end-to-end\s+: ([0-9,]+) notifications/s',
    'raw': r'raw decrypt\s+: ([0-9,]+) items/s',
    'p50': r'p50 ([0-9.]+) ms',
    'p99': r'p99 ([0-9.]+) ms',
    'cpu_e2e': r'\[end-to-end\][\s\S]*?CPU per item\s+: (\d+) us',
    'cpu_raw': r'\[raw decrypt\][\s\S]*?CPU per item\s+: (\d+) us',
}

directory = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
runs = {}
for path in sorted(glob.glob(os.path.join(directory, '*.txt')) + glob.glob(os.path.join(directory, '*.log'))):
    name = os.path.splitext(os.path.basename(path))[0]
    if '-' not in name or name == 'summary':
        continue
    configuration = name.rsplit('-', 1)[0]
    text = open(path).read()
    figures = {}
    for figure, pattern in FIGURES.items():
        match = re.search(pattern, text)
        if match:
            figures[figure] = float(match.group(1).replace(',', ''))
    runs.setdefault(configuration, []).append(figures)

for configuration in sorted(runs):
    print(configuration)
    for figure in FIGURES:
        values = [r[figure] for r in runs[configuration] if figure in r]
        if values:
            print('  %-8s median %g  min %g  max %g  (n=%d)' % (figure, statistics.median(values), min(values),
                                                              max(values), len(values)))
