"""Descriptive statistics for plain Python sequences.

Everything here works on lists (or any sized iterable of numbers) and uses only the
standard library, so students can read every line of the computation.
"""

import math


def mean(data):
    """Arithmetic mean of a non-empty sequence."""
    if not data:
        raise ValueError("mean() requires at least one data point")
    return sum(data) / len(data)


def median(data):
    """Middle value of the sorted data (average of the two middle values for even n)."""
    if not data:
        raise ValueError("median() requires at least one data point")
    ordered = sorted(data)
    mid = len(ordered) // 2
    if len(ordered) % 2 == 1:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def variance(data, ddof=0):
    """Variance with `ddof` delta degrees of freedom.

    ddof=0 gives the population variance (divide by n); ddof=1 gives the unbiased
    sample variance (divide by n - 1, Bessel's correction).
    """
    n = len(data)
    if n - ddof <= 0:
        raise ValueError("not enough data points for ddof=%d" % ddof)
    m = mean(data)
    squared = sum((x - m) ** 2 for x in data)
    return squared / (n - ddof)


def pstdev(data):
    """Population standard deviation (the data IS the whole population)."""
    return math.sqrt(variance(data, ddof=0))


def stdev(data):
    """Sample standard deviation, matching statistics.stdev."""
    return math.sqrt(variance(data, ddof=1))


def mean_abs_deviation(data):
    """Average distance of each point from the mean."""
    m = mean(data)
    return sum(abs(x - m) for x in data) / len(data)


def median_abs_deviation(data, scale=1.0):
    """Median absolute deviation (MAD), a robust measure of spread.

    Pass scale=1.4826 to make the MAD a consistent estimator of the standard
    deviation for normally distributed data.
    """
    med = median(data)
    deviations = [abs(x - med) for x in data]
    return scale * median(deviations)


def zscores(data):
    """Standardize each point: how many sample standard deviations from the mean."""
    m = mean(data)
    sd = stdev(data)
    if sd == 0:
        # Constant data: every point sits exactly on the mean.
        return [0.0 for _ in data]
    return [(x - m) / sd for x in data]


def max_abs_zscore(data):
    """Largest |z| in the data; a quick outlier indicator."""
    return max(abs(z) for z in zscores(data))


class RunningStats:
    """Single-pass mean and variance using Welford's algorithm.

    Useful when the data does not fit in memory, or arrives one value at a time.
    """

    def __init__(self):
        self.n = 0
        self._mean = 0.0
        self._m2 = 0.0  # sum of squared distances from the current mean

    def push(self, x):
        self.n += 1
        delta = x - self._mean
        self._mean += delta / self.n
        self._m2 += delta * (x - self._mean)

    def extend(self, values):
        for x in values:
            self.push(x)
        return self

    @property
    def mean(self):
        if self.n == 0:
            raise ValueError("no data pushed yet")
        return self._mean

    def variance(self, ddof=1):
        if self.n - ddof <= 0:
            raise ValueError("not enough data points for ddof=%d" % ddof)
        return self._m2 / (self.n - ddof)

    def stdev(self, ddof=1):
        return math.sqrt(self.variance(ddof=ddof))
