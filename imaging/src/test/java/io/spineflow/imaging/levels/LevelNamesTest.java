package io.spineflow.imaging.levels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LevelNamesTest {

  @Test
  void vertebraeAndDiscsAreCountedFromTheSacrum() {
    assertThat(LevelNames.vertebra(1)).isEqualTo("L5");
    assertThat(LevelNames.vertebra(5)).isEqualTo("L1");
    assertThat(LevelNames.vertebra(6)).isEqualTo("T12");
    assertThat(LevelNames.vertebra(17)).isEqualTo("T1");
    assertThat(LevelNames.vertebra(18)).isEqualTo("C7");
    assertThat(LevelNames.disc(1)).isEqualTo("L5/S1");
    assertThat(LevelNames.disc(2)).isEqualTo("L4/L5");
    assertThat(LevelNames.disc(6)).isEqualTo("T12/L1");
    assertThatThrownBy(() -> LevelNames.vertebra(0)).hasMessageContaining("from 1");
  }

  @Test
  void spiderFromBottomNamesVertebraeCutVertebraeAndDiscsButNotTheCanal() {
    assertThat(NumberingCheck.spiderFromBottom(1)).isEqualTo("L5");
    assertThat(NumberingCheck.spiderFromBottom(106)).isEqualTo("T12");
    assertThat(NumberingCheck.spiderFromBottom(201)).isEqualTo("L5/S1");
    assertThat(NumberingCheck.spiderFromBottom(100)).isNull();
    assertThat(NumberingCheck.spiderFromBottom(0)).isNull();
    assertThat(NumberingCheck.spiderFromBottom(200)).isNull();
  }
}
