package io.spineflow.cli;

import io.spineflow.imaging.metaimage.ImageReport;
import io.spineflow.imaging.metaimage.MetaImageException;
import io.spineflow.imaging.metaimage.MetaImageReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./spineflow inspect FILE [--json]}: geometry and voxel statistics, or a clear error. */
@Command(
    name = "inspect",
    description =
        "Print a MetaImage file's size, spacing, origin, direction, element type, channels and"
            + " voxel count, min, max, sum.")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A .mha or .mhd file.")
  Path file;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(file)) {
      err.println("spineflow: inspect: " + file + ": no such file");
      return Spineflow.USAGE;
    }
    try {
      ImageReport report = ImageReport.of(new MetaImageReader().read(file));
      out.println(json ? report.toJson() : report.toText());
      return 0;
    } catch (MetaImageException e) {
      err.println("spineflow: inspect: " + file + ": " + e.reason() + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("spineflow: inspect: " + file + ": cannot read: " + e.getMessage());
      return 1;
    }
  }
}
