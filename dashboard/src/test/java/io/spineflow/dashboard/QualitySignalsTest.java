package io.spineflow.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.spineflow.events.Quality;
import io.spineflow.imaging.Sequence;
import io.spineflow.imaging.metrics.LabelFreeSignals;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two ways to an observation agree: from a {@link Quality} event, as the drift monitor reads
 * it, and from the named signals of the same prediction, as {@code bench drift} computes them.
 */
class QualitySignalsTest {
  @Test
  void anObservationFromTheEventEqualsOneFromTheNamedSignals() {
    List<PhantomSlices.SliceData> training = PhantomSlices.study(Sequence.T2, 1, false);
    StandInSegmenter segmenter = StandInSegmenter.fit(training);
    int compared = 0;
    for (PhantomSlices.SliceData s : PhantomSlices.study(Sequence.T1, 2, true)) {
      StandInSegmenter.Prediction p = segmenter.predict(s.pixels(), s.label());
      Quality quality = Events.quality(s, p.probabilities(), p.classes(), false, 1, Instant.EPOCH);
      LabelFreeSignals signals =
          LabelFreeSignals.compute(
              p.probabilities(), p.classes(), PhantomSlices.SIZE, PhantomSlices.SIZE);

      double[] fromEvent = QualitySignals.observation(quality);
      double[] fromNames = QualitySignals.observation(signals.asSignals(), s.studyUid());

      assertThat(fromNames).hasSize(QualitySignals.COUNT + 1);
      for (int i = 0; i < fromEvent.length; i++) {
        if (Double.isNaN(fromEvent[i])) {
          assertThat(fromNames[i]).as(column(i)).isNaN();
        } else {
          assertThat(fromNames[i]).as(column(i)).isCloseTo(fromEvent[i], within(1e-9));
        }
      }
      compared++;
    }
    assertThat(compared).isPositive();
  }

  private static String column(int i) {
    return i < QualitySignals.COUNT ? QualitySignals.NAMES.get(i) : "study key";
  }
}
