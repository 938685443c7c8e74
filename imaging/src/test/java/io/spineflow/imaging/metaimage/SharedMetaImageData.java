package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds {@code shared/data/metaimage}, the ITK-written reference files, which CI clones beside the
 * repository ({@code <clone>/../shared}). Missing data fails the test instead of skipping it: a
 * reference test that silently does not run proves nothing.
 */
final class SharedMetaImageData {
  static final String PROPERTY = "spineflow.shared.dir";
  private static final String MARKER = "itk-reference.txt";

  private SharedMetaImageData() {}

  /** The {@code metaimage} directory holding {@code itk-reference.txt}. */
  static Path directory() {
    List<Path> tried = new ArrayList<>();
    String override = System.getProperty(PROPERTY);
    if (override != null) {
      Path shared = Path.of(override).toAbsolutePath();
      for (Path candidate : List.of(shared.resolve("data/metaimage"), shared)) {
        tried.add(candidate);
        if (Files.isRegularFile(candidate.resolve(MARKER))) {
          return candidate;
        }
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/data/metaimage");
      tried.add(candidate);
      if (Files.isRegularFile(candidate.resolve(MARKER))) {
        return candidate;
      }
    }
    return fail(
        "MetaImage reference data not found: no "
            + MARKER
            + " in any of "
            + tried
            + ". Clone the shared data beside the repository (<clone>/../shared) or pass -D"
            + PROPERTY
            + "=/path/to/shared");
  }
}
