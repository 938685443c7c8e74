package io.spineflow.imaging.phantom;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.Sequence;
import org.junit.jupiter.api.Test;

class SequenceTest {

  @Test
  void suffixesAreSpiderFileSuffixes() {
    assertThat(Sequence.T1.suffix()).isEqualTo("t1");
    assertThat(Sequence.T2.suffix()).isEqualTo("t2");
    assertThat(Sequence.T2_SPACE.suffix()).isEqualTo("t2_SPACE");
  }

  @Test
  void parsesSuffixes() {
    assertThat(Sequence.fromSuffix("t2_SPACE")).contains(Sequence.T2_SPACE);
    assertThat(Sequence.fromSuffix("T1")).contains(Sequence.T1);
    assertThat(Sequence.fromSuffix("flair")).isEmpty();
  }
}
