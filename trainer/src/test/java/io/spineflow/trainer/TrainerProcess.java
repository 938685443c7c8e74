package io.spineflow.trainer;

import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
    // The trainer has no state listener: its state is sampled every 50 ms and printed on change.
    AtomicReference<String> last = new AtomicReference<>("");
    ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
    printer.scheduleAtFixedRate(
        () -> {
          String state = trainer.state();
          if (!state.equals(last.getAndSet(state))) {
            System.out.println("STATE " + state);
            System.out.flush();
          }
        },
        0,
        50,
        TimeUnit.MILLISECONDS);
    new CountDownLatch(1).await(); // runs until the test kills the process
  }
}
