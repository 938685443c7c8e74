package io.spineflow.imaging.levels;

/** What a label value stands for, once merged. */
enum Structure {
  NONE,
  VERTEBRA,
  CANAL,
  DISC
}
