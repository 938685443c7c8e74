package io.spineflow.imaging.levels;

import io.spineflow.imaging.Image;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Checks an analysis's level names against reference labels that carry levels (SPIDER's numbered
 * vertebrae and discs, an IVD set's 201–205, VB labels L1–L5), for a benchmark: each found level's
 * voxels vote for the level name of its own kind that the reference gives most of them (through the
 * caller's mapping, since every data set numbers differently), and that name must equal the
 * analysis's. Reads nothing but its arguments.
 */
public final class NumberingCheck {
  private NumberingCheck() {}

  /**
   * The outcome.
   *
   * @param compared levels whose voxels mostly carry a reference label that names a level
   * @param agreed of those, how many got the reference's name
   * @param mismatches {@code ours≠reference} per disagreement, e.g. {@code L4/L5≠L3/L4}
   */
  public record Result(int compared, int agreed, List<String> mismatches) {
    public Result {
      mismatches = List.copyOf(mismatches);
    }
  }

  /**
   * SPIDER's numbering as the phantom uses it: vertebra k (or 100 + k when cut by the field of
   * view) is counted from the bottom with the sacrum unlabelled (1 = L5), disc 200 + k lies below
   * vertebra k (201 = L5/S1); 100 (canal) and anything else name nothing.
   */
  public static String spiderFromBottom(int label) {
    if (label >= 1 && label < 100) {
      return LevelNames.vertebra(label);
    }
    if (label > 100 && label < 200) {
      return LevelNames.vertebra(label - 100);
    }
    return label > 200 && label < 300 ? LevelNames.disc(label - 200) : null;
  }

  /**
   * Compares {@code analysis} with {@code reference} (a label volume on the same grid as the
   * analysed one).
   *
   * @param levelOf the level name a reference label value stands for, null when it names none
   * @throws IllegalArgumentException when the grids differ
   */
  public static Result compare(
      LevelAnalysis analysis, Image reference, IntFunction<String> levelOf) {
    Map<Integer, String> truth = referenceNames(analysis, reference, levelOf);
    int agreed = 0;
    List<String> mismatches = new ArrayList<>();
    for (LevelMeasurement level : analysis.report().levels()) {
      String expected = truth.get(level.order());
      if (expected == null) {
        continue;
      }
      if (expected.equals(level.name())) {
        agreed++;
      } else {
        mismatches.add(level.name() + "≠" + expected);
      }
    }
    return new Result(truth.size(), agreed, mismatches);
  }

  /**
   * The reference's name of each level of {@code analysis} (by {@link LevelMeasurement#order()}):
   * the level name most of its voxels carry in the reference, counting only names of its own kind
   * (a disc's name for a disc, a vertebra's for a body or the sacrum), since neighbours touch;
   * levels whose voxels carry no such name are absent. A benchmark pairs a model's level with the
   * reference's by this name, whatever either analysis called them.
   *
   * @throws IllegalArgumentException when the grids differ
   */
  public static Map<Integer, String> referenceNames(
      LevelAnalysis analysis, Image reference, IntFunction<String> levelOf) {
    if (!analysis.geometry().sameGrid(reference.geometry(), 1e-6)) {
      throw new IllegalArgumentException(
          "reference grid " + reference.geometry() + " differs from " + analysis.geometry());
    }
    Map<Integer, String> names = new java.util.TreeMap<>();
    for (LevelMeasurement level : analysis.report().levels()) {
      Map<String, Integer> votes = new HashMap<>();
      for (long v : analysis.voxels(level.order())) {
        int label = (int) reference.voxel(v);
        String name = label == 0 ? null : levelOf.apply(label);
        // A body touching a labelled disc is not that disc: only labels of its own kind vote.
        if (name != null && isDisc(name) == (level.kind() == LevelMeasurement.Kind.DISC)) {
          votes.merge(name, 1, Integer::sum);
        }
      }
      votes.entrySet().stream()
          .max(Map.Entry.comparingByValue())
          .ifPresent(e -> names.put(level.order(), e.getKey()));
    }
    return names;
  }

  /** Disc names join two vertebrae: {@code L5/S1}. */
  private static boolean isDisc(String name) {
    return name.indexOf('/') >= 0;
  }
}
