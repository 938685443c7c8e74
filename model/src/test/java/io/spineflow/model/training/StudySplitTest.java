package io.spineflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StudySplitTest {

  private static final List<String> UIDS =
      IntStream.range(0, 10_000).mapToObj(i -> "1.2.840.113619.2." + i).toList();

  @Test
  void positionIsAFixedFunctionOfTheUid() {
    // Pinned values: changing the hash would silently move studies between training and
    // validation, and a model's validation scores would stop being comparable with its parent's.
    assertThat(StudySplit.position("phantom-7-t1")).isEqualTo(StudySplit.position("phantom-7-t1"));
    assertThat(StudySplit.position("")).isEqualTo(0.8894159948913373);
    assertThat(StudySplit.position("phantom-7-t1")).isEqualTo(0.30567254847378933);
    assertThat(StudySplit.position("phantom-7-t1")).isBetween(0.0, 1.0);
    assertThat(UIDS)
        .allSatisfy(
            u -> assertThat(StudySplit.position(u)).isGreaterThanOrEqualTo(0).isLessThan(1));
  }

  @Test
  void aboutTheRequestedShareGoesToValidation() {
    StudySplit split = new StudySplit(0.2);
    long validation = UIDS.stream().filter(split::isValidation).count();
    assertThat(validation).isBetween(1_850L, 2_150L);
  }

  @Test
  void theSplitDoesNotDependOnOrderOrOnOtherStudies() {
    StudySplit split = new StudySplit(0.2);
    Set<String> all = UIDS.stream().filter(split::isValidation).collect(Collectors.toSet());
    List<String> reversed = new ArrayList<>(UIDS.subList(0, 500));
    java.util.Collections.reverse(reversed);
    Set<String> subset = reversed.stream().filter(split::isValidation).collect(Collectors.toSet());
    assertThat(all).containsAll(subset);
    assertThat(subset).allSatisfy(u -> assertThat(UIDS.subList(0, 500)).contains(u));
    assertThat(new StudySplit(0.2).isValidation(UIDS.get(3)))
        .isEqualTo(split.isValidation(UIDS.get(3)));
  }

  @Test
  void raisingTheFractionOnlyMovesStudiesIntoValidation() {
    Set<String> at10 =
        UIDS.stream().filter(new StudySplit(0.1)::isValidation).collect(Collectors.toSet());
    Set<String> at20 =
        UIDS.stream().filter(new StudySplit(0.2)::isValidation).collect(Collectors.toSet());
    assertThat(at20).containsAll(at10);
    assertThat(at20.size()).isGreaterThan(at10.size());
  }

  @Test
  void rejectsFractionsOutsideTheUnitInterval() {
    assertThatThrownBy(() -> new StudySplit(1.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StudySplit(-0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new StudySplit(0).isValidation("anything")).isFalse();
  }
}
