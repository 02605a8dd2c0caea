package dev.classifier.rest.v1;

import dev.classifier.http.HttpDoor;
import dev.classifier.http.Refusal;
import dev.classifier.image.SyntheticPhotos;
import dev.classifier.inference.Inference;
import dev.classifier.inference.ModelInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The /v1 contract as the HTTP transport sees it: {@code POST} uploads to classify and explain,
 * errors as problem+json (also for every path no other door claims), and the requests that warm the
 * whole path up before readiness.
 */
@Component
class V1Door implements HttpDoor {

  private static final String BOUNDARY = "warm-up-boundary-7f3a";

  private final Inference inference;

  V1Door(Inference inference) {
    this.inference = inference;
  }

  @Override
  public String pathPrefix() {
    return ApiContract.PREFIX;
  }

  @Override
  public String protocol() {
    return "v1";
  }

  @Override
  public boolean wordsUnclaimedErrors() {
    return true;
  }

  @Override
  public boolean isUpload(String method, String path, String contentType) {
    return isClassification(method, path) && ApiContract.isUploadType(contentType);
  }

  @Override
  public boolean isClassification(String method, String path) {
    return "POST".equals(method) && ApiContract.UPLOAD_PATHS.contains(path);
  }

  @Override
  public ErrorBody errorBody(Refusal refusal, String requestId, String instance) {
    byte[] json =
        Problems.json(
            Problems.detail(ProblemType.of(refusal.kind()), refusal.detail(), instance, requestId));
    return new ErrorBody(MediaType.APPLICATION_PROBLEM_JSON_VALUE, json);
  }

  /**
   * Each image once raw and all of them as one multipart request, plus the explanation endpoints
   * when the model has them, and the model reads: everything a first client would otherwise pay to
   * load (upload reader, multipart parsing, Jackson's serializers, the PNG overlay).
   */
  @Override
  public List<WarmUpRequest> warmUp() {
    ModelInfo model = inference.model();
    List<WarmUpRequest> requests = new ArrayList<>();
    byte[] jpeg = SyntheticPhotos.photo(640, 480, "jpeg");
    byte[] png = SyntheticPhotos.photo(320, 240, "png");
    requests.add(post(ApiContract.CLASSIFY_PATH + "?topK=5", "image/jpeg", jpeg));
    requests.add(post(ApiContract.CLASSIFY_PATH + "?topK=5", "image/png", png));
    requests.add(
        post(
            ApiContract.CLASSIFY_PATH,
            "multipart/form-data; boundary=" + BOUNDARY,
            multipart(List.of("image/jpeg", "image/png"), List.of(jpeg, png))));
    if (model.explanations()) {
      requests.add(post(ApiContract.CLASSIFY_PATH + "?explain=true", "image/jpeg", jpeg));
      requests.add(post(ApiContract.EXPLAIN_PATH, "image/jpeg", jpeg));
    }
    requests.add(new WarmUpRequest("GET", "/v1/models", null, null));
    requests.add(new WarmUpRequest("GET", "/v1/models/" + model.name(), null, null));
    return requests;
  }

  private static WarmUpRequest post(String path, String contentType, byte[] body) {
    return new WarmUpRequest("POST", path, contentType, body);
  }

  private static byte[] multipart(List<String> types, List<byte[]> images) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i = 0; i < images.size(); i++) {
      String head =
          "--"
              + BOUNDARY
              + "\r\nContent-Disposition: form-data; name=\""
              + ApiContract.IMAGE_PART
              + "\"; filename=\"warm-up-"
              + i
              + "\"\r\nContent-Type: "
              + types.get(i)
              + "\r\n\r\n";
      body.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
      body.writeBytes(images.get(i));
      body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return body.toByteArray();
  }
}
