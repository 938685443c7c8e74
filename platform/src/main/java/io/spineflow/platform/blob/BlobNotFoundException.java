package io.spineflow.platform.blob;

/** No blob with that reference in the store (never written, or erased). */
public final class BlobNotFoundException extends BlobStoreException {
  private static final long serialVersionUID = 1L;

  public BlobNotFoundException(BlobRef ref, String store) {
    super("no blob " + ref + " in " + store);
  }
}
