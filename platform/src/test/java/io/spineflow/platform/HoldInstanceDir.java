package io.spineflow.platform;

import java.nio.file.Path;

/**
 * Another process holding a data directory's instance id ({@link InstanceIdentityTest}): takes it,
 * prints its id, and keeps it until its standard input closes.
 */
public final class HoldInstanceDir {
  private HoldInstanceDir() {}

  public static void main(String[] args) throws Exception {
    try (InstanceIdentity id = InstanceIdentity.resolve("", null, Path.of(args[0]))) {
      System.out.println("held " + id.id());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Until the parent closes our input.
      }
    }
  }
}
