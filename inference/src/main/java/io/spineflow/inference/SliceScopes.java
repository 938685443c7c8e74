package io.spineflow.inference;

import io.spineflow.events.LabelScope;
import io.spineflow.events.LabelledClass;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The imaging view ({@link SliceLabelScope}) of a slice's {@link LabelScope} event field. */
final class SliceScopes {
  private SliceScopes() {}

  /**
   * The scope of a slice's label: {@link SliceLabelScope#COMPLETE} when {@code scope} is null (a
   * complete label); empty when it names no class this reader knows ({@link LabelledClass#OTHER}
   * from a newer writer is not labelled), so nothing of the label can be scored.
   */
  static Optional<SliceLabelScope> of(LabelScope scope) {
    if (scope == null) {
      return Optional.of(SliceLabelScope.COMPLETE);
    }
    Set<LabelledStructure> classes = EnumSet.noneOf(LabelledStructure.class);
    for (LabelledClass c : scope.getClasses()) {
      structure(c).ifPresent(classes::add);
    }
    if (classes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SliceLabelScope(classes, scope.getFirstRow(), scope.getLastRow()));
  }

  private static Optional<LabelledStructure> structure(LabelledClass c) {
    return switch (c) {
      case VERTEBRAE -> Optional.of(LabelledStructure.VERTEBRAE);
      case VERTEBRAL_BODIES -> Optional.of(LabelledStructure.VERTEBRAL_BODIES);
      case CANAL -> Optional.of(LabelledStructure.CANAL);
      case DISCS -> Optional.of(LabelledStructure.DISCS);
      case OTHER -> Optional.empty();
    };
  }
}
