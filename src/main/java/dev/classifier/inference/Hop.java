package dev.classifier.inference;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JDK Flight Recorder event marking where a request is and on which thread: the filter chain
 * starts, the body is complete, the core takes the images, the image is submitted, its session call
 * starts and ends, the answer is assembled, the exchange completes. A JFR event rather than a
 * timestamp list of our own because it costs nothing unless a recording enables it (the JVM
 * instruments event classes only then, and the allocation is scalar-replaced), it records the
 * thread and a precise clock itself, and it lands in the same recording as the JVM's thread-park,
 * monitor and sample events that say why a hand-off took as long as it did. The benchmark records
 * it (bench/run.sh, {@code dev.classifier.bench.Profile}).
 */
@Name("dev.classifier.Hop")
@Label("Request hop")
@Category("Classifier")
@Description("A request reached a stage of its path on the recorded thread")
@StackTrace(false)
public final class Hop extends Event {

  @Label("Stage")
  String stage;

  private Hop(String stage) {
    this.stage = stage;
  }

  /** Marks {@code stage} on the current thread, when a recording enables this event. */
  public static void mark(String stage) {
    Hop hop = new Hop(stage);
    if (hop.isEnabled()) {
      hop.commit();
    }
  }
}
