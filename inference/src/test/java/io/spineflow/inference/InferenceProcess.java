package io.spineflow.inference;

import io.spineflow.platform.ServiceContext;
import io.spineflow.platform.ServiceLauncher;
import io.spineflow.platform.Settings;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The inference service alone in its own JVM, so a test can SIGKILL it mid-batch. Arguments:
 * bootstrap servers, topic prefix, model store, model name, instance id, data dir.
 */
public final class InferenceProcess {
  private InferenceProcess() {}

  public static void main(String[] args) throws InterruptedException {
    Settings settings =
        Settings.of(
            Map.of(
                "bootstrap.servers", args[0],
                "topic.prefix", args[1],
                "model.store", args[2],
                "model.name", args[3],
                "inference.instance.id", args[4],
                "data.dir", args[5],
                "inference.max.batch", "4",
                "inference.threads", "1"));
    ServiceContext context = ServiceContext.from("inference", settings);
    ServiceLauncher launcher = new ServiceLauncher();
    launcher.launch(context, InferenceService.create(context), 0, s -> Map.of());
    System.out.println("READY");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
