package io.spineflow.dashboard;

import io.spineflow.imaging.metrics.DriftVerdict;

/**
 * One label-free signal's drift verdict, as stored and shown (NaN while data is insufficient).
 *
 * @param status INSUFFICIENT_DATA, STABLE (neither test fired), WATCH (one of PSI and KS fired) or
 *     DRIFTED (both did)
 * @param drifted both tests fired: the PSI exceeds its threshold (the shift is large) and the KS
 *     test rejects (it is not chance). Either alone fires too often on the correlated slices of a
 *     few studies.
 */
public record SignalVerdict(
    String signal,
    String status,
    double psi,
    double ksStatistic,
    double ksPValue,
    boolean drifted) {

  static SignalVerdict of(DriftVerdict v) {
    boolean both = v.psiExceeded() && v.ksRejected();
    String status =
        v.status() == DriftVerdict.Status.INSUFFICIENT_DATA
            ? v.status().name()
            : both ? "DRIFTED" : v.psiExceeded() || v.ksRejected() ? "WATCH" : "STABLE";
    return new SignalVerdict(v.signal(), status, v.psi(), v.ksStatistic(), v.ksPValue(), both);
  }
}
