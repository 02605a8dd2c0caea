package dev.classifier.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.grpc.proto.GRPCInferenceServiceGrpc;
import dev.classifier.grpc.proto.ModelInferResponse;
import dev.classifier.testing.PythonVenv;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.awt.Color;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
    PythonVenv python = PythonVenv.require("grpc, grpc_tools");
    byte[] png = TestImages.solid(32, 24, new Color(170, 0, 255), "png");
    Path image = Files.createTempFile("python-grpc", ".png");
    Files.write(image, png);

    JsonNode answer =
        JsonMapper.builder()
            .build()
            .readTree(
                python.run(
                    Path.of("src", "test", "python", "grpc_client.py"),
                    "src/main/proto/grpc_predict_v2.proto",
                    "127.0.0.1:" + server.port(),
                    "xception",
                    "xception-image",
                    image.toString()));

    assertThat(answer.get("live").asBoolean()).isTrue();
    assertThat(answer.get("ready").asBoolean()).isTrue();
    assertThat(answer.get("platform").asString()).isEqualTo("onnx_onnxv1");
    assertThat(answer.get("max_batch_size").asInt()).isEqualTo(4);
    assertThat(answer.get("unknown_model").asString()).isEqualTo("NOT_FOUND");
    assertThat(answer.get("infer_id").asString()).isEqualTo("python-1");
    assertThat(answer.get("infer_model").asString()).isEqualTo("xception-image");
    assertThat(answer.get("infer_shape").toString()).isEqualTo("[1,1000]");
    assertThat(answer.get("classification")).hasSize(3);

    int[] javaBits = javaScoreBits(png);
    int[] pythonBits = new int[answer.get("score_bits").size()];
    for (int i = 0; i < pythonBits.length; i++) {
      pythonBits[i] = (int) answer.get("score_bits").get(i).asLong();
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
}
