package dev.classifier.oip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.classifier.grpc.GrpcServer;
import dev.classifier.grpc.proto.GRPCInferenceServiceGrpc;
import dev.classifier.grpc.proto.InferTensorContents;
import dev.classifier.grpc.proto.ModelInferRequest;
import dev.classifier.grpc.proto.ModelInferResponse;
import dev.classifier.image.ImagePreprocessor;
import dev.classifier.inference.Inference;
import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.TestImages;
import dev.classifier.testing.TinyModelServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * One image through every door the service has — /v1, V2 REST as JSON (base64 BYTES), V2 REST with
 * the binary extension, V2 REST and gRPC as the model's own FP32 tensor (preprocessed by the
 * service's own {@link ImagePreprocessor}), gRPC with raw and with typed contents — answers the
 * same probabilities bit for bit and the same top-k: one core behind three doors.
 */
class OneCoreThreeDoorsTest extends TinyModelServer {

  private static final String IMAGE_MODEL = "xception-image";
  private static final String TENSOR_MODEL = "xception";

  @Autowired GrpcServer grpcServer;
  @Autowired ImagePreprocessor preprocessor;
  @Autowired Inference inference;
  @Autowired V2Models models;

  private final HttpClient client = HttpClient.newHttpClient();
  private HttpTestClient http;
  private ManagedChannel channel;
  private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub grpc;

  private static final byte[] IMAGE = TestImages.solid(40, 30, new Color(153, 20, 240), "jpeg");

  @BeforeEach
  void clients() {
    http = new HttpTestClient(port);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcServer.port()).usePlaintext().build();
    grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void everyDoorAnswersTheSameProbabilitiesAndTopK() throws Exception {
    float[] v1 = v1Scores(IMAGE);
    float[] tensor = preprocessor.prepare(IMAGE, inference.model().input()).pixels();

    assertThat(v2Json(IMAGE)).as("V2 JSON, base64 BYTES").containsExactly(v1);
    assertThat(v2Binary(IMAGE)).as("V2 binary extension").containsExactly(v1);
    assertThat(v2TensorBinary(tensor)).as("V2 FP32 tensor, binary").containsExactly(v1);
    assertThat(v2TensorJson(tensor)).as("V2 FP32 tensor, JSON").containsExactly(v1);
    assertThat(grpcRawImage(IMAGE)).as("gRPC raw_input_contents, image").containsExactly(v1);
    assertThat(grpcTypedImage(IMAGE)).as("gRPC bytes_contents, image").containsExactly(v1);
    assertThat(grpcRawTensor(tensor)).as("gRPC raw_input_contents, tensor").containsExactly(v1);
    assertThat(grpcTypedTensor(tensor)).as("gRPC fp32_contents, tensor").containsExactly(v1);

    List<String> expectedTop3 = top3Strings(v1);
    assertThat(v2JsonClassification(IMAGE)).isEqualTo(expectedTop3);
    assertThat(grpcClassification(tensor)).isEqualTo(expectedTop3);
  }

  @Test
  void theBinaryExtensionsBytesBothWays() throws Exception {
    String header =
        "{\"id\":\"bin-1\",\"inputs\":[{\"name\":\"image\",\"shape\":[1,1],\"datatype\":\"BYTES\","
            + "\"parameters\":{\"binary_data_size\":"
            + (4 + IMAGE.length)
            + "}}],\"outputs\":[{\"name\":\"predictions\",\"parameters\":{\"binary_data\":true}}]}";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(header.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(littleEndianInt(IMAGE.length));
    body.writeBytes(IMAGE);
    HttpResponse<byte[]> response =
        post(
            "/v2/models/" + IMAGE_MODEL + "/infer",
            "application/octet-stream",
            body.toByteArray(),
            header.length());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    String answerHeader =
        "{\"model_name\":\"xception-image\",\"model_version\":\"1\",\"id\":\"bin-1\",\"outputs\":"
            + "[{\"name\":\"predictions\",\"datatype\":\"FP32\",\"shape\":[1,1000],"
            + "\"parameters\":{\"binary_data_size\":4000}}]}";
    assertThat(response.headers().firstValue("Inference-Header-Content-Length"))
        .hasValue(String.valueOf(answerHeader.length()));
    byte[] bytes = response.body();
    assertThat(new String(bytes, 0, answerHeader.length(), StandardCharsets.UTF_8))
        .isEqualTo(answerHeader);
    assertThat(bytes).hasSize(answerHeader.length() + 4000);
    float[] v1 = v1Scores(IMAGE);
    ByteBuffer expected = ByteBuffer.allocate(4000).order(ByteOrder.LITTLE_ENDIAN);
    for (float score : v1) {
      expected.putFloat(score);
    }
    assertThat(Arrays.copyOfRange(bytes, answerHeader.length(), bytes.length))
        .isEqualTo(expected.array());
  }

  @Test
  void aVersionedPathAndTheRequestIdsAreKept() throws Exception {
    HttpResponse<byte[]> response =
        post(
            "/v2/models/" + IMAGE_MODEL + "/versions/1/infer",
            "application/json",
            jsonImageRequest(IMAGE, "").getBytes(StandardCharsets.UTF_8),
            -1);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("id").asString()).isEqualTo("req-42");
    assertThat(body.get("model_version").asString()).isEqualTo("1");
    assertThat(body.propertyNames())
        .containsExactly("model_name", "model_version", "id", "outputs");
  }

  // --- the doors -----------------------------------------------------------------------------

  private float[] v1Scores(byte[] image) {
    HttpResponse<String> response = http.postRaw("/v1/classify?topK=1000", "image/jpeg", image);
    assertThat(response.statusCode()).isEqualTo(200);
    float[] scores = new float[CLASSES];
    for (JsonNode prediction : HttpTestClient.json(response).at("/results/0/predictions")) {
      scores[prediction.get("index").asInt()] = prediction.get("score").floatValue();
    }
    return scores;
  }

  private List<String> top3Strings(float[] scores) {
    List<String> labels = models.find(IMAGE_MODEL, "").labels();
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
    return Arrays.stream(order, 0, 3)
        .map(i -> Classification.entry(scores[i], i, labels.get(i)))
        .toList();
  }

  private static String jsonImageRequest(byte[] image, String outputs) {
    return "{\"id\":\"req-42\",\"model_name\":\"ignored\",\"inputs\":[{\"name\":\"image\","
        + "\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[\""
        + Base64.getEncoder().encodeToString(image)
        + "\"]}]"
        + outputs
        + "}";
  }

  private float[] v2Json(byte[] image) throws Exception {
    HttpResponse<byte[]> response =
        post(
            "/v2/models/" + IMAGE_MODEL + "/infer",
            "application/json",
            jsonImageRequest(image, "").getBytes(StandardCharsets.UTF_8),
            -1);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode output = json(response).at("/outputs/0");
    assertThat(output.get("datatype").asString()).isEqualTo("FP32");
    return floats(output.get("data"));
  }

  private List<String> v2JsonClassification(byte[] image) throws Exception {
    HttpResponse<byte[]> response =
        post(
            "/v2/models/" + IMAGE_MODEL + "/infer",
            "application/json",
            jsonImageRequest(
                    image,
                    ",\"outputs\":[{\"name\":\"predictions\",\"parameters\":{\"classification\":3}}]")
                .getBytes(StandardCharsets.UTF_8),
            -1);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode output = json(response).at("/outputs/0");
    assertThat(output.get("datatype").asString()).isEqualTo("BYTES");
    assertThat(output.get("shape").toString()).isEqualTo("[1,3]");
    return output.get("data").valueStream().map(JsonNode::asString).toList();
  }

  private float[] v2Binary(byte[] image) throws Exception {
    String header =
        "{\"inputs\":[{\"name\":\"image\",\"shape\":[1,1],\"datatype\":\"BYTES\","
            + "\"parameters\":{\"binary_data_size\":"
            + (4 + image.length)
            + "}}],\"parameters\":{\"binary_data_output\":true}}";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(header.getBytes(StandardCharsets.UTF_8));
    body.writeBytes(littleEndianInt(image.length));
    body.writeBytes(image);
    return binaryScores(
        post(
            "/v2/models/" + IMAGE_MODEL + "/infer",
            "application/octet-stream",
            body.toByteArray(),
            header.length()));
  }

  private float[] v2TensorBinary(float[] tensor) throws Exception {
    String header =
        "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,16,16,3],\"datatype\":\"FP32\","
            + "\"parameters\":{\"binary_data_size\":"
            + tensor.length * 4
            + "}}],\"parameters\":{\"binary_data_output\":true}}";
    ByteBuffer body =
        ByteBuffer.allocate(header.length() + tensor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    body.put(header.getBytes(StandardCharsets.UTF_8));
    for (float value : tensor) {
      body.putFloat(value);
    }
    return binaryScores(
        post(
            "/v2/models/" + TENSOR_MODEL + "/infer",
            "application/octet-stream",
            body.array(),
            header.length()));
  }

  private float[] v2TensorJson(float[] tensor) throws Exception {
    StringBuilder data = new StringBuilder();
    for (float value : tensor) {
      data.append(data.isEmpty() ? "" : ",").append(value);
    }
    String request =
        "{\"inputs\":[{\"name\":\"input_1\",\"shape\":[1,16,16,3],\"datatype\":\"FP32\","
            + "\"data\":["
            + data
            + "]}]}";
    HttpResponse<byte[]> response =
        post(
            "/v2/models/" + TENSOR_MODEL + "/infer",
            "application/json",
            request.getBytes(StandardCharsets.UTF_8),
            -1);
    assertThat(response.statusCode()).isEqualTo(200);
    return floats(json(response).at("/outputs/0/data"));
  }

  private float[] grpcRawImage(byte[] image) {
    return rawScores(grpc.modelInfer(imageRequest().addRawInputContents(raw(image)).build()));
  }

  private float[] grpcTypedImage(byte[] image) {
    ModelInferRequest.Builder request = imageRequest();
    request
        .getInputsBuilder(0)
        .setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFrom(image)));
    return rawScores(grpc.modelInfer(request.build()));
  }

  private float[] grpcRawTensor(float[] tensor) {
    ByteBuffer bytes = ByteBuffer.allocate(tensor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : tensor) {
      bytes.putFloat(value);
    }
    return rawScores(
        grpc.modelInfer(
            tensorRequest().addRawInputContents(ByteString.copyFrom(bytes.array())).build()));
  }

  private float[] grpcTypedTensor(float[] tensor) {
    ModelInferRequest.Builder request = tensorRequest();
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float value : tensor) {
      contents.addFp32Contents(value);
    }
    request.getInputsBuilder(0).setContents(contents);
    return rawScores(grpc.modelInfer(request.build()));
  }

  private List<String> grpcClassification(float[] tensor) {
    ByteBuffer bytes = ByteBuffer.allocate(tensor.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : tensor) {
      bytes.putFloat(value);
    }
    ModelInferResponse response =
        grpc.modelInfer(
            tensorRequest()
                .addRawInputContents(ByteString.copyFrom(bytes.array()))
                .addOutputs(
                    ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                        .setName("predictions")
                        .putParameters(
                            "classification",
                            dev.classifier.grpc.proto.InferParameter.newBuilder()
                                .setInt64Param(3)
                                .build()))
                .build());
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("BYTES");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 3L);
    ByteBuffer raw =
        response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<String> strings = new java.util.ArrayList<>();
    while (raw.hasRemaining()) {
      byte[] element = new byte[raw.getInt()];
      raw.get(element);
      strings.add(new String(element, StandardCharsets.UTF_8));
    }
    return strings;
  }

  static ModelInferRequest.Builder imageRequest() {
    return ModelInferRequest.newBuilder()
        .setModelName(IMAGE_MODEL)
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("image")
                .setDatatype("BYTES")
                .addShape(1)
                .addShape(1));
  }

  static ModelInferRequest.Builder tensorRequest() {
    return ModelInferRequest.newBuilder()
        .setModelName(TENSOR_MODEL)
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input_1")
                .setDatatype("FP32")
                .addAllShape(List.of(1L, 16L, 16L, 3L)));
  }

  /** One BYTES element as raw contents: its 4-byte little-endian length, then its bytes. */
  static ByteString raw(byte[] element) {
    return ByteString.copyFrom(littleEndianInt(element.length))
        .concat(ByteString.copyFrom(element));
  }

  private static float[] rawScores(ModelInferResponse response) {
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(1L, 1000L);
    ByteBuffer raw =
        response.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] scores = new float[raw.remaining() / 4];
    raw.asFloatBuffer().get(scores);
    return scores;
  }

  private static float[] binaryScores(HttpResponse<byte[]> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    int header =
        Integer.parseInt(
            response.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
    ByteBuffer raw =
        ByteBuffer.wrap(response.body(), header, response.body().length - header)
            .order(ByteOrder.LITTLE_ENDIAN);
    float[] scores = new float[raw.remaining() / 4];
    raw.asFloatBuffer().get(scores);
    return scores;
  }

  private static float[] floats(JsonNode data) {
    float[] values = new float[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = data.get(i).floatValue();
    }
    return values;
  }

  static byte[] littleEndianInt(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
  }

  private HttpResponse<byte[]> post(String path, String contentType, byte[] body, int headerLength)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headerLength >= 0) {
      request.header("Inference-Header-Content-Length", String.valueOf(headerLength));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<byte[]> response) {
    return tools.jackson.databind.json.JsonMapper.builder()
        .build()
        .readTree(new String(response.body(), StandardCharsets.UTF_8));
  }
}
