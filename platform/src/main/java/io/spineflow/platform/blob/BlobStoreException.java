package io.spineflow.platform.blob;

/** A blob store operation that failed; the subclasses say which contract was broken. */
public class BlobStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BlobStoreException(String message) {
    super(message);
  }

  public BlobStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
