package io.spineflow.cli.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class StudyFoldsTest {
  /** 9 IVD-like, 5 VB-like studies: set = the name's prefix. */
  private static final List<String> STUDIES = new ArrayList<>();

  static {
    for (int i = 0; i < 9; i++) {
      STUDIES.add("A_" + i);
    }
    for (int i = 0; i < 5; i++) {
      STUDIES.add("B_" + i);
    }
  }

  private static final Function<String, String> SET = s -> s.substring(0, 1);

  private static List<List<String>> folds(List<String> studies, int k, long seed) {
    return StudyFolds.assign(studies, Function.identity(), SET, k, seed);
  }

  @Test
  void everyStudyIsInExactlyOneFoldAndSizesDifferByAtMostOne() {
    List<List<String>> folds = folds(STUDIES, 4, 42);

    assertThat(folds).hasSize(4);
    assertThat(folds.stream().flatMap(List::stream)).containsExactlyInAnyOrderElementsOf(STUDIES);
    assertThat(folds).allSatisfy(f -> assertThat(f.size()).isBetween(3, 4));
    // Stratified: each fold holds 2 or 3 of the 9 A studies and 1 or 2 of the 5 B.
    assertThat(folds)
        .allSatisfy(
            f -> assertThat(f.stream().filter(s -> s.startsWith("A")).count()).isBetween(2L, 3L));
    assertThat(folds)
        .allSatisfy(
            f -> assertThat(f.stream().filter(s -> s.startsWith("B")).count()).isBetween(1L, 2L));
  }

  @Test
  void stableWhateverTheListingOrderAndSeeded() {
    List<String> shuffled = new ArrayList<>(STUDIES);
    Collections.reverse(shuffled);

    assertThat(folds(shuffled, 3, 7)).isEqualTo(folds(STUDIES, 3, 7));
    assertThat(folds(STUDIES, 3, 8)).isNotEqualTo(folds(STUDIES, 3, 7));
  }

  @Test
  void trainingIsEveryOtherFold() {
    List<List<String>> folds = folds(STUDIES, 3, 1);
    for (int f = 0; f < 3; f++) {
      List<String> training = StudyFolds.trainingFor(folds, f);
      assertThat(training).doesNotContainAnyElementsOf(folds.get(f));
      assertThat(training.size() + folds.get(f).size()).isEqualTo(STUDIES.size());
    }
  }

  @Test
  void rejectsTooFewFoldsOrStudiesNamingTheOption() {
    assertThatThrownBy(() -> folds(STUDIES, 1, 0))
        .hasMessageContaining("--folds must be at least 2");
    assertThatThrownBy(() -> folds(List.of("A_1", "A_2"), 3, 0))
        .hasMessageContaining("--folds 3 needs at least 3 studies, found 2");
  }
}
