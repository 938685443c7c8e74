/**
 * Synthetic SPIDER-like labelled lumbar-spine MR studies: {@link
 * io.spineflow.imaging.phantom.PhantomGenerator} turns a {@link
 * io.spineflow.imaging.phantom.PhantomSpec} (sequence, seed, shift, size scale, optional layout)
 * into a {@link io.spineflow.imaging.phantom.PhantomStudy}: a MET_USHORT image, a MET_UCHAR mask in
 * SPIDER label values and the ground truth a test needs. The anatomy is built in millimetres and
 * only then sampled onto a SPIDER-like grid, so spacing, orientation and array layout never change
 * the patient.
 */
package io.spineflow.imaging.phantom;
