package io.spineflow.cli;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.levels.LabelScheme;
import io.spineflow.imaging.levels.LevelAnalyzer;
import io.spineflow.imaging.levels.LevelReport;
import io.spineflow.imaging.metaimage.MetaImageException;
import io.spineflow.imaging.metaimage.MetaImageReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow measure LABELS [--scheme spider|merged] [--csv FILE]}: the per-level analysis
 * (imaging's {@link LevelAnalyzer}) of a label volume on disk, for a researcher with manual labels
 * or a segmentation written by another tool: levels numbered from L5/S1 up, disc and body heights,
 * the canal's diameter, and every flag, as a CSV table.
 */
@Command(
    name = "measure",
    description =
        "Per-level measurements of a lumbar label volume (.mha/.mhd): discs and vertebral bodies"
            + " numbered from L5/S1 upwards, disc heights (anterior, middle, posterior), body"
            + " heights, spinal canal AP diameter at each disc, with the slice each came from and"
            + " flags for an implausible level count or order; CSV on standard output or to --csv.")
final class MeasureCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "LABELS", description = "A label volume (.mha or .mhd).")
  Path file;

  @Option(
      names = "--scheme",
      defaultValue = "spider",
      description =
          "How label values map to structures: spider (1-99 and 101-199 vertebrae, 100 canal,"
              + " 200-299 discs; SPIDER masks) or merged (1 vertebrae, 2 canal, 3 discs: the"
              + " model's classes). Default: ${DEFAULT-VALUE}.")
  String scheme;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write the table here instead.")
  Path csv;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LabelScheme labelScheme;
    try {
      labelScheme = LabelScheme.valueOf(scheme.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      err.println("spineflow: measure: --scheme must be spider or merged, not " + scheme);
      return Spineflow.USAGE;
    }
    if (!Files.isRegularFile(file)) {
      err.println("spineflow: measure: " + file + ": no such file");
      return Spineflow.USAGE;
    }
    Image labels;
    try {
      labels = new MetaImageReader().read(file).image();
    } catch (MetaImageException e) {
      err.println("spineflow: measure: " + file + ": " + e.reason() + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("spineflow: measure: " + file + ": cannot read: " + e.getMessage());
      return 1;
    }
    if (labels.geometry().dimensions() != 3) {
      err.println("spineflow: measure: " + file + ": a 3D label volume is needed");
      return 1;
    }
    LevelReport report;
    try {
      report = LevelAnalyzer.report(labels, labelScheme);
    } catch (IllegalArgumentException e) {
      err.println("spineflow: measure: " + file + ": " + e.getMessage());
      return 1;
    }
    return print(report, out, err);
  }

  private int print(LevelReport report, PrintWriter out, PrintWriter err) {
    String summary =
        String.format(
            Locale.ROOT,
            "%s: %d discs, %d vertebral bodies found on slice %d across axis %d%s",
            file.getFileName(),
            report.discsFound(),
            report.bodiesFound(),
            report.sliceIndex(),
            report.sagittalAxis(),
            report.flags().isEmpty() ? "" : "; flags: " + String.join(" | ", report.flags()));
    if (csv == null) {
      out.print(report.toCsv());
      err.println(summary);
      return 0;
    }
    try {
      Files.writeString(csv, report.toCsv(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println("spineflow: measure: --csv " + csv + ": cannot write: " + e.getMessage());
      return 1;
    }
    out.println(summary);
    out.println("wrote " + csv);
    return 0;
  }
}
