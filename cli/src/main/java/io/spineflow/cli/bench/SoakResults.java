package io.spineflow.cli.bench;

import static io.spineflow.cli.bench.SoakBench.RSS_GROWTH_TARGET;

import io.spineflow.cli.bench.SoakBench.Options;
import io.spineflow.cli.bench.SoakBench.Report;
import io.spineflow.cli.bench.SoakBench.ServiceMemory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A soak's samples and completed studies turned into its report: numbers, CSV files, the PNG. */
final class SoakResults {
  private static final double MIB = 1024.0 * 1024.0;

  private SoakResults() {}

  static Report report(
      Options o,
      Instant start,
      int warmupCount,
      List<SoakSampler.Sample> samples,
      List<SoakTracker.Completed> completed,
      SoakTracker tracker,
      int sent,
      String failure,
      List<String> services)
      throws IOException {
    double startEpoch = start.getEpochSecond() + start.getNano() / 1e9;
    double seconds =
        completed.isEmpty() ? Double.NaN : secondsSince(start, completed.get(completed.size() - 1));
    double warmupEnd =
        completed.size() >= warmupCount
            ? secondsSince(start, completed.get(warmupCount - 1))
            : Double.NaN;
    List<Double> latencies = completed.stream().map(SoakTracker.Completed::latencyMillis).toList();
    List<Double> steady =
        completed.subList(Math.min(warmupCount, completed.size()), completed.size()).stream()
            .map(SoakTracker.Completed::latencyMillis)
            .toList();
    List<Double> upload =
        completed.subList(Math.min(warmupCount, completed.size()), completed.size()).stream()
            .map(SoakTracker.Completed::uploadMillis)
            .filter(v -> !Double.isNaN(v))
            .toList();
    long masks = tracker.masks() - tracker.duplicateMasks();
    long masksAtWarmup =
        samples.stream()
            .filter(s -> s.seconds() >= warmupEnd)
            .findFirst()
            .map(SoakSampler.Sample::masks)
            .orElse(0L);
    double steadySeconds = seconds - warmupEnd;
    Map<String, Long> maxLag = new LinkedHashMap<>();
    Map<String, Long> endLag = new LinkedHashMap<>();
    Map<String, Long> endOffsetLag = new LinkedHashMap<>();
    for (SoakSampler.Sample s : samples) {
      s.lag().forEach((k, v) -> maxLag.merge(k, v, Math::max));
    }
    if (!samples.isEmpty()) {
      endLag.putAll(samples.get(samples.size() - 1).lag());
      endOffsetLag.putAll(samples.get(samples.size() - 1).offsetLag());
    }
    List<ServiceMemory> memory = new ArrayList<>();
    for (String service : services) {
      memory.add(memory(service, samples, warmupEnd));
    }
    Path samplesCsv = o.out().resolve("soak.csv");
    Path studiesCsv = o.out().resolve("soak-studies.csv");
    Path png = o.out().resolve("soak.png");
    SoakPlot.writeSamples(samplesCsv, services, samples);
    SoakPlot.writeStudies(studiesCsv, completed, startEpoch);
    Report report =
        new Report(
            o.studies(),
            sent,
            completed.size(),
            tracker.deadLetteredStudies(),
            tracker.slicesEmitted(),
            masks,
            tracker.duplicateMasks(),
            tracker.deadLetters(),
            seconds,
            completed.size() / seconds,
            masks / seconds,
            (completed.size() - warmupCount) / steadySeconds,
            (masks - masksAtWarmup) / steadySeconds,
            latencies,
            steady,
            upload,
            maxLag,
            endLag,
            endOffsetLag,
            memory,
            samples.size(),
            samplesCsv,
            studiesCsv,
            png,
            failure);
    SoakPlot.writePng(
        png,
        String.format(
            Locale.ROOT,
            "spineflow bench soak: %d studies, %d slices through ingest -> preprocess -> inference",
            report.studiesComplete(),
            report.masks()),
        subtitles(report),
        services,
        samples,
        completed,
        startEpoch,
        warmupEnd,
        1200,
        1100);
    return report;
  }

  private static List<String> subtitles(Report r) {
    StringBuilder rss = new StringBuilder();
    for (ServiceMemory m : r.memory()) {
      rss.append(
          String.format(
              Locale.ROOT,
              "%s%s %.0f -> %.0f MiB (%+.1f%%)",
              rss.length() == 0 ? "" : ", ",
              m.service(),
              m.warmupBytes() / MIB,
              m.endBytes() / MIB,
              100 * m.growth()));
    }
    return List.of(
        String.format(
            Locale.ROOT,
            "after warm-up %.2f studies/s, %.1f slices/s; end-to-end latency p50 %.2f s, p99 %.2f"
                + " s, max %.2f s; consumer lag at end %s records",
            r.steadyStudiesPerSecond(),
            r.steadySlicesPerSecond(),
            Percentiles.of(r.latencyMillis(), 50) / 1000,
            Percentiles.of(r.latencyMillis(), 99) / 1000,
            Percentiles.of(r.latencyMillis(), 100) / 1000,
            r.endLag().values()),
        String.format(
            Locale.ROOT,
            "RSS warm-up end -> end: %s (target <= +%.0f%%)",
            rss,
            100 * RSS_GROWTH_TARGET));
  }

  private static ServiceMemory memory(
      String service, List<SoakSampler.Sample> samples, double warmupEnd) {
    List<Long> known =
        samples.stream()
            .map(s -> s.rssBytes().getOrDefault(service, 0L))
            .filter(b -> b > 0)
            .toList();
    List<Double> atWarmup = new ArrayList<>();
    long peak = 0;
    for (SoakSampler.Sample s : samples) {
      long b = s.rssBytes().getOrDefault(service, 0L);
      if (b > 0 && s.seconds() <= warmupEnd && s.seconds() > warmupEnd - 5) {
        atWarmup.add((double) b);
      }
      if (s.seconds() >= warmupEnd) {
        peak = Math.max(peak, b);
      }
    }
    if (atWarmup.isEmpty()) {
      samples.stream()
          .filter(s -> s.seconds() >= warmupEnd)
          .findFirst()
          .ifPresent(s -> atWarmup.add((double) s.rssBytes().getOrDefault(service, 0L)));
    }
    List<Double> last =
        known.subList(Math.max(0, known.size() - 5), known.size()).stream()
            .map(Long::doubleValue)
            .toList();
    return new ServiceMemory(
        service,
        known.size(),
        known.stream().mapToLong(Long::longValue).min().orElse(0),
        atWarmup.isEmpty() ? 0 : Math.round(Percentiles.of(atWarmup, 50)),
        last.isEmpty() ? 0 : Math.round(Percentiles.of(last, 50)),
        peak);
  }

  static void print(PrintWriter out, Report r, Options o) {
    out.printf(
        Locale.ROOT,
        "%d of %d studies complete in %.1f s: %.2f studies/s, %.1f slices/s (after warm-up:"
            + " %.2f studies/s, %.1f slices/s)%n",
        r.studiesComplete(),
        r.studies(),
        r.seconds(),
        r.studiesPerSecond(),
        r.slicesPerSecond(),
        r.steadyStudiesPerSecond(),
        r.steadySlicesPerSecond());
    out.printf(
        Locale.ROOT,
        "slices emitted %d, masked %d, duplicated masks %d, dead letters %d%s%n",
        r.slicesEmitted(),
        r.masks(),
        r.duplicateMasks(),
        r.deadLetters(),
        r.allMasked() ? " (every slice of every study masked)" : " (INCOMPLETE)");
    out.printf(
        Locale.ROOT,
        "end-to-end latency (study received -> last mask), all %d studies: p50 %.0f ms, p95 %.0f"
            + " ms, p99 %.0f ms, max %.0f ms%n",
        r.latencyMillis().size(),
        Percentiles.of(r.latencyMillis(), 50),
        Percentiles.of(r.latencyMillis(), 95),
        Percentiles.of(r.latencyMillis(), 99),
        Percentiles.of(r.latencyMillis(), 100));
    out.printf(
        Locale.ROOT,
        "  after warm-up: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms; upload -> last mask: p50 %.0f"
            + " ms, p99 %.0f ms%n",
        Percentiles.of(r.steadyLatencyMillis(), 50),
        Percentiles.of(r.steadyLatencyMillis(), 95),
        Percentiles.of(r.steadyLatencyMillis(), 99),
        Percentiles.of(r.uploadLatencyMillis(), 50),
        Percentiles.of(r.uploadLatencyMillis(), 99));
    out.printf(
        Locale.ROOT,
        "consumer lag (records) max %s, at end %s: %s%n",
        r.maxLag(),
        r.endLag(),
        r.lagReturnedToZero() ? "back to 0" : "NOT back to 0");
    if (!r.endOffsetLag().equals(r.endLag())) {
      out.printf(
          Locale.ROOT,
          "  committed offsets behind the end at rest %s: transaction markers after the last"
              + " committed offset, no record left to read%n",
          r.endOffsetLag());
    }
    out.printf(
        Locale.ROOT,
        "RSS at warm-up end (%d studies) -> end, %d samples:%n",
        Math.max(1, (int) Math.ceil(o.warmupFraction() * o.studies())),
        r.samples());
    for (ServiceMemory m : r.memory()) {
      out.printf(
          Locale.ROOT,
          "  %-10s %6.1f MiB -> %6.1f MiB (peak %6.1f): %+5.1f%%, ratio %.3f (target <= %.2f)"
              + " %s%n",
          m.service(),
          m.warmupBytes() / MIB,
          m.endBytes() / MIB,
          m.peakBytes() / MIB,
          100 * m.growth(),
          1 + m.growth(),
          1 + RSS_GROWTH_TARGET,
          m.withinTarget() ? "PASS" : "FAIL");
    }
    if (r.failure() != null) {
      out.println("FAILED: " + r.failure());
    }
    out.printf(
        "samples %s, studies %s, plot %s, service logs %s%n",
        r.samplesCsv(), r.studiesCsv(), r.png(), o.out().resolve("logs"));
    out.flush();
  }

  private static double secondsSince(Instant start, SoakTracker.Completed c) {
    return Duration.between(start, c.at()).toNanos() / 1e9;
  }
}
