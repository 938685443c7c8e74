package io.spineflow.delivery;

/**
 * Reason codes of delivery's dead letters. Matched by operators: never rename or reuse a constant.
 */
enum DeliveryReason {
  /** A target still failed after every attempt (unreachable, busy, out of resources). */
  DELIVERY_FAILED,
  /** A target refused the Segmentation in a way a retry cannot change (4xx, refused SOP class). */
  DELIVERY_REFUSED,
  /** The Segmentation's blob could not be read (missing, corrupt, the store unreachable). */
  SEGMENTATION_UNREADABLE
}
