package io.spineflow.dashboard;

/**
 * The parts of one slice seen so far, waiting for the rest.
 *
 * @param orderKey its key in {@link DashboardStores#GALLERY_PENDING_ORDER}
 */
public record GalleryPending(String orderKey, GalleryPart parts) {}
