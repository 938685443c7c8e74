package io.spineflow.inference;

import io.spineflow.events.ModelAnnouncement;

/** Loads, verifies and warms up an announced model, off the inference loop's thread. */
public interface ModelLoader {
  /**
   * @param replacing a model is serving now: warm the new one up fully (every common batch shape)
   *     so the swap costs the hot path nothing; without one, only the safety check runs and the
   *     first slices are served sooner
   * @throws RejectedModel when the model must not be served (checksum, architecture, NaN output)
   */
  ServedModel load(ModelAnnouncement announcement, boolean replacing) throws RejectedModel;

  /** Where loaded models run ({@code cpu()}, {@code gpu(0)}), shown on /health. */
  default String device() {
    return "unknown";
  }

  /** Releases what the loader holds (a blob store's client); called when the service closes. */
  default void close() {}

  /** Why an announced model is not served; the previous model keeps serving. */
  final class RejectedModel extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reasonCode;
    private final String field;

    public RejectedModel(String reasonCode, String field, String message, Throwable cause) {
      super(message, cause);
      this.reasonCode = reasonCode;
      this.field = field;
    }

    public String reasonCode() {
      return reasonCode;
    }

    public String field() {
      return field;
    }
  }
}
