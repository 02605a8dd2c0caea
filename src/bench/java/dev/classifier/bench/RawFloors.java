package dev.classifier.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.classifier.inference.ExecutionProvider;
import dev.classifier.inference.SessionSettings;
import dev.classifier.inference.Spinning;
import dev.classifier.inference.ThreadBudget;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The floor, honestly: raw {@code session.run} at batch 1 in this JVM under several threading
 * configurations, ONNX Runtime's defaults among them, measured interleaved (round-robin blocks) so
 * drift on a shared machine hits them all alike. The fastest median is the floor every ratio is
 * taken against; the service's own configuration is reported beside it.
 */
final class RawFloors {

  /** How one candidate's session options are set. */
  @FunctionalInterface
  interface Setup {
    void apply(OrtSession.SessionOptions options) throws OrtException;
  }

  /** One way of configuring the session's threads. */
  record Config(String name, String description, Setup setup) {}

  /**
   * ONNX Runtime exactly as it comes (no option set at all), and the service's own session options
   * ({@link SessionSettings#applyThreading}: intra-op threads from the CPU budget, one inter-op
   * thread, sequential, all optimisations) under each {@link Spinning} choice.
   */
  static List<Config> candidates(int cpus) {
    List<Config> configs = new ArrayList<>();
    configs.add(new Config("ort-defaults", "ONNX Runtime's defaults (no option set)", o -> {}));
    for (Spinning spinning : Spinning.values()) {
      SessionSettings settings =
          new SessionSettings(ExecutionProvider.CPU, 0, ThreadBudget.of(cpus, 1, 0), spinning);
      configs.add(
          new Config(
              serviceName(spinning),
              "the service's session options, "
                  + settings.threads().intraOpThreads()
                  + " intra-op threads, spinning "
                  + spinning.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                  + " "
                  + spinning.sessionConfig(),
              settings::applyThreading));
    }
    return configs;
  }

  /** The candidate that runs exactly as the service does with {@code spinning}. */
  static String serviceName(Spinning spinning) {
    return "service-spin-" + spinning.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** The model's input name and its shape at batch 1, read from the graph. */
  record InputShape(String name, long[] shape) {}

  static InputShape inputShape(Path model) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model.toString(), options)) {
      Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
      long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape().clone();
      shape[0] = 1;
      return new InputShape(input.getKey(), shape);
    }
  }

  /** Medians and the like per configuration, in the order measured. */
  record Result(Map<Config, Latencies> latencies, Map<Config, Double> cpuMillisPerRun) {

    Config fastest() {
      return latencies.entrySet().stream()
          .min((a, b) -> Double.compare(a.getValue().medianMs(), b.getValue().medianMs()))
          .orElseThrow()
          .getKey();
    }

    Latencies of(String name) {
      return latencies.entrySet().stream()
          .filter(e -> e.getKey().name().equals(name))
          .findFirst()
          .orElseThrow()
          .getValue();
    }
  }

  private RawFloors() {}

  /**
   * @param rounds round-robin rounds of {@code perRound} runs per configuration each
   */
  static Result measure(
      Path model, List<Config> configs, float[] pixels, int warmUp, int rounds, int perRound)
      throws OrtException {
    InputShape input = inputShape(model);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    FloatBuffer buffer = direct(pixels);
    Map<Config, OrtSession> sessions = new LinkedHashMap<>();
    Map<Config, OrtSession.SessionOptions> options = new LinkedHashMap<>();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, input.shape())) {
      Map<String, OnnxTensor> feed = Map.of(input.name(), tensor);
      for (Config config : configs) {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        config.setup().apply(opts);
        options.put(config, opts);
        OrtSession session = env.createSession(model.toString(), opts);
        sessions.put(config, session);
        for (int i = 0; i < warmUp; i++) {
          try (OrtSession.Result ignored = session.run(feed)) {
            // arenas, kernel selection, caches
          }
        }
      }
      Map<Config, long[]> nanos = new LinkedHashMap<>();
      Map<Config, Double> cpu = new LinkedHashMap<>();
      configs.forEach(c -> nanos.put(c, new long[rounds * perRound]));
      configs.forEach(c -> cpu.put(c, 0.0));
      for (int round = 0; round < rounds; round++) {
        for (Config config : configs) {
          OrtSession session = sessions.get(config);
          double cpuStart = Cpu.selfMillis();
          for (int i = 0; i < perRound; i++) {
            long start = System.nanoTime();
            try (OrtSession.Result ignored = session.run(feed)) {
              nanos.get(config)[round * perRound + i] = System.nanoTime() - start;
            }
          }
          cpu.merge(config, Cpu.selfMillis() - cpuStart, Double::sum);
        }
      }
      Map<Config, Latencies> latencies = new LinkedHashMap<>();
      Map<Config, Double> cpuPerRun = new LinkedHashMap<>();
      for (Config config : configs) {
        latencies.put(config, Latencies.of(nanos.get(config)));
        cpuPerRun.put(config, cpu.get(config) / (rounds * perRound));
      }
      return new Result(latencies, cpuPerRun);
    } finally {
      for (OrtSession session : sessions.values()) {
        session.close();
      }
      options.values().forEach(OrtSession.SessionOptions::close);
    }
  }

  /**
   * Milliseconds per image at each batch size, for one configuration: the median session call
   * divided by its batch size. Batching raises throughput where this falls below batch 1's.
   */
  static Map<Integer, Double> perImageMillis(
      Path model, Config config, float[] pixels, int[] batchSizes, int runs) throws OrtException {
    InputShape input = inputShape(model);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<Integer, Double> perImage = new LinkedHashMap<>();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      config.setup().apply(opts);
      try (OrtSession session = env.createSession(model.toString(), opts)) {
        for (int n : batchSizes) {
          FloatBuffer buffer =
              ByteBuffer.allocateDirect(n * pixels.length * Float.BYTES)
                  .order(ByteOrder.nativeOrder())
                  .asFloatBuffer();
          for (int i = 0; i < n; i++) {
            buffer.put(pixels);
          }
          buffer.flip();
          long[] shape = input.shape().clone();
          shape[0] = n;
          try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, shape)) {
            Map<String, OnnxTensor> feed = Map.of(input.name(), tensor);
            for (int i = 0; i < 5; i++) {
              try (OrtSession.Result ignored = session.run(feed)) {
                // warm-up at this size
              }
            }
            long[] nanos = new long[Math.max(3, runs / n)];
            for (int i = 0; i < nanos.length; i++) {
              long start = System.nanoTime();
              try (OrtSession.Result ignored = session.run(feed)) {
                nanos[i] = System.nanoTime() - start;
              }
            }
            perImage.put(n, Latencies.of(nanos).medianMs() / n);
          }
        }
      }
    }
    return perImage;
  }

  /**
   * Raw throughput with {@code streams} threads calling one single-threaded session at once, the
   * way adaptive threading runs a busy service, beside the fastest configuration's single stream;
   * the two alternate in {@code rounds} blocks of {@code each} so drift hits both alike.
   */
  record Parallel(
      int streams,
      double imagesPerSecond,
      double singleStreamImagesPerSecond,
      double cpuMillisPerImage) {}

  static Parallel parallel(
      Path model, Config fastest, float[] pixels, int streams, java.time.Duration each, int rounds)
      throws Exception {
    InputShape input = inputShape(model);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    FloatBuffer buffer = direct(pixels);
    SessionSettings service =
        new SessionSettings(ExecutionProvider.CPU, 0, ThreadBudget.adaptive(streams), Spinning.OFF);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(streams);
    try (OrtSession.SessionOptions wideOptions = new OrtSession.SessionOptions();
        OrtSession.SessionOptions singleOptions = new OrtSession.SessionOptions();
        OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, input.shape())) {
      fastest.setup().apply(wideOptions);
      service.applySingleThreaded(singleOptions);
      Map<String, OnnxTensor> feed = Map.of(input.name(), tensor);
      try (OrtSession wide = env.createSession(model.toString(), wideOptions);
          OrtSession single = env.createSession(model.toString(), singleOptions)) {
        for (int i = 0; i < 5; i++) {
          wide.run(feed).close();
          single.run(feed).close();
        }
        long wideRuns = 0;
        long wideNanos = 0;
        long parallelRuns = 0;
        long parallelNanos = 0;
        double parallelCpu = 0;
        for (int round = 0; round < rounds; round++) {
          long start = System.nanoTime();
          long end = start + each.toNanos();
          while (System.nanoTime() < end) {
            wide.run(feed).close();
            wideRuns++;
          }
          wideNanos += System.nanoTime() - start;
          double cpuStart = Cpu.selfMillis();
          start = System.nanoTime();
          long stop = start + each.toNanos();
          List<java.util.concurrent.Future<Integer>> counts = new ArrayList<>();
          for (int t = 0; t < streams; t++) {
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
          for (java.util.concurrent.Future<Integer> count : counts) {
            parallelRuns += count.get();
          }
          parallelNanos += System.nanoTime() - start;
          parallelCpu += Cpu.selfMillis() - cpuStart;
        }
        return new Parallel(
            streams,
            parallelRuns / (parallelNanos / 1e9),
            wideRuns / (wideNanos / 1e9),
            parallelCpu / parallelRuns);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * One configuration's session kept open in this JVM while the service runs, timed between the
   * service's scenarios (the service idle): the machine's speed drifts over a run of many minutes,
   * so a ratio to a floor measured beside the scenario says more than one to the floor measured at
   * the start.
   */
  static final class Beside implements AutoCloseable {

    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final OnnxTensor tensor;
    private final Map<String, OnnxTensor> feed;

    Beside(Path model, Config config, float[] pixels) throws OrtException {
      InputShape input = inputShape(model);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      options = new OrtSession.SessionOptions();
      config.setup().apply(options);
      session = env.createSession(model.toString(), options);
      tensor = OnnxTensor.createTensor(env, direct(pixels), input.shape());
      feed = Map.of(input.name(), tensor);
      time(5);
    }

    /** {@code runs} back-to-back session calls, batch 1. */
    Latencies time(int runs) throws OrtException {
      long[] nanos = new long[runs];
      for (int i = 0; i < runs; i++) {
        long start = System.nanoTime();
        try (OrtSession.Result ignored = session.run(feed)) {
          nanos[i] = System.nanoTime() - start;
        }
      }
      return Latencies.of(nanos);
    }

    @Override
    public void close() throws OrtException {
      tensor.close();
      session.close();
      options.close();
    }
  }

  /** The image in a direct buffer, so a tensor over it copies nothing. */
  private static FloatBuffer direct(float[] pixels) {
    FloatBuffer buffer =
        ByteBuffer.allocateDirect(pixels.length * Float.BYTES)
            .order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    buffer.put(pixels).flip();
    return buffer;
  }

  /** Standalone: {@code RawFloors <model> [threads] [rounds]}, prints a table. */
  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "models/xception.onnx");
    int threads =
        args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    float[] pixels = new float[3 * 299 * 299];
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble(-1, 1);
    }
    Result result = measure(model, candidates(threads), pixels, 10, rounds, 10);
    System.out.printf(
        "%-14s %9s %9s %9s %12s%n", "config", "p10 ms", "median ms", "p90 ms", "CPU ms/run");
    result
        .latencies()
        .forEach(
            (config, latencies) ->
                System.out.printf(
                    "%-14s %9.1f %9.1f %9.1f %12.1f   %s%n",
                    config.name(),
                    latencies.percentileMs(10),
                    latencies.medianMs(),
                    latencies.percentileMs(90),
                    result.cpuMillisPerRun().get(config),
                    config.description()));
    System.out.println("fastest: " + result.fastest().name());
    System.out.println(
        "per image by batch size ("
            + result.fastest().name()
            + "): "
            + perImageMillis(model, result.fastest(), pixels, new int[] {1, 2, 4}, 60));
  }
}
