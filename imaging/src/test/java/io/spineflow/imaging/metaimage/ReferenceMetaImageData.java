package io.spineflow.imaging.metaimage;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the ITK-written reference files vendored in this module ({@code src/test/data/metaimage},
 * Apache-2.0, from the elastix repository; see the README there). A plain clone carries them, so
 * the tests need nothing beside the repository. {@code -Dspineflow.metaimage.dir=DIR} points the
 * tests at another copy (for example a newer {@code shared/data/metaimage}). Missing data fails the
 * test instead of skipping it: a reference test that silently does not run proves nothing.
 */
final class ReferenceMetaImageData {
  static final String PROPERTY = "spineflow.metaimage.dir";
  private static final String MARKER = "itk-reference.txt";
  private static final String VENDORED = "src/test/data/metaimage";

  private ReferenceMetaImageData() {}

  /** The {@code metaimage} directory holding {@code itk-reference.txt}. */
  static Path directory() {
    List<Path> tried = new ArrayList<>();
    String override = System.getProperty(PROPERTY);
    if (override != null) {
      tried.add(Path.of(override).toAbsolutePath());
    }
    // Surefire runs in the module directory; an IDE may run from the repository root.
    tried.add(Path.of(VENDORED).toAbsolutePath());
    tried.add(Path.of("imaging", VENDORED).toAbsolutePath());
    for (Path candidate : tried) {
      if (Files.isRegularFile(candidate.resolve(MARKER))) {
        return candidate;
      }
    }
    return fail("MetaImage reference data not found: no " + MARKER + " in any of " + tried);
  }
}
