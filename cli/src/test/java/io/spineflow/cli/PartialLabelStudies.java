package io.spineflow.cli;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import io.spineflow.model.UNetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntPredicate;

/** Partially labelled phantom studies on disk, and an untrained stored model, for cli tests. */
public final class PartialLabelStudies {
  /** SPIDER label values of the discs (201+). */
  public static final IntPredicate DISCS = v -> v >= 200;

  /** SPIDER label values of the vertebrae (1-99). */
  public static final IntPredicate VERTEBRAE = v -> v >= 1 && v <= 99;

  private PartialLabelStudies() {}

  /**
   * Writes {@code dir/NAME.mha} and {@code dir/NAME.mask.mha}, the mask keeping only the label
   * values {@code keep} accepts (the others become 0: unlabelled).
   */
  public static void write(Path dir, String name, long seed, IntPredicate keep) throws Exception {
    Files.createDirectories(dir);
    PhantomStudy study =
        new PhantomGenerator().generate(PhantomSpec.of(Sequence.T2, seed).withSizeScale(0.5));
    double[] values = study.mask().toDoubles();
    for (int i = 0; i < values.length; i++) {
      if (!keep.test((int) values[i])) {
        values[i] = 0;
      }
    }
    Image mask = Image.fromDoubles(study.mask().geometry(), study.mask().type(), values);
    MetaImageWriter.write(
        study.image(), dir.resolve(name + ".mha"), MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(mask, dir.resolve(name + ".mask.mha"), MetaImageWriter.Compression.NONE);
  }

  /** A small untrained model saved under {@code root}; its version directory. */
  public static Path untrainedModel(Path root) throws Exception {
    UNetConfig config = UNetConfig.defaults().withWidths(4, 3, 16).withInputSize(64, 64);
    try (SegmentationModel model = SegmentationModel.untrained(config, Devices.best(), 1)) {
      StoredModel stored =
          new ModelStore(root).save("spine-unet", 1, model.djlModel().getBlock(), config, Map.of());
      return stored.directory();
    }
  }
}
