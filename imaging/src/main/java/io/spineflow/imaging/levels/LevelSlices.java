package io.spineflow.imaging.levels;

import io.spineflow.imaging.Image;
import java.util.HashMap;
import java.util.Map;

/**
 * Picks the slice each level is measured on: the one through the structure's own left-right
 * centroid, so a spine that is rotated against the grid, or scoliotic, is still measured through
 * the middle of each disc and body (the canal narrows quickly off the midline). The structure is
 * found on that slice as the component of the same kind that most of its mid-slice footprint falls
 * on: slices share their in-plane pixel grid.
 */
final class LevelSlices {
  private static final int MAX_STEPS = 4;

  private final Image labels;
  private final LabelScheme scheme;
  private final SagittalPlane mid;
  private final Map<Integer, SagittalPlane> planes = new HashMap<>();
  private final Map<Integer, Components> components = new HashMap<>();

  LevelSlices(Image labels, LabelScheme scheme, SagittalPlane mid, Components midComponents) {
    this.labels = labels;
    this.scheme = scheme;
    this.mid = mid;
    planes.put(mid.slice, mid);
    components.put(mid.slice, midComponents);
  }

  SagittalPlane mid() {
    return mid;
  }

  /** Where a level is measured: its slice, that slice's components, and its component there. */
  record Placement(SagittalPlane plane, Components components, Component component) {}

  Placement place(Component c) {
    Placement at = new Placement(mid, components.get(mid.slice), c);
    // The footprint is the component's on the slice it is on: when the grid is rotated against the
    // spine, the structure shifts in-plane from slice to slice, so one step falls short of its
    // centre; a few steps converge.
    for (int step = 0; step < MAX_STEPS; step++) {
      int slice = centroidSlice(at.component());
      if (slice == at.plane().slice) {
        break;
      }
      Placement next = onSlice(at.component(), slice);
      if (next == null) {
        break;
      }
      at = next;
    }
    return at;
  }

  /** The component of c's kind most of c's footprint falls on in {@code slice}, or null. */
  private Placement onSlice(Component c, int slice) {
    SagittalPlane plane = planes.computeIfAbsent(slice, s -> SagittalPlane.of(labels, scheme, s));
    Components found = components.computeIfAbsent(slice, s -> new Components(plane));
    Map<Integer, Integer> votes = new HashMap<>();
    int[] ids = found.ids();
    for (int p : c.pixels()) {
      int id = ids[p];
      if (id >= 0 && found.all().get(id).structure() == c.structure()) {
        votes.merge(id, 1, Integer::sum);
      }
    }
    int best =
        votes.entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .orElse(-1);
    if (best < 0 || votes.get(best) * 2 < c.pixels().length) {
      // Under half of the footprint there: stay rather than measure a neighbour.
      return null;
    }
    return new Placement(plane, found, found.all().get(best));
  }

  /** Mean sagittal index of the voxels of c's kind over c's in-plane footprint, all slices. */
  private int centroidSlice(Component c) {
    int count = mid.size[mid.sagittalAxis];
    double sum = 0;
    long n = 0;
    for (int s = 0; s < count; s++) {
      for (int p : c.pixels()) {
        long v = mid.volumeIndex(s, p % mid.width, p / mid.width);
        if (scheme.structureOf(labels.voxel(v)) == c.structure()) {
          sum += s;
          n++;
        }
      }
    }
    return n == 0 ? mid.slice : (int) Math.round(sum / n);
  }
}
