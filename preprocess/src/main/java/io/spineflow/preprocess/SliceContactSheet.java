package io.spineflow.preprocess;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.imaging.render.ContactSheet;
import io.spineflow.imaging.render.Slice2D;
import io.spineflow.imaging.render.SliceExtractor;
import io.spineflow.imaging.render.SliceRenderer;
import io.spineflow.preprocess.slicing.SagittalSlice;
import io.spineflow.preprocess.slicing.SagittalSlicer;
import io.spineflow.preprocess.slicing.SlicedStudy;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A picture of what preprocessing does, for the README: one row per sequence, first the middle
 * sagittal slice of the phantom file exactly as its array is stored (each phantom has its own
 * random layout, so it may be rotated or mirrored), then slices the preprocessing emits, with the
 * merged labels overlaid. Every emitted slice should show superior up and anterior on the left.
 *
 * <p>{@code java ... io.spineflow.preprocess.SliceContactSheet [out.png]} (default {@code
 * docs/preprocess-slices.png}).
 */
public final class SliceContactSheet {
  /** Emitted slices shown per study. */
  static final int SLICES_PER_STUDY = 4;

  private SliceContactSheet() {}

  /**
   * Renders the sheet for phantoms of each sequence from {@code seed} ({@code seed + ordinal}).
   *
   * @param sizeScale phantom in-plane resolution factor (1 for SPIDER-like studies)
   */
  public static BufferedImage render(PreprocessConfig config, long seed, double sizeScale) {
    PhantomGenerator generator = new PhantomGenerator();
    SagittalSlicer slicer = config.slicer();
    SliceRenderer renderer = new SliceRenderer();
    List<BufferedImage> tiles = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (Sequence sequence : Sequence.values()) {
      PhantomStudy phantom =
          generator.generate(
              PhantomSpec.of(sequence, seed + sequence.ordinal()).withSizeScale(sizeScale));
      int axis = phantom.truth().sagittalAxis();
      int middle = phantom.image().geometry().size()[axis] / 2;
      tiles.add(renderer.render(SliceExtractor.extract(phantom.image(), axis, middle)));
      captions.add(sequence.suffix() + " file as stored (" + phantom.truth().layout().code() + ")");

      SlicedStudy study = slicer.slice(phantom.image(), phantom.mask());
      List<SagittalSlice> emitted = study.slices();
      for (int t = 0; t < SLICES_PER_STUDY; t++) {
        if (emitted.isEmpty()) {
          break;
        }
        SagittalSlice s = emitted.get(t * (emitted.size() - 1) / Math.max(1, SLICES_PER_STUDY - 1));
        float[] classes = new float[s.label().length];
        for (int p = 0; p < classes.length; p++) {
          classes[p] = s.label()[p];
        }
        double mm = s.pixelSpacing();
        tiles.add(
            renderer.render(
                new Slice2D(s.width(), s.height(), s.pixels(), mm, mm),
                new Slice2D(s.width(), s.height(), classes, mm, mm)));
        captions.add(
            sequence.suffix()
                + " slice "
                + s.sliceIndex()
                + "/"
                + study.sourceSlices()
                + " (file "
                + s.sourceSliceIndex()
                + ")");
      }
    }
    return ContactSheet.compose(tiles, captions, SLICES_PER_STUDY + 1);
  }

  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "docs/preprocess-slices.png");
    PreprocessConfig config = PreprocessConfig.defaults(Path.of("data"));
    SliceRenderer.writePng(render(config, 7, 1.0), out);
    System.out.println("wrote " + out.toAbsolutePath());
  }
}
