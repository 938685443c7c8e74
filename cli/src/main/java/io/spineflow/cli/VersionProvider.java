package io.spineflow.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Spineflow.class.getPackage().getImplementationVersion();
    return new String[] {"spineflow " + (version == null ? "development build" : version)};
  }
}
