package dev.classifier.rest.v2;

import dev.classifier.http.HttpDoor;
import dev.classifier.http.Refusal;
import dev.classifier.image.SyntheticPhotos;
import dev.classifier.oip.V2Model;
import dev.classifier.oip.V2Models;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The Open Inference Protocol's REST door as the HTTP transport sees it: every {@code POST …/infer}
 * is an upload read whole within the service's limits and memory budget (whatever its content type:
 * JSON, the binary extension's {@code application/octet-stream}, or none, as Triton's clients send
 * it; the body's form is told by {@code Inference-Header-Content-Length}, not by the type), counted
 * as a classification, and the transport's refusals are {@code {"error": "…"}} like every other V2
 * error.
 */
@Component
class V2Door implements HttpDoor {

  /** {@code /v2} itself (server metadata) and everything under it. */
  static final String PREFIX = "/v2";

  private static final Pattern INFER = Pattern.compile("/v2/models/[^/]+(/versions/[^/]+)?/infer");

  private final V2Models models;

  V2Door(V2Models models) {
    this.models = models;
  }

  @Override
  public String pathPrefix() {
    return PREFIX;
  }

  @Override
  public String protocol() {
    return "v2-rest";
  }

  @Override
  public boolean isUpload(String method, String path, String contentType) {
    return isClassification(method, path);
  }

  @Override
  public boolean isClassification(String method, String path) {
    return "POST".equals(method) && INFER.matcher(path).matches();
  }

  @Override
  public ErrorBody errorBody(Refusal refusal, String requestId, String instance) {
    return new ErrorBody(MediaType.APPLICATION_JSON_VALUE, V2Error.body(refusal.detail()));
  }

  /** One JPEG through the image model as JSON (base64 BYTES), and the model's metadata. */
  @Override
  public List<WarmUpRequest> warmUp() {
    V2Model image =
        models.all().stream()
            .filter(model -> model.kind() == V2Model.Kind.IMAGE)
            .findFirst()
            .orElseThrow();
    String body =
        "{\"inputs\":[{\"name\":\""
            + image.input().name()
            + "\",\"shape\":[1,1],\"datatype\":\"BYTES\",\"data\":[\""
            + Base64.getEncoder().encodeToString(SyntheticPhotos.photo(640, 480, "jpeg"))
            + "\"]}],\"outputs\":[{\"name\":\""
            + image.output().name()
            + "\",\"parameters\":{\"classification\":3}}]}";
    return List.of(
        new WarmUpRequest(
            "POST",
            "/v2/models/" + image.name() + "/infer",
            MediaType.APPLICATION_JSON_VALUE,
            body.getBytes(StandardCharsets.UTF_8)),
        new WarmUpRequest("GET", "/v2/models/" + image.name(), null, null));
  }
}
