package io.spineflow.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.events.LabelScope;
import io.spineflow.events.LabelledClass;
import io.spineflow.imaging.labels.LabelCoverage;
import io.spineflow.imaging.labels.LabelledStructure;
import io.spineflow.imaging.labels.SliceLabelScope;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelEventsTest {

  @Test
  void aCompleteLabelTravelsAsNull() {
    assertThat(LabelEvents.toEvent(LabelCoverage.COMPLETE)).isNull();
    assertThat(LabelEvents.coverage(null)).isEqualTo(LabelCoverage.COMPLETE);
    assertThat(LabelEvents.toEvent((SliceLabelScope) null)).isNull();
    assertThat(LabelEvents.scope(null)).contains(SliceLabelScope.COMPLETE);
  }

  @Test
  void declarationsAndScopesRoundTrip() {
    LabelCoverage bodies = LabelCoverage.parse("vertebral-bodies,canal", "labelled-span+4mm");
    assertThat(LabelEvents.coverage(LabelEvents.toEvent(bodies))).isEqualTo(bodies);
    SliceLabelScope discs = new SliceLabelScope(Set.of(LabelledStructure.DISCS), 7, 99);
    assertThat(LabelEvents.scope(LabelEvents.toEvent(discs))).contains(discs);
  }

  @Test
  void aNewerWritersClassIsNotLabelled() {
    LabelScope mixed = new LabelScope(List.of(LabelledClass.OTHER, LabelledClass.DISCS), 0, 5);
    assertThat(LabelEvents.scope(mixed).orElseThrow().classes())
        .containsExactly(LabelledStructure.DISCS);
    assertThat(LabelEvents.scope(new LabelScope(List.of(LabelledClass.OTHER), 0, 5))).isEmpty();
    io.spineflow.events.LabelCoverage onlyOther =
        new io.spineflow.events.LabelCoverage(
            List.of(LabelledClass.OTHER), io.spineflow.events.LabelExtent.WHOLE_IMAGE, 0.0);
    assertThatThrownBy(() -> LabelEvents.coverage(onlyOther)).hasMessageContaining("at least one");
  }
}
