package dev.classifier.bench;

import com.google.protobuf.ByteString;
import dev.classifier.grpc.proto.GRPCInferenceServiceGrpc;
import dev.classifier.grpc.proto.ModelInferRequest;
import dev.classifier.inference.Spinning;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Open Inference Protocol's benchmark (issue 24), run by {@code bench/run.sh --oip}: the gRPC
 * FP32-tensor path at 1 client against the fastest raw ONNX Runtime floor (no decode: the target is
 * ≤ 1.03), V2 binary JPEG and gRPC JPEG against /v1 at 1, 4 and 8 clients (target: within 2 %), and
 * the bytes on the wire per image of each form. One service, started like {@link Benchmark} starts
 * it; writes a markdown section to {@code --out}. Never fails on speed.
 */
public final class OipBench {

  static final String HEADING = "## Open Inference Protocol";

  private static final Pattern GRPC_PORT = Pattern.compile("gRPC server listening on port (\\d+)");

  private OipBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new TreeMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      options.put(
          arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "" : arg.substring(eq + 1));
    }
    boolean smoke = options.containsKey("smoke");
    int requests = smoke ? 20 : 300;
    Path jar = Path.of(options.getOrDefault("jar", "target/xception-classifier.jar"));
    Path model = Path.of(options.getOrDefault("model", "models/xception.onnx"));
    int port = Integer.parseInt(options.getOrDefault("port", "18080"));
    Path out = Path.of(options.getOrDefault("out", "target/benchmarks-oip.md"));
    List<String> javaOptions =
        List.of(options.getOrDefault("service-opts", "-Xmx384m").trim().split("\\s+"));
    Path work = Files.createDirectories(Path.of("target", "bench"));

    RawFloors.InputShape input = RawFloors.inputShape(model);
    float[] tensor =
        new float[(int) Arrays.stream(input.shape()).skip(1).reduce(1, (a, b) -> a * b)];
    Arrays.fill(tensor, 0.25f);
    int cpus = Runtime.getRuntime().availableProcessors();
    RawFloors.Result floors =
        RawFloors.measure(
            model,
            RawFloors.candidates(cpus),
            tensor,
            smoke ? 2 : 5,
            smoke ? 2 : 5,
            smoke ? 5 : 20);
    double floorMs =
        floors.latencies().values().stream().mapToDouble(Latencies::medianMs).min().orElseThrow();
    Benchmark.log("fastest raw floor: %.2f ms", floorMs);

    byte[] jpeg = BenchImages.photoLikeJpeg(640, 480, 7);
    StringBuilder report = new StringBuilder(HEADING + "\n\n");
    report.append(smoke ? "SMOKE (small counts: proves the harness only)\n\n" : "");
    try (ServiceProcess service =
        ServiceProcess.start(jar, port, javaOptions, List.of(), work.resolve("oip.log"))) {
      int grpcPort = grpcPort(work.resolve("oip.log"));
      String name = "xception";
      ModelInferRequest tensorRequest = tensorRequest(name, input, tensor);
      ModelInferRequest jpegRequest = imageRequest(name + "-image", jpeg);

      LoadRun v1 = new LoadRun(service.base().resolve("/v1/classify"), jpeg);
      String header = v2BinaryHeader(jpeg.length);
      LoadRun v2Binary =
          new LoadRun(
              service.base().resolve("/v2/models/" + name + "-image/infer"),
              "application/octet-stream",
              "Inference-Header-Content-Length: " + header.length() + "\r\n",
              v2BinaryBody(header, jpeg));
      String json = v2Json(jpeg);
      LoadRun v2Json =
          new LoadRun(
              service.base().resolve("/v2/models/" + name + "-image/infer"),
              "application/json",
              "",
              json.getBytes(StandardCharsets.UTF_8));

      Latencies tensorOne = grpc(grpcPort, tensorRequest, 1, requests);
      Paired.Spread paired = pairedWithTwin(model, tensor, grpcPort, tensorRequest, requests);
      report
          .append("| gRPC FP32 tensor, 1 client | median ms | ÷ fastest raw floor (")
          .append(String.format(Locale.ROOT, "%.2f ms", floorMs))
          .append(
              ") | paired: ÷ the twin session's call just before, median of per-pair ratios |"
                  + " target |\n|---|---|---|---|---|\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "| | %.2f | %.3f | %s | ≤ 1.03 |\n\n",
                  tensorOne.medianMs(),
                  tensorOne.medianMs() / floorMs,
                  paired.text("%.3f")));

      report.append(
          "| clients | /v1 JPEG req/s | V2 binary JPEG req/s (÷ /v1) | gRPC JPEG req/s (÷ /v1) |\n"
              + "|---|---|---|---|\n");
      // Rounds in rotating order (v1, binary, gRPC; binary, gRPC, v1; ...), so the machine's drift
      // within a run falls on every form alike; each rate is requests over the summed round times.
      int rounds = smoke ? 1 : 5;
      for (int clients : new int[] {1, 4, 8}) {
        double[] seconds = new double[3];
        int[] answered = new int[3];
        for (int round = 0; round < rounds; round++) {
          for (int k = 0; k < 3; k++) {
            int form = (round + k) % 3;
            int n = requests / rounds;
            long start = System.nanoTime();
            answered[form] +=
                switch (form) {
                  case 0 -> v1.run(clients, n, Duration.ZERO, x -> {}).accepted().count();
                  case 1 -> v2Binary.run(clients, n, Duration.ZERO, x -> {}).accepted().count();
                  default -> grpc(grpcPort, jpegRequest, clients, n).count();
                };
            seconds[form] += (System.nanoTime() - start) / 1e9;
          }
        }
        double v1Rate = answered[0] / seconds[0];
        double binaryRate = answered[1] / seconds[1];
        double grpcRate = answered[2] / seconds[2];
        report.append(
            String.format(
                Locale.ROOT,
                "| %d | %.1f | %.1f (%.3f) | %.1f (%.3f) |\n",
                clients,
                v1Rate,
                binaryRate,
                binaryRate / v1Rate,
                grpcRate,
                grpcRate / v1Rate));
        Benchmark.log(
            "%d clients: /v1 %.1f/s, V2 binary %.1f/s, gRPC %.1f/s",
            clients, v1Rate, binaryRate, grpcRate);
      }

      report
          .append("\n| form (one 640×480 JPEG of ")
          .append(jpeg.length)
          .append(" bytes) | request bytes on the wire |\n|---|---|\n")
          .append("| /v1 raw body | ")
          .append(v1.requestBytes())
          .append(" |\n| V2 REST binary extension | ")
          .append(v2Binary.requestBytes())
          .append(" |\n| V2 REST JSON (base64) | ")
          .append(v2Json.requestBytes())
          .append(" |\n| gRPC JPEG (message + 5-byte frame; HTTP/2 headers not counted) | ")
          .append(jpegRequest.getSerializedSize() + 5)
          .append(" |\n| gRPC FP32 tensor (message + 5-byte frame) | ")
          .append(tensorRequest.getSerializedSize() + 5)
          .append(" |\n");
    }
    String existing = Files.isRegularFile(out) ? Files.readString(out) : "";
    Files.writeString(out, MarkdownSections.replace(existing, report.toString()));
    Benchmark.log("wrote the section %s of %s", HEADING, out);
  }

  /**
   * The gRPC tensor call against raw ONNX Runtime, drift cancelled: a call on a twin of the
   * service's session (the same file and session options, in this JVM), then one ModelInfer,
   * alternating; the median of the per-pair ratios.
   */
  private static Paired.Spread pairedWithTwin(
      Path model, float[] tensor, int port, ModelInferRequest request, int pairs) throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .build();
    try (Paired.Twin twin = new Paired.Twin(model, Spinning.DURING_RUNS, tensor)) {
      var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
      for (int i = 0; i < 5; i++) {
        stub.modelInfer(request);
      }
      double[] ratios = new double[pairs];
      for (int i = 0; i < pairs; i++) {
        long raw = twin.time();
        long start = System.nanoTime();
        stub.modelInfer(request);
        ratios[i] = (System.nanoTime() - start) / (double) raw;
      }
      return Paired.Spread.of(ratios);
    } finally {
      channel.shutdownNow();
    }
  }

  /** The gRPC port the service logged (the bench starts it with port 0). */
  private static int grpcPort(Path log) throws IOException {
    Matcher m = GRPC_PORT.matcher(Files.readString(log));
    if (!m.find()) {
      throw new IllegalStateException("the service did not log its gRPC port in " + log);
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * Latencies of {@code requests} ModelInfer calls from {@code clients} threads, one channel each.
   */
  static Latencies grpc(int port, ModelInferRequest request, int clients, int requests)
      throws InterruptedException {
    AtomicInteger issued = new AtomicInteger();
    long[][] perClient = new long[clients][];
    List<Thread> threads = new ArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    for (int c = 0; c < clients; c++) {
      long[] nanos = new long[requests];
      int index = c;
      int[] count = {0};
      Thread thread =
          new Thread(
              () -> {
                ManagedChannel channel =
                    NettyChannelBuilder.forAddress("127.0.0.1", port)
                        .usePlaintext()
                        .maxInboundMessageSize(64 << 20)
                        .build();
                try {
                  var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
                  while (issued.getAndIncrement() < requests) {
                    long start = System.nanoTime();
                    try {
                      stub.modelInfer(request);
                      nanos[count[0]++] = System.nanoTime() - start;
                    } catch (StatusRuntimeException e) {
                      failures.incrementAndGet();
                    }
                  }
                } finally {
                  channel.shutdownNow();
                }
                perClient[index] = Arrays.copyOf(nanos, count[0]);
              },
              "bench-grpc");
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join(TimeUnit.MINUTES.toMillis(30));
    }
    if (failures.get() > 0) {
      Benchmark.log("gRPC: %d calls failed", failures.get());
    }
    return Latencies.of(
        Arrays.stream(perClient)
            .filter(java.util.Objects::nonNull)
            .flatMapToLong(Arrays::stream)
            .toArray());
  }

  static ModelInferRequest tensorRequest(String model, RawFloors.InputShape input, float[] tensor) {
    ByteBuffer raw = ByteBuffer.allocate(tensor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : tensor) {
      raw.putFloat(value);
    }
    ModelInferRequest.InferInputTensor.Builder in =
        ModelInferRequest.InferInputTensor.newBuilder().setName(input.name()).setDatatype("FP32");
    in.addShape(1);
    Arrays.stream(input.shape()).skip(1).forEach(in::addShape);
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(in)
        .addRawInputContents(ByteString.copyFrom(raw.array()))
        .build();
  }

  static ModelInferRequest imageRequest(String model, byte[] jpeg) {
    ByteBuffer raw = ByteBuffer.allocate(4 + jpeg.length).order(ByteOrder.LITTLE_ENDIAN);
    raw.putInt(jpeg.length).put(jpeg);
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("image")
                .setDatatype("BYTES")
                .addShape(1)
                .addShape(1))
        .addRawInputContents(ByteString.copyFrom(raw.array()))
        .build();
  }

  static String v2BinaryHeader(int jpegLength) {
    return "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,1],\"datatype\":\"BYTES\","
        + "\"parameters\":{\"binary_data_size\":"
        + (4 + jpegLength)
        + "}}],\"parameters\":{\"binary_data_output\":true}}";
  }

  static byte[] v2BinaryBody(String header, byte[] jpeg) {
    byte[] head = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(head.length + 4 + jpeg.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(head)
        .putInt(jpeg.length)
        .put(jpeg)
        .array();
  }

  static String v2Json(byte[] jpeg) {
    return "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[\""
        + java.util.Base64.getEncoder().encodeToString(jpeg)
        + "\"]}]}";
  }
}
