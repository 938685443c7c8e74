package io.spineflow.cli.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Cross-validation folds by study, so no slice of a scored study was ever trained on. Stable and
 * seeded: studies are sorted by name, grouped by stratum (their set), each group shuffled with one
 * seeded {@link Random} in stratum order and dealt round-robin, the dealing continuing across
 * groups. Every fold thus holds studies of every large enough set, and fold sizes differ by at most
 * one. The same studies and seed give the same folds whatever order the files were listed in.
 */
public final class StudyFolds {
  private StudyFolds() {}

  /**
   * The studies of each of {@code k} folds.
   *
   * @param name a study's unique name
   * @param stratum a study's set
   * @throws IllegalArgumentException naming {@code --folds} when {@code k < 2} or there are fewer
   *     studies than folds
   */
  public static <T> List<List<T>> assign(
      List<T> studies, Function<T, String> name, Function<T, String> stratum, int k, long seed) {
    if (k < 2) {
      throw new IllegalArgumentException("--folds must be at least 2, got " + k);
    }
    if (studies.size() < k) {
      throw new IllegalArgumentException(
          "--folds " + k + " needs at least " + k + " studies, found " + studies.size());
    }
    Map<String, List<T>> groups = new TreeMap<>();
    studies.stream()
        .sorted(Comparator.comparing(name))
        .forEach(s -> groups.computeIfAbsent(stratum.apply(s), g -> new ArrayList<>()).add(s));
    List<List<T>> folds = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      folds.add(new ArrayList<>());
    }
    Random random = new Random(seed);
    int next = 0;
    for (List<T> group : groups.values()) {
      Collections.shuffle(group, random);
      for (T study : group) {
        folds.get(next).add(study);
        next = (next + 1) % k;
      }
    }
    return folds.stream().map(List::copyOf).toList();
  }

  /** Every study not in fold {@code fold}: what that fold's model trains on. */
  public static <T> List<T> trainingFor(List<List<T>> folds, int fold) {
    List<T> training = new ArrayList<>();
    for (int f = 0; f < folds.size(); f++) {
      if (f != fold) {
        training.addAll(folds.get(f));
      }
    }
    return List.copyOf(training);
  }
}
