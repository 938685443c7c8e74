package io.spineflow.cli;

import ai.djl.inference.Predictor;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.metrics.EvaluationTable;
import io.spineflow.imaging.metrics.PixelSpacing;
import io.spineflow.imaging.metrics.SegmentationMetrics;
import io.spineflow.model.Devices;
import io.spineflow.model.DjlEngine;
import io.spineflow.model.ModelStore;
import io.spineflow.model.Segmentation;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import io.spineflow.model.StoredModel;
import io.spineflow.preprocess.PreprocessConfig;
import io.spineflow.preprocess.slicing.SagittalSlice;
import io.spineflow.preprocess.slicing.SagittalSlicer;
import io.spineflow.preprocess.slicing.SlicedStudy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./spineflow evaluate --model DIR --data DIR}: the papers' table (per class and per
 * sequence: Dice, IoU, precision, recall, F1, ASD, NSD, HD95) for a stored model on labelled
 * studies, preprocessed exactly as the pipeline does.
 */
@Command(
    name = "evaluate",
    description =
        "Evaluate a stored model on labelled studies: the papers' table, as Markdown and JSON.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      required = true,
      description = "A model version directory (weights.params, architecture.json).")
  Path modelDir;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      required = true,
      description =
          "Labelled studies: images/NAME.mha + masks/NAME.mha (SPIDER), or NAME.mha + NAME.mask.mha.")
  Path dataDir;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      defaultValue = "evaluation.json",
      description = "Where to write the table as JSON (default: ${DEFAULT-VALUE}).")
  Path json;

  @Option(
      names = "--nsd-tolerance-mm",
      defaultValue = "2.0",
      description = "NSD tolerance in mm (default: ${DEFAULT-VALUE}).")
  double nsdTolerance;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Path[]> studies = studies(dataDir);
    if (studies.isEmpty()) {
      throw new io.spineflow.platform.ConfigException(
          "--data", dataDir + " holds no labelled .mha studies");
    }
    DjlEngine.ensureStarted();
    StoredModel stored = ModelStore.inspect(modelDir);
    MetaImageReader reader = new MetaImageReader();
    SegmentationMetrics metrics = new SegmentationMetrics(nsdTolerance);
    EvaluationTable table = new EvaluationTable();
    SagittalSlicer slicer =
        PreprocessConfig.defaults(Files.createTempDirectory("spineflow-evaluate"))
            .withSliceSize(stored.config().inputWidth(), stored.config().inputHeight())
            .slicer();
    int slices = 0;
    try (SegmentationModel model =
            ModelStore.load(modelDir, stored.sha256(), stored.config(), Devices.best());
        Predictor<SliceInput, Segmentation> predictor = model.newPredictor()) {
      for (Path[] study : studies) {
        String sequence = sequenceOf(study[0]);
        SlicedStudy sliced =
            slicer.slice(reader.read(study[0]).image(), reader.read(study[1]).image());
        List<SagittalSlice> kept = sliced.slices();
        for (int i = 0; i < kept.size(); i += 8) {
          List<SagittalSlice> chunk = kept.subList(i, Math.min(kept.size(), i + 8));
          List<SliceInput> inputs = new ArrayList<>();
          chunk.forEach(s -> inputs.add(new SliceInput(s.pixels(), s.width(), s.height())));
          List<Segmentation> predicted = predictor.batchPredict(inputs);
          for (int j = 0; j < chunk.size(); j++) {
            SagittalSlice s = chunk.get(j);
            table.addAll(
                sequence,
                metrics.evaluate(
                    predicted.get(j).classes(),
                    s.label(),
                    s.width(),
                    s.height(),
                    PixelSpacing.isotropic(s.pixelSpacing()),
                    true));
          }
        }
        slices += kept.size();
        out.printf(Locale.ROOT, "  %s: %d slices%n", study[0].getFileName(), kept.size());
      }
    }
    out.printf(
        Locale.ROOT,
        "%n%s v%d on %d studies, %d slices (NSD tolerance %.1f mm)%n%n",
        stored.name(),
        stored.version(),
        studies.size(),
        slices,
        nsdTolerance);
    out.println(table.toMarkdown());
    Files.writeString(json, table.toJson(), StandardCharsets.UTF_8);
    out.println("JSON: " + json.toAbsolutePath());
    return 0;
  }

  /** (image, mask) pairs in SPIDER's layout or the flat one; images without a mask are skipped. */
  static List<Path[]> studies(Path dir) throws IOException {
    List<Path[]> pairs = new ArrayList<>();
    Path images = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
    try (Stream<Path> files = Files.list(images)) {
      for (Path image : files.sorted().toList()) {
        String name = image.getFileName().toString();
        if (!name.endsWith(".mha") || name.endsWith(".mask.mha")) {
          continue;
        }
        Path mask =
            images.equals(dir)
                ? dir.resolve(name.substring(0, name.length() - 4) + ".mask.mha")
                : dir.resolve("masks").resolve(name);
        if (Files.isRegularFile(mask)) {
          pairs.add(new Path[] {image, mask});
        }
      }
    }
    return pairs;
  }

  /** SPIDER names end in _t1, _t2 or _t2_SPACE. */
  static String sequenceOf(Path image) {
    String stem = image.getFileName().toString().replaceAll("(\\.mask)?\\.mha$", "");
    for (Sequence s : Sequence.values()) {
      if (stem.toLowerCase(Locale.ROOT).endsWith("_" + s.suffix().toLowerCase(Locale.ROOT))) {
        return s.name();
      }
    }
    return "UNKNOWN";
  }
}
