package dev.classifier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Every hop of a request, from a JFR recording of the service serving one client at a time: the
 * service's own {@code dev.classifier.Hop} events (filter chain starts, body complete, core takes
 * the images, submitted, session call starts and ends, answer assembled, exchange completes), each
 * with its thread, split into requests, and the time between consecutive stages at the median; a
 * step whose two stages ran on different threads is a hand-off. The JVM's own thread-park and
 * monitor-wait events in the same recording (thresholds at 0) say how long each role's threads were
 * parked inside a request.
 */
final class Hops {

  /** One step: from one stage to the next, the threads' roles, and its duration percentiles. */
  record Step(String from, String to, String fromThread, String toThread, Latencies nanos) {
    boolean handOff() {
      return !fromThread.equals(toThread);
    }
  }

  /**
   * The steps in path order, the whole traced span (first stage to last), parked time per role
   * inside a request (median), and the requests analysed.
   */
  record Breakdown(
      List<Step> steps, Latencies traced, Map<String, Latencies> parkedByRole, int requests) {}

  private static final Pattern EXEC = Pattern.compile("http-nio-.*-exec-\\d+");

  private Hops() {}

  /**
   * A copy of the JDK's {@code profile} settings with the thread-park, monitor and socket events at
   * a 0 ms threshold, so every hand-off's park shows.
   */
  static Path settings(Path dir) throws IOException {
    Path profile = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
    String jfc = Files.readString(profile);
    for (String event :
        List.of(
            "jdk.ThreadPark",
            "jdk.JavaMonitorWait",
            "jdk.JavaMonitorEnter",
            "jdk.SocketRead",
            "jdk.SocketWrite")) {
      jfc =
          jfc.replaceAll(
              "(?s)(<event name=\""
                  + Pattern.quote(event)
                  + "\">.*?<setting name=\"threshold\"[^>]*>)[^<]*(</setting>)",
              "$10 ms$2");
    }
    Path out = dir.resolve("hops.jfc");
    Files.writeString(out, jfc);
    return out;
  }

  /** What a thread is, by its name: the hand-offs are between these roles. */
  static String role(String thread) {
    if (thread == null) {
      return "?";
    }
    if (EXEC.matcher(thread).matches()) {
      return "container thread";
    }
    if (thread.startsWith("inference-deadlines")) {
      return "deadline timer";
    }
    if (thread.startsWith("inference-")) {
      return "inference worker";
    }
    if (thread.startsWith("responses-")) {
      return "responses executor";
    }
    if (thread.contains("Poller")) {
      return "Tomcat poller";
    }
    return thread;
  }

  static Breakdown analyse(Path recording) throws IOException {
    return analyse(RecordingFile.readAllEvents(recording));
  }

  static Breakdown analyse(List<RecordedEvent> events) {
    List<RecordedEvent> hops = new ArrayList<>();
    List<RecordedEvent> parks = new ArrayList<>();
    for (RecordedEvent event : events) {
      String type = event.getEventType().getName();
      if (type.equals("dev.classifier.Hop")) {
        hops.add(event);
      } else if (type.equals("jdk.ThreadPark") || type.equals("jdk.JavaMonitorWait")) {
        parks.add(event);
      }
    }
    hops.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
    // Split into requests: one client, so each runs from "request" to "completed" alone.
    List<List<RecordedEvent>> requests = new ArrayList<>();
    List<RecordedEvent> current = null;
    for (RecordedEvent hop : hops) {
      String stage = hop.getString("stage");
      if (stage.equals("request")) {
        current = new ArrayList<>();
      }
      if (current == null) {
        continue;
      }
      current.add(hop);
      if (stage.equals("completed")) {
        if (current.stream().anyMatch(e -> e.getString("stage").equals("session-start"))) {
          requests.add(current);
        }
        current = null;
      }
    }
    Map<String, List<Long>> gaps = new LinkedHashMap<>();
    Map<String, String[]> names = new LinkedHashMap<>();
    List<Long> traced = new ArrayList<>();
    Map<String, List<Long>> parked = new LinkedHashMap<>();
    for (List<RecordedEvent> request : requests) {
      for (int i = 1; i < request.size(); i++) {
        RecordedEvent a = request.get(i - 1);
        RecordedEvent b = request.get(i);
        String from = role(threadName(a));
        String to = role(threadName(b));
        String key = a.getString("stage") + "|" + b.getString("stage") + "|" + from + "|" + to;
        names.putIfAbsent(key, new String[] {a.getString("stage"), b.getString("stage"), from, to});
        gaps.computeIfAbsent(key, k -> new ArrayList<>())
            .add(Duration.between(a.getStartTime(), b.getStartTime()).toNanos());
      }
      java.time.Instant start = request.get(0).getStartTime();
      java.time.Instant end = request.get(request.size() - 1).getStartTime();
      traced.add(Duration.between(start, end).toNanos());
      Map<String, Long> byRole = new LinkedHashMap<>();
      for (RecordedEvent park : parks) {
        java.time.Instant from = max(park.getStartTime(), start);
        java.time.Instant to = min(park.getEndTime(), end);
        if (from.isBefore(to)) {
          byRole.merge(role(threadName(park)), Duration.between(from, to).toNanos(), Long::sum);
        }
      }
      byRole.forEach(
          (role, nanos) -> parked.computeIfAbsent(role, k -> new ArrayList<>()).add(nanos));
    }
    List<Step> steps = new ArrayList<>();
    gaps.forEach(
        (key, values) -> {
          String[] n = names.get(key);
          steps.add(new Step(n[0], n[1], n[2], n[3], Latencies.of(toArray(values))));
        });
    Map<String, Latencies> parkedByRole = new LinkedHashMap<>();
    parked.forEach((role, values) -> parkedByRole.put(role, Latencies.of(toArray(values))));
    return new Breakdown(steps, Latencies.of(toArray(traced)), parkedByRole, requests.size());
  }

  private static String threadName(RecordedEvent event) {
    RecordedThread thread = event.getThread();
    return thread == null ? null : thread.getJavaName();
  }

  private static java.time.Instant max(java.time.Instant a, java.time.Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static java.time.Instant min(java.time.Instant a, java.time.Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static long[] toArray(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }
}
