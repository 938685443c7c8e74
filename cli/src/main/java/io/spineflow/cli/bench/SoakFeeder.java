package io.spineflow.cli.bench;

import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.ingest.StudyPusher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak's scanner: phantom studies written beforehand (so generating them does not compete with
 * the services for the CPU), then sent onto {@code studies.upload} as any Kafka client sends them,
 * one per permit: permits come back as studies complete (closed loop) or at a fixed rate.
 */
final class SoakFeeder implements Runnable {
  /** Every this-many studies one carries its mask (a labelled study, as a site annotating some). */
  static final int LABELLED_EVERY = 5;

  private final StudyPusher pusher;
  private final List<List<Path>> studies;
  private final Map<String, Instant> sentAt;
  private final Semaphore permits;
  private final AtomicInteger sent = new AtomicInteger();
  private volatile boolean stopped;
  private volatile Exception failure;

  SoakFeeder(
      StudyPusher pusher,
      List<List<Path>> studies,
      Map<String, Instant> sentAt,
      Semaphore permits) {
    this.pusher = pusher;
    this.studies = studies;
    this.sentAt = sentAt;
    this.permits = permits;
  }

  /**
   * Distinct phantoms at most; further studies reuse their files under new study UIDs (a new UID is
   * a new study for every service). A multiple of 3 and of {@link #LABELLED_EVERY}, so a reused
   * study keeps its place in the sequence and labelling pattern.
   */
  static final int DISTINCT = 600;

  /**
   * Writes {@code count} studies into {@code dir}: T1, T2 and T2 SPACE in turn, a new patient
   * (seed) each for the first {@link #DISTINCT}, then the same files again (hard links) under new
   * names; every {@link #LABELLED_EVERY}th with its mask.
   *
   * @return each study's files (image, then mask if any)
   */
  static List<List<Path>> generate(Path dir, int count, double sizeScale) throws IOException {
    Files.createDirectories(dir);
    PhantomGenerator generator = new PhantomGenerator();
    List<List<Path>> studies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Sequence sequence = Sequence.values()[i % Sequence.values().length];
      String stem = String.format(Locale.ROOT, "soak-%05d_%s", i, sequence.suffix());
      Path image = dir.resolve(stem + ".mha");
      Path mask = dir.resolve(stem + ".mask.mha");
      boolean labelled = i % LABELLED_EVERY == LABELLED_EVERY - 1;
      if (i < DISTINCT) {
        PhantomStudy study =
            generator.generate(PhantomSpec.of(sequence, 1000 + i).withSizeScale(sizeScale));
        MetaImageWriter.write(study.image(), image, MetaImageWriter.Compression.ZLIB);
        if (labelled) {
          MetaImageWriter.write(study.mask(), mask, MetaImageWriter.Compression.ZLIB);
        }
      } else {
        List<Path> original = studies.get(i % DISTINCT);
        link(image, original.get(0));
        if (labelled) {
          link(mask, original.get(1));
        }
      }
      studies.add(labelled ? List.of(image, mask) : List.of(image));
    }
    return studies;
  }

  private static void link(Path link, Path existing) throws IOException {
    try {
      Files.createLink(link, existing);
    } catch (UnsupportedOperationException | IOException e) {
      Files.copy(existing, link);
    }
  }

  /** The study UID ingest gives a study sent from {@code image}. */
  static String uid(Path image) {
    String name = image.getFileName().toString();
    return name.substring(0, name.length() - ".mha".length());
  }

  @Override
  public void run() {
    try {
      for (List<Path> files : studies) {
        while (!permits.tryAcquire(1, TimeUnit.SECONDS)) {
          if (stopped) {
            return;
          }
        }
        if (stopped) {
          return;
        }
        sentAt.put(uid(files.get(0)), Instant.now());
        pusher.push(files);
        sent.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      failure = e;
    }
  }

  int sent() {
    return sent.get();
  }

  /** Why sending stopped early, or null. */
  Exception failure() {
    return failure;
  }

  void stop() {
    stopped = true;
  }
}
