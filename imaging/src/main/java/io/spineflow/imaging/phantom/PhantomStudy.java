package io.spineflow.imaging.phantom;

import io.spineflow.imaging.Image;
import io.spineflow.imaging.Sequence;

/**
 * One generated SPIDER-like study: the MR image (MET_USHORT), its label mask (MET_UCHAR, SPIDER
 * label values) on the same geometry, and what the generator knows about them.
 *
 * @param spec what was asked for
 * @param image the MR volume, unsigned 16-bit, roughly 0-2000
 * @param mask labels: 0 background, 1-25 vertebrae numbered from the bottom, 100 spinal canal,
 *     101-125 partly visible vertebrae, 201-225 discs (200 + the vertebra above)
 * @param truth ground-truth facts (layout, axes, labels present)
 */
public record PhantomStudy(PhantomSpec spec, Image image, Image mask, PhantomTruth truth) {

  /** e.g. {@code phantom-7-t1}, or {@code phantom-7-shift-t1} for the shifted variant. */
  public String studyId() {
    return spec.studyId();
  }

  public Sequence sequence() {
    return spec.sequence();
  }

  public long seed() {
    return spec.seed();
  }
}
