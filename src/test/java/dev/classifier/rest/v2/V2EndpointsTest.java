package dev.classifier.rest.v2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.classifier.grpc.GrpcServer;
import dev.classifier.testing.HttpTestClient;
import dev.classifier.testing.PythonVenv;
import dev.classifier.testing.TinyModelServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Open Inference Protocol's metadata and health over HTTP on the whole service (the tiny CNN:
 * 16 x 16 NHWC, 1000 classes, 4 images per request), and over gRPC to the same service from a
 * second, independent client: Python grpcio with stubs generated from the project's proto.
 */
class V2EndpointsTest extends TinyModelServer {

  @Autowired GrpcServer grpc;

  private final ObjectMapper json = new ObjectMapper();

  private JsonNode get(String path, int status) {
    HttpResponse<String> response = new HttpTestClient(port).get(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
    return json.readTree(response.body());
  }

  @Test
  void healthIsLiveAndReadyAsJson() {
    assertThat(get("/v2/health/live", 200).toString()).isEqualTo("{\"live\":true}");
    assertThat(get("/v2/health/ready", 200).toString()).isEqualTo("{\"ready\":true}");
    assertThat(get("/v2/models/xception/ready", 200).toString())
        .isEqualTo("{\"name\":\"xception\",\"ready\":true}");
    assertThat(get("/v2/models/xception-image/versions/1/ready", 200).get("ready").asBoolean())
        .isTrue();
  }

  @Test
  void serverAndModelMetadata() {
    JsonNode server = get("/v2", 200);
    assertThat(server.get("name").asString()).isEqualTo("xception-classifier");
    assertThat(server.get("extensions").toString())
        .isEqualTo("[\"binary_tensor_data\",\"classification\",\"model_configuration\"]");

    JsonNode model = get("/v2/models/xception", 200);
    assertThat(model.get("platform").asString()).isEqualTo("onnx_onnxv1");
    assertThat(model.get("versions").toString()).isEqualTo("[\"1\"]");
    assertThat(model.get("inputs").size()).isEqualTo(1);
    assertThat(model.get("inputs").get(0).get("datatype").asString()).isEqualTo("FP32");
    assertThat(model.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,16,16,3]");
    assertThat(model.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1,1000]");

    JsonNode image = get("/v2/models/xception-image/versions/1", 200);
    assertThat(image.get("inputs").get(0).toString())
        .isEqualTo("{\"name\":\"image\",\"datatype\":\"BYTES\",\"shape\":[-1,1]}");
  }

  @Test
  void tritonModelConfig() {
    JsonNode config = get("/v2/models/xception/config", 200);
    assertThat(config.get("max_batch_size").asInt()).isEqualTo(4);
    JsonNode input = config.get("input").get(0);
    assertThat(input.get("data_type").asString()).isEqualTo("TYPE_FP32");
    assertThat(input.get("format").asString()).isEqualTo("FORMAT_NHWC");
    assertThat(input.get("dims").toString()).isEqualTo("[16,16,3]");
    assertThat(config.get("output").get(0).get("dims").toString()).isEqualTo("[1000]");
  }

  @Test
  void unknownModelOrVersionIsA404ErrorObject() {
    assertThat(get("/v2/models/resnet", 404).toString())
        .isEqualTo(
            "{\"error\":\"unknown model 'resnet'; this service has [xception, xception-image]\"}");
    assertThat(get("/v2/models/xception/versions/7/config", 404).get("error").asString())
        .isEqualTo("model 'xception' has no version '7'; it has [1]");
    assertThat(get("/v2/models/nope/ready", 404).has("error")).isTrue();
  }

  @Test
  void routingErrorsUnderV2AreErrorObjectsAndV1KeepsProblemDetails() {
    HttpTestClient http = new HttpTestClient(port);

    HttpResponse<String> missing = http.get("/v2/no/such/path");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(missing.body()).isEqualTo("{\"error\":\"no resource at this path\"}");

    HttpResponse<String> wrongMethod =
        http.postRaw("/v2/health/live", "application/json", "{}".getBytes());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
    assertThat(wrongMethod.body())
        .isEqualTo("{\"error\":\"this path does not take the method; it takes [GET]\"}");

    HttpResponse<String> v1 = http.get("/v1/no/such/path");
    assertThat(v1.statusCode()).isEqualTo(404);
    assertThat(v1.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void inferWithoutInputsIsABadRequest() {
    HttpResponse<String> response =
        new HttpTestClient(port)
            .postRaw("/v2/models/xception/infer", "application/json", "{}".getBytes());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("{\"error\":\"the request has no 'inputs'\"}");
  }

  @Test
  void pythonGrpcioClientFromTheSameProto() throws Exception {
    PythonVenv python = PythonVenv.require("grpc, grpc_tools");

    String out =
        python.run(
            Path.of("src", "test", "python", "grpc_client.py"),
            Path.of("src", "main", "proto", "grpc_predict_v2.proto").toString(),
            "127.0.0.1:" + grpc.port(),
            "xception");

    assertThat(json.readTree(out).toString())
        .isEqualTo(
            "{\"input_data_type\":\"TYPE_FP32\",\"input_dims\":[16,16,3],\"input_format\":\"FORMAT_NHWC\","
                + "\"inputs\":[{\"datatype\":\"FP32\",\"name\":\"input_1\",\"shape\":[-1,16,16,3]}],"
                + "\"live\":true,\"max_batch_size\":4,\"name\":\"xception\",\"output_dims\":[1000],"
                + "\"outputs\":[{\"datatype\":\"FP32\",\"name\":\"predictions\",\"shape\":[-1,1000]}],"
                + "\"platform\":\"onnx_onnxv1\",\"ready\":true,\"unknown_model\":\"NOT_FOUND\","
                + "\"versions\":[\"1\"]}");
  }
}
