package io.spineflow.cli;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.ingest.StudyPusher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's scanner: writes synthetic studies (T1, T2, T2 SPACE in turn) and pushes them onto
 * {@code studies.upload} the way a PACS bridge would, one every {@code interval}.
 */
final class DemoFeeder implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoFeeder.class);

  private final StudyPusher pusher;
  private final Path folder;
  private final int count;
  private final long firstSeed;
  private final boolean labelled;
  private final double sizeScale;
  private final Duration interval;
  private final PrintWriter console;
  private volatile boolean running = true;

  DemoFeeder(
      StudyPusher pusher,
      Path folder,
      int count,
      long firstSeed,
      boolean labelled,
      double sizeScale,
      Duration interval,
      PrintWriter console) {
    this.pusher = pusher;
    this.folder = folder;
    this.count = count;
    this.firstSeed = firstSeed;
    this.labelled = labelled;
    this.sizeScale = sizeScale;
    this.interval = interval;
    this.console = console;
  }

  void stop() {
    running = false;
  }

  @Override
  public void run() {
    PhantomGenerator generator = new PhantomGenerator();
    Sequence[] sequences = Sequence.values();
    try {
      Files.createDirectories(folder);
      for (int i = 0; i < count && running; i++) {
        PhantomSpec spec =
            PhantomSpec.of(sequences[i % sequences.length], firstSeed + i).withSizeScale(sizeScale);
        List<Path> files = write(generator.generate(spec));
        pusher.push(files);
        console.printf("  study %d/%d sent: %s%n", i + 1, count, spec.studyId());
        long deadline = System.nanoTime() + interval.toNanos();
        while (running && System.nanoTime() < deadline) {
          synchronized (this) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.error("demo feeder stopped", e);
      console.println("  feeding studies stopped: " + Spineflow.oneLine(e));
    }
  }

  private List<Path> write(PhantomStudy study) throws IOException {
    List<Path> files = new ArrayList<>();
    Path image = folder.resolve(study.spec().fileStem() + ".mha");
    MetaImageWriter.write(study.image(), image, MetaImageWriter.Compression.ZLIB);
    files.add(image);
    if (labelled) {
      Path mask = folder.resolve(study.spec().fileStem() + ".mask.mha");
      MetaImageWriter.write(study.mask(), mask, MetaImageWriter.Compression.ZLIB);
      files.add(mask);
    }
    return files;
  }
}
