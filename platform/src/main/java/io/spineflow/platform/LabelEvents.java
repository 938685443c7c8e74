package io.spineflow.platform;

import io.spineflow.events.LabelScope;
import io.spineflow.events.LabelledClass;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelExtent;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one translation between the partial-label fields of the events ({@code Study.labelCoverage},
 * {@code Slice.labelScope}) and imaging's types ({@link LabelCoverage}, {@link SliceLabelScope}). A
 * null event field is a complete label. {@link LabelledClass#OTHER} (a symbol from a newer writer)
 * is left out, as not labelled.
 */
public final class LabelEvents {
  private LabelEvents() {}

  /**
   * The imaging view of a study's declaration; {@link LabelCoverage#COMPLETE} for null.
   *
   * @throws IllegalArgumentException when no class this reader knows is left, vertebrae and
   *     vertebral bodies are both listed, or the margin is out of range
   */
  public static LabelCoverage coverage(io.spineflow.events.LabelCoverage event) {
    if (event == null) {
      return LabelCoverage.COMPLETE;
    }
    return new LabelCoverage(
        structures(event.getClasses()),
        LabelExtent.valueOf(event.getExtent().name()),
        event.getExtentMarginMm());
  }

  /** The event field of a declaration: null for a complete label. */
  public static io.spineflow.events.LabelCoverage toEvent(LabelCoverage coverage) {
    if (coverage == null || coverage.complete()) {
      return null;
    }
    return io.spineflow.events.LabelCoverage.newBuilder()
        .setClasses(classes(coverage.classes()))
        .setExtent(io.spineflow.events.LabelExtent.valueOf(coverage.extent().name()))
        .setExtentMarginMm(coverage.marginMm())
        .build();
  }

  /**
   * The imaging view of a slice's scope: {@link SliceLabelScope#COMPLETE} for null; empty when it
   * names no class this reader knows, so nothing of its label can be used.
   */
  public static Optional<SliceLabelScope> scope(LabelScope event) {
    if (event == null) {
      return Optional.of(SliceLabelScope.COMPLETE);
    }
    Set<LabelledStructure> known = structures(event.getClasses());
    if (known.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SliceLabelScope(known, event.getFirstRow(), event.getLastRow()));
  }

  /** The event field of a slice scope: null for null (a complete label). */
  public static LabelScope toEvent(SliceLabelScope scope) {
    if (scope == null) {
      return null;
    }
    return LabelScope.newBuilder()
        .setClasses(classes(scope.classes()))
        .setFirstRow(scope.firstRow())
        .setLastRow(scope.lastRow())
        .build();
  }

  private static Set<LabelledStructure> structures(List<LabelledClass> classes) {
    Set<LabelledStructure> known = EnumSet.noneOf(LabelledStructure.class);
    for (LabelledClass c : classes) {
      switch (c) {
        case VERTEBRAE -> known.add(LabelledStructure.VERTEBRAE);
        case VERTEBRAL_BODIES -> known.add(LabelledStructure.VERTEBRAL_BODIES);
        case CANAL -> known.add(LabelledStructure.CANAL);
        case DISCS -> known.add(LabelledStructure.DISCS);
        case OTHER -> {} // a newer writer's class: not labelled, as the schema says
      }
    }
    return known;
  }

  private static List<LabelledClass> classes(Set<LabelledStructure> structures) {
    List<LabelledClass> classes = new ArrayList<>();
    for (LabelledStructure s : structures) {
      classes.add(LabelledClass.valueOf(s.name()));
    }
    return classes;
  }
}
