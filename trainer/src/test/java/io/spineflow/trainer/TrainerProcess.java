package io.spineflow.trainer;

import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import java.util.HashMap;
import java.util.Map;

/**
 * The trainer alone in its own JVM, so a test can SIGKILL it mid-run. Arguments: {@code key=value}
 * settings. Prints {@code READY} once launched, then {@code STATE <state>} at every change of its
 * state (STANDBY, IDLE, TRAINING, ...), so the test knows when it is active and when it trains.
 */
public final class TrainerProcess {
  private TrainerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> values = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Settings settings = Settings.of(values);
    ServiceContext context = ServiceContext.from(TrainerService.NAME, settings);
    ServiceLauncher launcher = new ServiceLauncher();
    TrainerService trainer =
        launcher.launch(context, TrainerService.create(context), 0, s -> Map.of());
    System.out.println("READY");
    String last = "";
    while (true) {
      String state = trainer.state();
      if (!state.equals(last)) {
        System.out.println("STATE " + state);
        System.out.flush();
        last = state;
      }
      Thread.sleep(50); // a status printer, not a wait on the pipeline
    }
  }
}
