package io.spineflow.cli;

import io.spineflow.ingest.StudyPusher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code demo --data DIR}: sends the user's own studies (and their masks, with the label
 * declarations of their {@code NAME.labels} sidecars or {@code manifest.tsv}) once, in name order.
 */
final class DemoOwnStudies implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoOwnStudies.class);

  private final StudyPusher pusher;
  private final Path dir;
  private final PrintWriter out;

  DemoOwnStudies(StudyPusher pusher, Path dir, PrintWriter out) {
    this.pusher = pusher;
    this.dir = dir;
    this.out = out;
  }

  /** Study images in SPIDER's layout (images/) or flat; masks are found by the pusher. */
  static List<Path> images(Path dir) throws IOException {
    Path images = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
    try (Stream<Path> files = Files.list(images)) {
      return files
          .filter(f -> f.getFileName().toString().matches("(?i).*\\.(mha|mhd)$"))
          .filter(f -> !f.getFileName().toString().matches("(?i).*\\.mask\\.(mha|mhd)$"))
          .sorted()
          .toList();
    }
  }

  @Override
  public void run() {
    try {
      List<Path> images = images(dir);
      say("sending %d studies from %s", images.size(), dir);
      for (Path image : images) {
        try {
          StudyPusher.Pushed p = pusher.push(List.of(image)).get(0);
          say("     study %s (%s)", p.studyUid(), labelling(p));
        } catch (IllegalArgumentException e) {
          say("     skipped %s: %s", image.getFileName(), e.getMessage());
        }
      }
      say("own studies sent: %d", images.size());
    } catch (IOException | RuntimeException e) {
      LOG.error("sending own studies stopped", e);
      say("sending own studies stopped: %s", Spineflow.oneLine(e));
    }
  }

  /** What the study's mask labels, as its declaration says (sidecar or manifest.tsv). */
  private static String labelling(StudyPusher.Pushed p) {
    if (p.mask() == null) {
      return "unlabelled";
    }
    if (p.labelCoverage() == null || p.labelCoverage().complete()) {
      return "labelled";
    }
    return "labelled: " + p.labelCoverage();
  }

  private void say(String format, Object... args) {
    synchronized (out) {
      out.println(String.format(java.util.Locale.ROOT, format, args));
      out.flush();
    }
  }
}
