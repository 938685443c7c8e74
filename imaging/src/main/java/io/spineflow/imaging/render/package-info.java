/**
 * PNG rendering of 2D slices for humans: {@link io.spineflow.imaging.render.SliceExtractor} cuts a
 * slice out of a 3D image (as stored, or turned upright from the direction cosines), {@link
 * io.spineflow.imaging.render.SliceRenderer} windows it to greyscale with an optional overlay of
 * the four segmentation classes, and {@link io.spineflow.imaging.render.ContactSheet} tiles several
 * of them. Pure {@code java.awt.image}, headless.
 */
package io.spineflow.imaging.render;
