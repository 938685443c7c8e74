package io.spineflow.model;

import ai.djl.engine.Engine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts DJL's PyTorch engine the one way that works on an offline machine.
 *
 * <p>DJL reads its settings from system properties exactly once, when the engine starts: {@code
 * ai.djl.offline} (without it DJL's telemetry calls a cloud metadata address on start-up, and a
 * PyTorch version other than the bundled one triggers a download that fails here) and the
 * intra-/inter-op thread counts. Setting them after the first {@code Engine.getEngine} call has no
 * effect, so every entry point of this module calls {@link #ensureStarted(int)} first.
 */
public final class DjlEngine {

  /** The engine this module is written for (Conv2dTranspose workarounds etc. are PyTorch's). */
  public static final String ENGINE_NAME = "PyTorch";

  static final String OFFLINE = "ai.djl.offline";
  static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
  static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

  private static final Logger LOG = LoggerFactory.getLogger(DjlEngine.class);
  private static Engine engine;

  private DjlEngine() {}

  /**
   * Sets the offline flag and thread counts (each only if not already set, so {@code -D} on the
   * command line wins), then starts the PyTorch engine. Idempotent: later calls return the running
   * engine and only log when they ask for a thread count the running engine does not have.
   *
   * @param threads intra-op threads for PyTorch; {@code <= 0} means one per available processor.
   *     Inter-op threads are set to 1: the services parallelise across requests themselves, and on
   *     2 cores a second inter-op pool only competes with the first.
   * @return the started engine
   */
  public static synchronized Engine ensureStarted(int threads) {
    int wanted = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    if (engine != null) {
      String running = System.getProperty(NUM_THREADS);
      if (!String.valueOf(wanted).equals(running)) {
        LOG.info(
            "PyTorch engine already running with {} intra-op threads; request for {} ignored",
            running,
            wanted);
      }
      return engine;
    }
    // DJL also reads the offline flag from DJL_OFFLINE; an explicit setting either way wins.
    if (System.getenv("DJL_OFFLINE") == null) {
      setIfAbsent(OFFLINE, "true");
    }
    setIfAbsent(NUM_THREADS, String.valueOf(wanted));
    setIfAbsent(NUM_INTEROP_THREADS, "1");
    engine = Engine.getEngine(ENGINE_NAME);
    LOG.info(
        "DJL {} engine {} started (offline={}, threads={}, interop={})",
        ENGINE_NAME,
        engine.getVersion(),
        System.getProperty(OFFLINE),
        System.getProperty(NUM_THREADS),
        System.getProperty(NUM_INTEROP_THREADS));
    return engine;
  }

  /**
   * The running engine, or {@link #ensureStarted(int)} with one thread per available processor if
   * none runs yet. Library code calls this; applications call {@link #ensureStarted(int)} first to
   * choose the thread count.
   */
  public static synchronized Engine ensureStarted() {
    return engine != null ? engine : ensureStarted(0);
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null && System.getenv(key) == null) {
      System.setProperty(key, value);
    }
  }
}
