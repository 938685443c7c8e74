package io.spineflow.cli;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow phantom}: synthetic SPIDER-like labelled studies (image + mask), deterministic
 * by seed.
 */
@Command(
    name = "phantom",
    description = "Write synthetic SPIDER-like labelled studies (deterministic by seed).")
final class PhantomCommand implements Callable<Integer> {
  enum Layout {
    spider,
    flat
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "3",
      description = "Studies to write (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "First seed; study i uses S+i (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory.")
  Path out;

  @Option(
      names = "--sequence",
      paramLabel = "T1|T2|T2_SPACE",
      description = "Only this sequence (default: T1, T2, T2_SPACE in turn).")
  Sequence sequence;

  @Option(
      names = "--shift",
      description = "Distribution-shifted studies (drift alerts must notice them).")
  boolean shift;

  @Option(
      names = "--randomised",
      description =
          "Randomised studies (SynthSeg-style): random contrast per tissue, random resolution,"
              + " motion, ghosting, bias and noise, wider anatomy. Not with --shift.")
  boolean randomised;

  @Option(
      names = "--size-scale",
      paramLabel = "F",
      defaultValue = "1.0",
      description =
          "Resolution factor: 0.5 gives quarter-size studies (default: ${DEFAULT-VALUE}).")
  double sizeScale;

  @Option(
      names = "--layout",
      paramLabel = "spider|flat",
      defaultValue = "spider",
      description =
          "spider: images/NAME.mha + masks/NAME.mha (SPIDER's layout); flat: NAME.mha +"
              + " NAME.mask.mha (ingest's watched folder). Default: ${DEFAULT-VALUE}.")
  Layout layout;

  @Override
  public Integer call() throws IOException {
    if (count < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--count must be >= 1, got " + count);
    }
    if (shift && randomised) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--shift and --randomised cannot be combined");
    }
    PrintWriter console = spec.commandLine().getOut();
    PhantomGenerator generator = new PhantomGenerator();
    Sequence[] cycle = sequence == null ? Sequence.values() : new Sequence[] {sequence};
    for (int i = 0; i < count; i++) {
      PhantomSpec phantom =
          PhantomSpec.of(cycle[i % cycle.length], seed + i)
              .withShift(shift)
              .withRandomised(randomised)
              .withSizeScale(sizeScale);
      PhantomStudy study = generator.generate(phantom);
      Path image;
      Path mask;
      if (layout == Layout.spider) {
        image = out.resolve("images").resolve(phantom.fileStem() + ".mha");
        mask = out.resolve("masks").resolve(phantom.fileStem() + ".mha");
      } else {
        image = out.resolve(phantom.fileStem() + ".mha");
        mask = out.resolve(phantom.fileStem() + ".mask.mha");
      }
      Files.createDirectories(image.getParent());
      Files.createDirectories(mask.getParent());
      MetaImageWriter.write(study.image(), image, MetaImageWriter.Compression.ZLIB);
      MetaImageWriter.write(study.mask(), mask, MetaImageWriter.Compression.ZLIB);
      console.printf("%s  %s  %s%n", phantom.studyId(), image, mask);
    }
    return 0;
  }
}
