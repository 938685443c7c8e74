package io.spineflow.cli;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.ingest.StudyPusher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's scanner: writes synthetic studies (T1, T2, T2 SPACE in turn) and pushes them onto
 * {@code studies.upload} the way a PACS bridge would.
 */
final class DemoFeeder {
  private final StudyPusher pusher;
  private final Path folder;
  private final double sizeScale;
  private final PhantomGenerator generator = new PhantomGenerator();

  DemoFeeder(StudyPusher pusher, Path folder, double sizeScale) {
    this.pusher = pusher;
    this.folder = folder;
    this.sizeScale = sizeScale;
  }

  /**
   * Sends one study.
   *
   * @param labelled send its mask too
   * @param shift a distribution-shifted study
   * @return its study UID
   */
  String send(int index, long seed, boolean labelled, boolean shift) throws IOException {
    Sequence sequence = Sequence.values()[index % Sequence.values().length];
    PhantomSpec spec = PhantomSpec.of(sequence, seed).withShift(shift).withSizeScale(sizeScale);
    PhantomStudy study = generator.generate(spec);
    String stem = spec.fileStem() + (labelled ? "" : "-unlabelled");
    List<Path> files = writeFiles(study, folder, stem, labelled);
    return pusher.push(files).get(0).studyUid();
  }

  /**
   * Writes a study as a sender would hand it over: {@code STEM.mha} and, when labelled, {@code
   * STEM.mask.mha} (zlib), in that order.
   */
  static List<Path> writeFiles(PhantomStudy study, Path folder, String stem, boolean labelled)
      throws IOException {
    Files.createDirectories(folder);
    List<Path> files = new ArrayList<>();
    Path image = folder.resolve(stem + ".mha");
    MetaImageWriter.write(study.image(), image, MetaImageWriter.Compression.ZLIB);
    files.add(image);
    if (labelled) {
      Path mask = folder.resolve(stem + ".mask.mha");
      MetaImageWriter.write(study.mask(), mask, MetaImageWriter.Compression.ZLIB);
      files.add(mask);
    }
    return files;
  }
}
