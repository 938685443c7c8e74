package io.spineflow.imaging.levels;

import io.spineflow.imaging.levels.LevelMeasurement.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Names the sorted structures from the sacrum upwards. The lowest disc is L5/S1: the phantom leaves
 * the sacrum unlabelled, and where a segmentation labels it, it is the vertebral component below
 * that disc, so the lowest disc is the one anchor a label volume always offers. Bodies below it are
 * the sacrum (S1, S2 … when it comes in pieces, flagged). Above it, discs and bodies must
 * alternate; where they do not, a placeholder for the missing structure keeps the names of the
 * others anatomical (a disc lost to fusion or to the segmentation does not rename the vertebrae
 * above it).
 */
final class Numbering {
  private Numbering() {}

  static List<Level> number(List<Level> sorted, List<String> flags) {
    int lowestDisc = -1;
    for (int k = 0; k < sorted.size() && lowestDisc < 0; k++) {
      lowestDisc = sorted.get(k).isDisc() ? k : -1;
    }
    if (lowestDisc < 0) {
      flags.add(LevelFlag.NO_DISC.with("no disc anchors the numbering; structures unnumbered"));
      for (int k = 0; k < sorted.size(); k++) {
        sorted.get(k).name = "?" + (k + 1);
      }
      return sorted;
    }
    List<Level> named = new ArrayList<>();
    for (int k = 0; k < lowestDisc; k++) {
      Level body = sorted.get(k);
      Level sacrum = new Level(body.component, Kind.SACRUM);
      sacrum.position = body.position;
      sacrum.name = "S" + (lowestDisc - k);
      if (lowestDisc > 1) {
        sacrum.flags.add(
            LevelFlag.SACRUM_AMBIGUOUS.with(
                lowestDisc + " vertebral components below the lowest disc, taken as sacrum"));
      }
      named.add(sacrum);
    }
    if (lowestDisc > 1) {
      flags.add(
          LevelFlag.SACRUM_AMBIGUOUS.with(
              lowestDisc + " vertebral components below the lowest disc, taken as sacrum"));
    }
    alternate(sorted.subList(lowestDisc, sorted.size()), named, flags);
    return named;
  }

  /** Walks disc, body, disc … from L5/S1, inserting placeholders where the alternation breaks. */
  private static void alternate(List<Level> fromLowestDisc, List<Level> named, List<String> flags) {
    int vertebra = 1;
    boolean expectDisc = true;
    for (Level l : fromLowestDisc) {
      if (l.isDisc()) {
        if (!expectDisc) {
          String flag =
              LevelFlag.MISSING_BODY.with(
                  "no vertebral body between "
                      + LevelNames.disc(vertebra)
                      + " and "
                      + LevelNames.disc(vertebra + 1));
          named.add(Level.placeholder(Kind.BODY, LevelNames.vertebra(vertebra), flag));
          flags.add(flag);
          vertebra++;
        }
        l.name = LevelNames.disc(vertebra);
        expectDisc = false;
      } else {
        if (expectDisc) {
          String flag =
              LevelFlag.MISSING_DISC.with(
                  "no disc between "
                      + LevelNames.vertebra(vertebra)
                      + " and "
                      + (vertebra == 1 ? "S1" : LevelNames.vertebra(vertebra - 1)));
          named.add(Level.placeholder(Kind.DISC, LevelNames.disc(vertebra), flag));
          flags.add(flag);
        }
        l.name = LevelNames.vertebra(vertebra);
        vertebra++;
        expectDisc = true;
      }
      named.add(l);
    }
  }
}
