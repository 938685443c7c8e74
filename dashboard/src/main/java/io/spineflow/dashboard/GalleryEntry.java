package io.spineflow.dashboard;

/** What a gallery slice's pictures are drawn from: the slice, its prediction, its label. */
public record GalleryEntry(
    String key, GalleryPart.SliceImage slice, GalleryPart.Prediction mask, long at) {}
