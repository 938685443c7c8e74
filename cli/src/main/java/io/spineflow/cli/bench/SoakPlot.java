package io.spineflow.cli.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The soak's samples as CSV files and as one PNG: RSS, lag, throughput and latency over time. */
final class SoakPlot {
  private static final double MIB = 1024.0 * 1024.0;
  private static final Color[] SERVICE_COLOURS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd)
  };
  private static final Color MASKS = new Color(0x333333);
  private static final Color STUDIES = new Color(0xd62728);
  private static final Color LATENCY = new Color(0x9467bd);

  private SoakPlot() {}

  /** One row per sample. */
  static void writeSamples(Path csv, List<String> services, List<SoakSampler.Sample> samples)
      throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      StringBuilder header =
          new StringBuilder(
              "seconds,studies_sent,studies_done,masks,masks_per_s,studies_per_s,latency_p50_ms");
      services.forEach(s -> header.append(",rss_mib_").append(s));
      services.forEach(s -> header.append(",lag_").append(s));
      services.forEach(s -> header.append(",offset_lag_").append(s));
      header.append(",all_alive");
      w.write(header.toString());
      w.newLine();
      for (SoakSampler.Sample s : samples) {
        StringBuilder row = new StringBuilder();
        row.append(
            String.format(
                Locale.ROOT,
                "%.3f,%d,%d,%d,%.2f,%.3f,%s",
                s.seconds(),
                s.sent(),
                s.done(),
                s.masks(),
                s.masksPerSecond(),
                s.studiesPerSecond(),
                Double.isNaN(s.latencyMillis())
                    ? ""
                    : String.format(Locale.ROOT, "%.1f", s.latencyMillis())));
        for (String service : services) {
          row.append(
              String.format(Locale.ROOT, ",%.1f", s.rssBytes().getOrDefault(service, 0L) / MIB));
        }
        for (String service : services) {
          row.append(',').append(s.lag().getOrDefault(service, 0L));
        }
        for (String service : services) {
          row.append(',').append(s.offsetLag().getOrDefault(service, 0L));
        }
        row.append(',').append(s.allAlive());
        w.write(row.toString());
        w.newLine();
      }
    }
  }

  /** One row per completed study: when it completed, its latencies. */
  static void writeStudies(Path csv, List<SoakTracker.Completed> studies, double startEpochSeconds)
      throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write("study_uid,completed_s,latency_ms,upload_to_last_mask_ms");
      w.newLine();
      for (SoakTracker.Completed c : studies) {
        w.write(
            String.format(
                Locale.ROOT,
                "%s,%.3f,%.1f,%.1f",
                c.studyUid(),
                epochSeconds(c) - startEpochSeconds,
                c.latencyMillis(),
                c.uploadMillis()));
        w.newLine();
      }
    }
  }

  private static double epochSeconds(SoakTracker.Completed c) {
    return c.at().getEpochSecond() + c.at().getNano() / 1e9;
  }

  /**
   * The PNG: four panels over the same time axis, a dashed line where warm-up ended.
   *
   * @param title first line of the chart's title
   * @param subtitles the headline numbers, one line each
   * @param warmupEndSeconds where warm-up ended (NaN: no line)
   */
  static void writePng(
      Path png,
      String title,
      List<String> subtitles,
      List<String> services,
      List<SoakSampler.Sample> samples,
      List<SoakTracker.Completed> studies,
      double startEpochSeconds,
      double warmupEndSeconds,
      int width,
      int height)
      throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    NumberAxis time = new NumberAxis("seconds since the first study was sent");
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
    plot.setGap(12);

    XYSeriesCollection rss = new XYSeriesCollection();
    XYSeriesCollection lag = new XYSeriesCollection();
    for (String service : services) {
      XYSeries r = new XYSeries(service);
      XYSeries l = new XYSeries(service);
      for (SoakSampler.Sample s : samples) {
        r.add(s.seconds(), s.rssBytes().getOrDefault(service, 0L) / MIB);
        l.add(s.seconds(), s.lag().getOrDefault(service, 0L));
      }
      rss.addSeries(r);
      lag.addSeries(l);
    }
    plot.add(panel(rss, "RSS (MiB)", lines(services.size(), null)), 3);
    plot.add(panel(lag, "consumer lag (records)", lines(services.size(), null)), 2);

    XYSeriesCollection masks = new XYSeriesCollection(smoothed(samples, "slices/s", true, 10));
    XYPlot throughput = panel(masks, "masks/s (10 s mean)", lines(1, MASKS));
    XYSeriesCollection done = new XYSeriesCollection(smoothed(samples, "studies/s", false, 10));
    NumberAxis studiesAxis = new NumberAxis("studies/s");
    studiesAxis.setAutoRangeIncludesZero(true);
    throughput.setRangeAxis(1, studiesAxis);
    throughput.setDataset(1, done);
    throughput.mapDatasetToRangeAxis(1, 1);
    throughput.setRenderer(1, lines(1, STUDIES));
    plot.add(throughput, 2);

    XYSeries latency = new XYSeries("study latency");
    for (SoakTracker.Completed c : studies) {
      latency.add(epochSeconds(c) - startEpochSeconds, c.latencyMillis() / 1000);
    }
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    dots.setSeriesPaint(0, LATENCY);
    dots.setSeriesShape(0, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
    plot.add(panel(new XYSeriesCollection(latency), "e2e latency (s)", dots), 2);

    if (!Double.isNaN(warmupEndSeconds)) {
      boolean first = true;
      for (Object sub : plot.getSubplots()) {
        ValueMarker marker =
            new ValueMarker(
                warmupEndSeconds,
                Color.GRAY,
                new BasicStroke(
                    1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4, 4}, 0));
        if (first) {
          marker.setLabel("warm-up end");
          marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
          marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
          marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
          first = false;
        }
        ((XYPlot) sub).addDomainMarker(marker);
      }
    }

    LegendItemCollection legend = new LegendItemCollection();
    for (int i = 0; i < services.size(); i++) {
      legend.add(line(services.get(i), colour(i)));
    }
    legend.add(line("masks/s", MASKS));
    legend.add(line("studies/s (right axis)", STUDIES));
    LegendItem dot =
        new LegendItem(
            "one study's latency (received -> last mask)",
            null,
            null,
            null,
            new Ellipse2D.Double(-3, -3, 6, 6),
            LATENCY);
    legend.add(dot);
    plot.setFixedLegendItems(legend);

    JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
    for (String line : subtitles) {
      chart.addSubtitle(new TextTitle(line, new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
    }
    chart.setBackgroundPaint(Color.WHITE);
    Files.createDirectories(png.toAbsolutePath().getParent());
    ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
  }

  private static XYPlot panel(
      XYSeriesCollection data, String label, XYLineAndShapeRenderer renderer) {
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, null, axis, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return plot;
  }

  private static XYLineAndShapeRenderer lines(int count, Color only) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < count; i++) {
      renderer.setSeriesPaint(i, only == null ? colour(i) : only);
      renderer.setSeriesStroke(i, new BasicStroke(1.6f));
    }
    return renderer;
  }

  private static Color colour(int i) {
    return SERVICE_COLOURS[i % SERVICE_COLOURS.length];
  }

  private static LegendItem line(String label, Paint paint) {
    Shape shape = new Line2D.Double(-7, 0, 7, 0);
    return new LegendItem(
        label,
        null,
        null,
        null,
        false,
        shape,
        false,
        paint,
        false,
        paint,
        new BasicStroke(2f),
        true,
        shape,
        new BasicStroke(2f),
        paint);
  }

  /** A rate from the cumulative counts, as a mean over the last {@code window} seconds. */
  private static XYSeries smoothed(
      List<SoakSampler.Sample> samples, String name, boolean masks, double window) {
    XYSeries series = new XYSeries(name);
    Deque<SoakSampler.Sample> recent = new ArrayDeque<>();
    for (SoakSampler.Sample s : samples) {
      recent.addLast(s);
      while (recent.size() > 1 && s.seconds() - recent.peekFirst().seconds() > window) {
        recent.removeFirst();
      }
      SoakSampler.Sample first = recent.peekFirst();
      double dt = s.seconds() - first.seconds();
      double count = masks ? s.masks() - first.masks() : s.done() - first.done();
      series.add(s.seconds(), dt > 0 ? count / dt : 0);
    }
    return series;
  }
}
