package io.spineflow.imaging.render;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders phantom studies to PNG for a human look: the mid-sagittal slice of a T1, a T2 and a T2
 * SPACE study with and without the class overlay, their shifted variants, and a contact sheet of
 * sagittal slices. Usage: {@code PhantomPreview [outputDir] [seed...]}, default {@code
 * /tmp/phantom-check} and seed 1.
 */
public final class PhantomPreview {
  private PhantomPreview() {}

  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/phantom-check");
    List<Long> seeds = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      seeds.add(Long.parseLong(args[i]));
    }
    if (seeds.isEmpty()) {
      seeds.add(1L);
    }
    PhantomGenerator generator = new PhantomGenerator();
    SliceRenderer renderer = new SliceRenderer();
    for (long seed : seeds) {
      List<BufferedImage> mids = new ArrayList<>();
      List<String> captions = new ArrayList<>();
      for (Sequence sequence : Sequence.values()) {
        for (boolean shift : new boolean[] {false, true}) {
          long start = System.nanoTime();
          PhantomStudy study = generator.generate(PhantomSpec.of(sequence, seed).withShift(shift));
          long millis = (System.nanoTime() - start) / 1_000_000;
          int axis = study.truth().sagittalAxis();
          int mid = study.truth().midSagittalSlice();
          Slice2D image = SliceExtractor.extractForDisplay(study.image(), axis, mid);
          Slice2D classes = toClasses(SliceExtractor.extractForDisplay(study.mask(), axis, mid));
          String name = study.studyId();
          BufferedImage plain = renderer.render(image);
          BufferedImage overlay = renderer.render(image, classes);
          SliceRenderer.writePng(plain, dir.resolve(name + "-mid.png"));
          SliceRenderer.writePng(overlay, dir.resolve(name + "-mid-overlay.png"));
          mids.add(plain);
          captions.add(name);
          mids.add(overlay);
          captions.add(name + " labels");
          if (!shift) {
            writeSheet(study, renderer, dir.resolve(name + "-sheet.png"));
          }
          System.out.printf(
              "%s %d ms size %s spacing %s layout %s truth %s%n",
              name,
              millis,
              java.util.Arrays.toString(study.image().geometry().size()),
              java.util.Arrays.toString(study.image().geometry().spacing()),
              study.truth().layout().code(),
              study.truth());
        }
      }
      SliceRenderer.writePng(
          ContactSheet.compose(mids, captions, 4), dir.resolve("phantom-" + seed + "-all.png"));
    }
  }

  private static void writeSheet(PhantomStudy study, SliceRenderer renderer, Path path) {
    Image image = study.image();
    int axis = study.truth().sagittalAxis();
    int count = image.geometry().size()[axis];
    List<BufferedImage> tiles = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    int step = Math.max(1, count / 12);
    for (int s = 0; s < count; s += step) {
      tiles.add(
          renderer.render(
              SliceExtractor.extractForDisplay(image, axis, s),
              toClasses(SliceExtractor.extractForDisplay(study.mask(), axis, s))));
      captions.add("slice " + s);
    }
    SliceRenderer.writePng(ContactSheet.compose(tiles, captions, 6), path);
  }

  /** SPIDER labels to the 4 display classes, only to colour this preview. */
  static Slice2D toClasses(Slice2D labels) {
    float[] v = labels.values();
    for (int i = 0; i < v.length; i++) {
      int label = Math.round(v[i]);
      v[i] = label == 0 ? 0 : label == 100 ? 2 : label >= 200 ? 3 : 1;
    }
    return new Slice2D(
        labels.width(), labels.height(), v, labels.pixelWidthMm(), labels.pixelHeightMm());
  }
}
