package io.spineflow.imaging.render;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the mid-sagittal slices of randomised phantom studies, plain and with the class overlay,
 * two studies to a row, as {@code docs/phantoms-randomised.png} shows them. Usage: {@code
 * RandomisedPhantomPreview [out.png] [firstSeed] [count]}, default {@code
 * /tmp/phantoms-randomised.png}, seed 1, 8 studies.
 */
public final class RandomisedPhantomPreview {
  private RandomisedPhantomPreview() {}

  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : "/tmp/phantoms-randomised.png");
    long first = args.length > 1 ? Long.parseLong(args[1]) : 1;
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    PhantomGenerator generator = new PhantomGenerator();
    SliceRenderer renderer = new SliceRenderer();
    List<BufferedImage> tiles = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Sequence sequence = Sequence.values()[i % Sequence.values().length];
      PhantomStudy study =
          generator.generate(PhantomSpec.of(sequence, first + i).withRandomised(true));
      int axis = study.truth().sagittalAxis();
      int mid = study.truth().midSagittalSlice();
      Slice2D image = SliceExtractor.extractForDisplay(study.image(), axis, mid);
      Slice2D classes =
          PhantomPreview.toClasses(SliceExtractor.extractForDisplay(study.mask(), axis, mid));
      double[] spacing = study.image().geometry().spacing();
      String name = "seed " + study.seed();
      tiles.add(renderer.render(image));
      captions.add(
          String.format(
              "%s: %.1f mm slices, %.2f mm pixels", name, spacing[axis], spacing[(axis + 1) % 3]));
      tiles.add(renderer.render(image, classes));
      captions.add(name + " labels, " + study.truth().vertebraCount() + " vertebrae");
    }
    SliceRenderer.writePng(ContactSheet.compose(tiles, captions, 4), out);
    System.out.println("wrote " + out.toAbsolutePath());
  }
}
