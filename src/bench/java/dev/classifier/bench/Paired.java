package dev.classifier.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.classifier.inference.ExecutionProvider;
import dev.classifier.inference.SessionSettings;
import dev.classifier.inference.Spinning;
import dev.classifier.inference.ThreadBudget;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drift-cancelling measurements: the raw floor and the service timed in this JVM, interleaved so
 * that whatever the shared machine does to one it does to the other. Latency: one raw {@code
 * session.run} on a twin session (the same model file, the service's session options), then one
 * HTTP request, alternating; each pair gives one ratio, and the median of the ratios with its p10
 * and p90 is the figure. Throughput: alternating windows of raw parallel calls (one single-threaded
 * call per CPU, as adaptive threading runs a busy service) and of the service under N clients.
 */
final class Paired {

  private static final Pattern INFERENCE_MS = Pattern.compile("\"inferenceMs\":([0-9.Ee+-]+)");

  private Paired() {}

  /** A raw floor that can be timed once, returning its nanoseconds. */
  @FunctionalInterface
  interface Floor {
    long time() throws Exception;
  }

  /**
   * One run of pairs: per pair the service's end-to-end time, the floor's time, a reference floor's
   * (another model's twin, or the same as {@code raw}) and the session call the service reported.
   */
  record Pairs(long[] serviceNanos, long[] rawNanos, long[] referenceNanos, double[] inferenceMs) {

    int count() {
      return serviceNanos.length;
    }

    /** Service ÷ floor, per pair. */
    double[] ratios() {
      return divide(serviceNanos, rawNanos);
    }

    /** Service ÷ reference floor, per pair. */
    double[] referenceRatios() {
      return divide(serviceNanos, referenceNanos);
    }

    /** e2e − the session call inside the service, per pair, in ms. */
    double[] fixedCostMs() {
      double[] fixed = new double[count()];
      for (int i = 0; i < fixed.length; i++) {
        fixed[i] = serviceNanos[i] / 1e6 - inferenceMs[i];
      }
      return fixed;
    }

    /** The session call in the service ÷ the twin's, per pair: what the hand-off into it adds. */
    double[] sessionRatios() {
      double[] ratios = new double[count()];
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = inferenceMs[i] * 1e6 / rawNanos[i];
      }
      return ratios;
    }

    Latencies service() {
      return Latencies.of(serviceNanos);
    }

    Latencies raw() {
      return Latencies.of(rawNanos);
    }

    private static double[] divide(long[] a, long[] b) {
      double[] ratios = new double[a.length];
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = (double) a[i] / b[i];
      }
      return ratios;
    }
  }

  /** Median and spread of a set of ratios (nearest rank, as {@link Latencies}). */
  record Spread(double p10, double median, double p90, int n) {

    static Spread of(double[] values) {
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      return new Spread(rank(sorted, 10), rank(sorted, 50), rank(sorted, 90), sorted.length);
    }

    private static double rank(double[] sorted, double p) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    String text(String format) {
      return String.format(
          java.util.Locale.ROOT,
          format + " (p10 " + format + ", p90 " + format + ", n=%d)",
          median,
          p10,
          p90,
          n);
    }
  }

  /**
   * {@code pairs} pairs of (floor, then one request), alternating; refused or failed requests are
   * retried once by the next pair and counted in {@code errors}.
   */
  static Pairs latency(URI classify, byte[] body, Floor raw, Floor reference, int pairs)
      throws Exception {
    long[] service = new long[pairs];
    long[] floor = new long[pairs];
    long[] ref = new long[pairs];
    double[] inference = new double[pairs];
    int n = 0;
    int failures = 0;
    try (LeanHttpClient http = new LeanHttpClient(classify, "image/jpeg", body)) {
      while (n < pairs) {
        long rawNanos = raw.time();
        long refNanos = reference == raw ? rawNanos : reference.time();
        long start = System.nanoTime();
        LeanHttpClient.Response response = http.send();
        long nanos = System.nanoTime() - start;
        Matcher m = INFERENCE_MS.matcher(response.body());
        if (response.status() != 200 || !m.find()) {
          if (++failures > pairs) {
            throw new IllegalStateException(
                "the service failed " + failures + " requests; last status " + response.status());
          }
          continue;
        }
        service[n] = nanos;
        floor[n] = rawNanos;
        ref[n] = refNanos;
        inference[n] = Double.parseDouble(m.group(1));
        n++;
      }
    }
    return new Pairs(service, floor, ref, inference);
  }

  /** Alternating windows: the raw parallel floor's images/s and the service's, per round. */
  record Windows(int clients, double[] rawPerSecond, double[] servicePerSecond, int errors) {

    double[] ratios() {
      double[] ratios = new double[rawPerSecond.length];
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = servicePerSecond[i] / rawPerSecond[i];
      }
      return ratios;
    }
  }

  static Windows throughput(Twin twin, LoadRun load, int clients, Duration window, int rounds)
      throws Exception {
    double[] raw = new double[rounds];
    double[] service = new double[rounds];
    int errors = 0;
    for (int round = 0; round < rounds; round++) {
      raw[round] = twin.parallelPerSecond(window);
      LoadRun.Result result = load.run(clients, 0, window, n -> {});
      service[round] = result.throughput();
      errors += result.status429() + result.status503() + result.otherErrorCount();
    }
    return new Windows(clients, raw, service, errors);
  }

  /**
   * A twin of the service's session: the same model file opened with the service's own options, a
   * session for a call alone (every CPU) and a single-threaded one for overlapping calls.
   */
  static final class Twin implements AutoCloseable {

    private final int cpus;
    private final OrtSession.SessionOptions wideOptions = new OrtSession.SessionOptions();
    private final OrtSession.SessionOptions singleOptions = new OrtSession.SessionOptions();
    private final OrtSession wide;
    private final OrtSession single;
    private final OnnxTensor tensor;
    private final Map<String, OnnxTensor> feed;
    private final ExecutorService pool;

    Twin(Path model, Spinning spinning, float[] pixels) throws OrtException {
      cpus = Runtime.getRuntime().availableProcessors();
      SessionSettings settings =
          new SessionSettings(ExecutionProvider.CPU, 0, ThreadBudget.adaptive(cpus), spinning);
      settings.applyThreading(wideOptions);
      settings.applySingleThreaded(singleOptions);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      RawFloors.InputShape input = RawFloors.inputShape(model);
      wide = env.createSession(model.toString(), wideOptions);
      single = env.createSession(model.toString(), singleOptions);
      FloatBuffer buffer =
          ByteBuffer.allocateDirect(pixels.length * Float.BYTES)
              .order(ByteOrder.nativeOrder())
              .asFloatBuffer();
      buffer.put(pixels).flip();
      tensor = OnnxTensor.createTensor(env, buffer, input.shape());
      feed = Map.of(input.name(), tensor);
      pool = Executors.newFixedThreadPool(cpus);
      for (int i = 0; i < 5; i++) {
        time();
        single.run(feed).close();
      }
    }

    /** One call alone on every CPU, as the service runs a call alone; nanoseconds. */
    long time() throws OrtException {
      long start = System.nanoTime();
      try (OrtSession.Result ignored = wide.run(feed)) {
        return System.nanoTime() - start;
      }
    }

    /** One single-threaded call per CPU at once for {@code window}: images per second. */
    double parallelPerSecond(Duration window) throws Exception {
      long start = System.nanoTime();
      long stop = start + window.toNanos();
      List<Future<Integer>> counts = new ArrayList<>();
      for (int t = 0; t < cpus; t++) {
        counts.add(
            pool.submit(
                () -> {
                  int n = 0;
                  while (System.nanoTime() < stop) {
                    single.run(feed).close();
                    n++;
                  }
                  return n;
                }));
      }
      long runs = 0;
      for (Future<Integer> count : counts) {
        runs += count.get();
      }
      return runs / ((System.nanoTime() - start) / 1e9);
    }

    int streams() {
      return cpus;
    }

    @Override
    public void close() throws OrtException {
      pool.shutdownNow();
      tensor.close();
      wide.close();
      single.close();
      wideOptions.close();
      singleOptions.close();
    }
  }

  /**
   * TurboJPEG decoding the same JPEG as the service's own binding does it (the image package's
   * {@code NativeJpeg}: DCT-scaled to the smallest size that still covers the model's input), with
   * none of the service's checks around it: the decode floor of a large image.
   */
  static final class Decode {

    private final Object binding;
    private final java.lang.reflect.Method decode;
    private final byte[] jpeg;
    private final int width;
    private final int height;
    private final int target;

    Decode(byte[] jpeg, int width, int height, int target) throws Exception {
      Class<?> nativeJpeg = Class.forName("dev.classifier.image.NativeJpeg");
      java.lang.reflect.Method shared = nativeJpeg.getDeclaredMethod("shared", Path.class);
      shared.setAccessible(true);
      java.util.Optional<?> loaded =
          (java.util.Optional<?>) shared.invoke(null, Path.of("/usr/share/java/turbojpeg.jar"));
      binding = loaded.orElseThrow(() -> new IllegalStateException("TurboJPEG is not installed"));
      decode =
          nativeJpeg.getDeclaredMethod(
              "decode", byte[].class, int.class, int.class, int.class, int.class, int.class);
      decode.setAccessible(true);
      this.jpeg = jpeg;
      this.width = width;
      this.height = height;
      this.target = target;
      for (int i = 0; i < 3; i++) {
        time();
      }
    }

    /** One decode; nanoseconds. */
    long time() throws Exception {
      long start = System.nanoTime();
      Object result = decode.invoke(binding, jpeg, jpeg.length, width, height, target, target);
      long nanos = System.nanoTime() - start;
      if (result == null) {
        throw new IllegalStateException("TurboJPEG refused the benchmark's JPEG");
      }
      return nanos;
    }
  }
}
