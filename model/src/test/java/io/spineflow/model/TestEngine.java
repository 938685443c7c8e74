package io.spineflow.model;

/** Engine settings shared by the tests. */
final class TestEngine {

  /**
   * One intra-op thread: this 2-core machine is shared with other builds, and PyTorch's OpenMP pool
   * degrades badly (measured 2–5× slower steps) when its threads compete for busy cores.
   */
  static final int THREADS = 1;

  private TestEngine() {}
}
