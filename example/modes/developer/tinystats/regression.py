"""Simple (one-feature) linear regression and correlation, by least squares."""

import math

from .descriptive import mean


def _check_paired(xs, ys):
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length (%d != %d)" % (len(xs), len(ys)))
    if len(xs) < 2:
        raise ValueError("need at least two points")


def covariance(xs, ys, ddof=1):
    """Sample covariance of two paired sequences (ddof=1 by default)."""
    _check_paired(xs, ys)
    mx, my = mean(xs), mean(ys)
    total = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    return total / (len(xs) - ddof)


def correlation(xs, ys):
    """Pearson correlation coefficient r, always in [-1, 1]."""
    _check_paired(xs, ys)
    mx, my = mean(xs), mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        raise ValueError("correlation is undefined when one variable is constant")
    return sxy / math.sqrt(sxx * syy)


def rmse(actual, predicted):
    """Root mean squared error between two paired sequences."""
    _check_paired(actual, predicted)
    mse = sum((a - p) ** 2 for a, p in zip(actual, predicted)) / len(actual)
    return math.sqrt(mse)


class NotFittedError(RuntimeError):
    """Raised when predict/score is called before fit."""


class LinearRegression:
    """Ordinary least squares fit of y = intercept + slope * x."""

    def __init__(self):
        self.slope = None
        self.intercept = None

    def fit(self, xs, ys):
        _check_paired(xs, ys)
        x_mean, y_mean = mean(xs), mean(ys)
        sxy = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys))
        sxx = sum((x - x_mean) ** 2 for x in xs)
        if sxx == 0:
            raise ValueError("cannot fit a line: all x values are equal")
        self.slope = sxy / sxx
        # The least-squares line always passes through the point of means.
        self.intercept = y_mean - self.slope * x_mean
        return self

    def _check_fitted(self):
        if self.slope is None:
            raise NotFittedError("call fit() before using the model")

    def predict_one(self, x):
        self._check_fitted()
        return self.intercept + self.slope * x

    def predict(self, xs):
        return [self.predict_one(x) for x in xs]

    def residuals(self, xs, ys):
        return [y - y_hat for y, y_hat in zip(ys, self.predict(xs))]

    def score(self, xs, ys):
        """Coefficient of determination R^2 on (xs, ys)."""
        y_bar = mean(ys)
        ss_res = sum(r ** 2 for r in self.residuals(xs, ys))
        ss_tot = sum((y - y_bar) ** 2 for y in ys)
        if ss_tot == 0:
            return 1.0 if ss_res == 0 else 0.0
        return 1.0 - ss_res / ss_tot

    def standard_error(self, xs, ys):
        """Residual standard error, sqrt(SSE / (n - 2))."""
        sse = sum(r ** 2 for r in self.residuals(xs, ys))
        return math.sqrt(sse / (len(xs) - 2))
