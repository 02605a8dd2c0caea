package dev.classifier.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.classifier.grpc.proto.GRPCInferenceServiceGrpc;
import dev.classifier.grpc.proto.ModelInferResponse;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.awt.Color;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A second, independent gRPC client: Python {@code grpcio} with stubs that {@code grpcio_tools}
 * generates from the project's proto (src/test/python/grpc_client.py), against the live service. It
 * must see every RPC answer as the protocol says, and ModelInfer's probabilities bit for bit as the
 * Java client gets them. Python comes from the test venv ({@code XCEPTION_TEST_VENV}, default
 * {@code ~/.cache/xception-classifier/venv}; {@code bash .ci/python-venv.sh} makes it): skipped
 * with a message without it, a failure with {@code CI=true}.
 */
class PythonGrpcClientTest extends TinyModelServer {

  @Autowired GrpcServer server;

  @Test
  void aPythonGrpcioClientGetsWhatTheJavaClientGets() throws Exception {
    String python = venvPython();
    byte[] png = TestImages.solid(32, 24, new Color(170, 0, 255), "png");
    Path image = Files.createTempFile("python-grpc", ".png");
    Files.write(image, png);

    JsonNode answer =
        JsonMapper.builder()
            .build()
            .readTree(
                run(
                    python,
                    "src/test/python/grpc_client.py",
                    String.valueOf(server.port()),
                    "src/main/proto",
                    image.toString()));

    assertThat(answer.get("live").asBoolean()).isTrue();
    assertThat(answer.get("ready").asBoolean()).isTrue();
    assertThat(answer.get("modelReady").asBoolean()).isTrue();
    assertThat(answer.get("server").asString()).isEqualTo("xception-classifier");
    assertThat(answer.get("extensions").toString())
        .isEqualTo("[\"binary_tensor_data\",\"classification\",\"model_configuration\"]");
    assertThat(answer.get("platform").asString()).isEqualTo("onnx_onnxv1");
    assertThat(answer.get("inputShape").toString()).isEqualTo("[-1,16,16,3]");
    assertThat(answer.get("maxBatchSize").asInt()).isEqualTo(4);
    assertThat(answer.get("id").asString()).isEqualTo("python-1");
    assertThat(answer.get("shape").toString()).isEqualTo("[1,1000]");
    assertThat(answer.get("unknownModel").asString()).isEqualTo("NOT_FOUND");
    assertThat(answer.get("classification")).hasSize(3);

    int[] javaBits = javaScoreBits(png);
    int[] pythonBits = new int[answer.get("scoreBits").size()];
    for (int i = 0; i < pythonBits.length; i++) {
      pythonBits[i] = (int) answer.get("scoreBits").get(i).asLong();
    }
    assertThat(pythonBits).containsExactly(javaBits);
  }

  private int[] javaScoreBits(byte[] png) throws InterruptedException {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      ModelInferResponse response =
          GRPCInferenceServiceGrpc.newBlockingStub(channel)
              .modelInfer(GrpcDoorTest.image(png).build());
      ByteBuffer raw =
          response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      int[] bits = new int[raw.remaining() / 4];
      raw.asIntBuffer().get(bits);
      return bits;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** The venv's interpreter with grpcio and grpcio_tools. */
  private static String venvPython() throws IOException, InterruptedException {
    String venv = System.getenv("XCEPTION_TEST_VENV");
    Path dir =
        venv != null && !venv.isBlank()
            ? Path.of(venv)
            : Path.of(System.getProperty("user.home"), ".cache", "xception-classifier", "venv");
    Path python = dir.resolve("bin").resolve("python");
    boolean usable = false;
    if (Files.isExecutable(python)) {
      Process check =
          new ProcessBuilder(python.toString(), "-c", "import grpc, grpc_tools")
              .redirectErrorStream(true)
              .start();
      check.getInputStream().readAllBytes();
      usable = check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0;
    }
    if (!usable) {
      String message =
          "no Python venv with grpcio and grpcio-tools at "
              + dir
              + " (bash .ci/python-venv.sh makes it; XCEPTION_TEST_VENV points elsewhere)";
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but " + message);
      }
      Assumptions.abort(message + "; set CI=true to make this a failure");
    }
    return python.toString();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).start();
    List<byte[]> err = new ArrayList<>();
    Thread drain =
        new Thread(
            () -> {
              try {
                err.add(process.getErrorStream().readAllBytes());
              } catch (IOException e) {
                // the process died: its exit code says so
              }
            });
    drain.start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("the Python client did not finish in 120 s");
    }
    drain.join();
    if (process.exitValue() != 0) {
      fail(
          "the Python client failed: "
              + (err.isEmpty() ? "" : new String(err.get(0), StandardCharsets.UTF_8)));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
