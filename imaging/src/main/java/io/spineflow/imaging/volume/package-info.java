/**
 * Study-level label volumes: the per-slice masks of one study put back into the original image's
 * own voxel grid ({@link io.spineflow.imaging.volume.LabelVolumeAssembler}), with SPIDER-style
 * values ({@link io.spineflow.imaging.volume.LabelValues}), a distinct value for the source slices
 * that were never segmented, and per-class volumes in millilitres. Pure functions: no Kafka, no
 * files.
 */
package io.spineflow.imaging.volume;
