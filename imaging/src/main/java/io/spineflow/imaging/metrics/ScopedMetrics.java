package io.spineflow.imaging.metrics;

import java.util.List;
import java.util.Optional;

/**
 * A slice's metrics against a partial label: {@link ClassMetrics} for the classes the label labels
 * completely, counted inside its extent, and the {@link BodyCoverage} when vertebrae are labelled
 * as bodies only. A class that is neither has no entry: it is undefined, never 0.
 *
 * @param classes metrics of the completely labelled foreground classes, in class order
 * @param bodies body coverage, when vertebrae are labelled as bodies only
 */
public record ScopedMetrics(List<ClassMetrics> classes, Optional<BodyCoverage> bodies) {
  /** Freezes the list. */
  public ScopedMetrics {
    classes = List.copyOf(classes);
  }
}
