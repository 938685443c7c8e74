package io.spineflow.platform.blob;

/** A blob above the store's size limit; the message names the setting that sets it. */
public final class BlobTooLargeException extends BlobStoreException {
  private static final long serialVersionUID = 1L;

  public BlobTooLargeException(long maxBytes) {
    super(
        "blob larger than "
            + maxBytes
            + " bytes, the limit set by "
            + BlobStoreSettings.MAX_BYTES.name());
  }
}
