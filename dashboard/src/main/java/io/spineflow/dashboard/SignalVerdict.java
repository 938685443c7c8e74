package io.spineflow.dashboard;

import io.spineflow.imaging.metrics.DriftVerdict;
import io.spineflow.imaging.metrics.KsResult;

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
    return of(v, v.ksStatistic(), v.ksPValue(), v.ksRejected());
  }

  /**
   * The verdict with the KS test {@code perStudy} taken over the studies' mean values instead of
   * the slices: the slices of one study are nearly copies of each other, so a KS p-value over
   * slices claims dozens of times the evidence there is, and real studies, which differ far more
   * from each other than phantoms do, then drift on every evaluation (bench drift). PSI stays over
   * the slices: it measures how large the shift is, not how sure.
   */
  static SignalVerdict of(DriftVerdict v, KsResult perStudy, double alpha) {
    if (v.status() == DriftVerdict.Status.INSUFFICIENT_DATA || perStudy == null) {
      return of(v);
    }
    return of(v, perStudy.statistic(), perStudy.pValue(), perStudy.pValue() < alpha);
  }

  private static SignalVerdict of(
      DriftVerdict v, double ksStatistic, double ksPValue, boolean ksRejected) {
    boolean both = v.psiExceeded() && ksRejected;
    String status =
        v.status() == DriftVerdict.Status.INSUFFICIENT_DATA
            ? v.status().name()
            : both ? "DRIFTED" : v.psiExceeded() || ksRejected ? "WATCH" : "STABLE";
    return new SignalVerdict(v.signal(), status, v.psi(), ksStatistic, ksPValue, both);
  }
}
