package dev.classifier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder profile of the service while it serves one client, started and stopped with
 * {@code jcmd}, and summarised by where the sampled Java threads were: in ONNX Runtime's native
 * {@code run}, decoding, resizing, in Tomcat, Spring MVC, JSON, logging, metrics or elsewhere. JFR
 * samples Java threads only: ONNX Runtime's own native intra-op threads do not appear, which is
 * fine, since the question is what the service adds on top of them.
 */
final class Profile {

  /** Samples per category, most first, and the hottest frames of the service's own code. */
  record Summary(int samples, Map<String, Integer> byCategory, Map<String, Integer> hotFrames) {}

  private static final Map<String, String> CATEGORIES = new LinkedHashMap<>();

  static {
    CATEGORIES.put("ai.onnxruntime.", "ONNX Runtime (Java side and native run)");
    CATEGORIES.put("dev.classifier.image.", "image decode and preprocessing (service)");
    CATEGORIES.put("com.twelvemonkeys.", "image decode (TwelveMonkeys)");
    CATEGORIES.put("com.sun.imageio.", "image decode (JDK ImageIO)");
    CATEGORIES.put("javax.imageio.", "image decode (JDK ImageIO)");
    CATEGORIES.put("org.libjpegturbo.", "image decode (libjpeg-turbo)");
    CATEGORIES.put("sun.java2d.", "image decode (JDK 2D)");
    CATEGORIES.put("java.awt.image.", "image decode (JDK 2D)");
    CATEGORIES.put("dev.classifier.explain.", "explanations (service)");
    CATEGORIES.put("dev.classifier.core.", "request path (service)");
    CATEGORIES.put("dev.classifier.http.", "request path (service)");
    CATEGORIES.put("dev.classifier.rest.", "request path (service)");
    CATEGORIES.put("dev.classifier.inference.", "batching and scores (service)");
    CATEGORIES.put("dev.classifier.", "other service code");
    CATEGORIES.put("org.apache.tomcat.", "Tomcat");
    CATEGORIES.put("org.apache.catalina.", "Tomcat");
    CATEGORIES.put("org.apache.coyote.", "Tomcat");
    CATEGORIES.put("tools.jackson.", "JSON (Jackson)");
    CATEGORIES.put("com.fasterxml.", "JSON (Jackson)");
    CATEGORIES.put("org.springframework.", "Spring");
    CATEGORIES.put("ch.qos.logback.", "logging");
    CATEGORIES.put("org.slf4j.", "logging");
    CATEGORIES.put("io.micrometer.", "metrics");
    CATEGORIES.put("java.", "JDK (collections, I/O, concurrency)");
    CATEGORIES.put("jdk.", "JDK (collections, I/O, concurrency)");
    CATEGORIES.put("sun.", "JDK (collections, I/O, concurrency)");
  }

  private Profile() {}

  static void start(long pid, Path file) throws IOException, InterruptedException {
    jcmd(pid, "JFR.start", "name=bench", "settings=profile", "filename=" + file);
  }

  /** A recording with the given settings file (a .jfc path). */
  static void start(long pid, Path file, Path settings) throws IOException, InterruptedException {
    jcmd(pid, "JFR.start", "name=bench", "settings=" + settings, "filename=" + file);
  }

  /** Stops the recording and writes its file, without summarising it. */
  static void stopRecording(long pid) throws IOException, InterruptedException {
    jcmd(pid, "JFR.stop", "name=bench");
  }

  static Summary stop(long pid, Path file) throws IOException, InterruptedException {
    jcmd(pid, "JFR.stop", "name=bench");
    return summarise(file);
  }

  /** Categorises each sample by its innermost frame that is not a JDK helper of the code above. */
  static Summary summarise(Path file) throws IOException {
    Map<String, Integer> byCategory = new TreeMap<>();
    Map<String, Integer> hot = new TreeMap<>();
    int samples = 0;
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    for (RecordedEvent event : events) {
      String type = event.getEventType().getName();
      if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      String thread =
          event.getThread("sampledThread") == null
              ? ""
              : event.getThread("sampledThread").getJavaName();
      if (thread == null || thread.startsWith("upload-watchdog") || thread.startsWith("rss-")) {
        continue;
      }
      // Idle threads parked in a queue or a poller are not work.
      String top = frameName(stack.getFrames().get(0));
      if (type.equals("jdk.NativeMethodSample") && !top.startsWith("ai.onnxruntime.")) {
        continue;
      }
      samples++;
      String category = category(stack.getFrames());
      byCategory.merge(category, 1, Integer::sum);
      for (RecordedFrame frame : stack.getFrames()) {
        String name = frameName(frame);
        if (name.startsWith("dev.classifier.")) {
          hot.merge(name, 1, Integer::sum);
          break;
        }
      }
    }
    return new Summary(samples, sortDescending(byCategory), top(sortDescending(hot), 12));
  }

  private static String category(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String name = frameName(frame);
      if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.nio.")) {
        continue; // attribute JDK helpers to whoever called them
      }
      for (Map.Entry<String, String> category : CATEGORIES.entrySet()) {
        if (name.startsWith(category.getKey())) {
          return category.getValue();
        }
      }
      return "other libraries";
    }
    return "JDK (collections, I/O, concurrency)";
  }

  private static String frameName(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static Map<String, Integer> sortDescending(Map<String, Integer> counts) {
    Map<String, Integer> sorted = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  private static Map<String, Integer> top(Map<String, Integer> counts, int n) {
    Map<String, Integer> top = new LinkedHashMap<>();
    counts.entrySet().stream().limit(n).forEach(e -> top.put(e.getKey(), e.getValue()));
    return top;
  }

  private static void jcmd(long pid, String... args) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String[] command = new String[args.length + 2];
    command[0] = Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd";
    command[1] = Long.toString(pid);
    System.arraycopy(args, 0, command, 2, args.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + String.join(" ", args) + " failed: " + output);
    }
  }
}
