package dev.classifier.rest.v1;

import dev.classifier.config.ClassifierProperties;
import dev.classifier.core.CacheKey;
import dev.classifier.core.ClassificationCache;
import dev.classifier.core.ClassificationRequest;
import dev.classifier.core.ClassificationService;
import dev.classifier.core.Images;
import dev.classifier.http.RequestIdFilter;
import dev.classifier.http.Upload;
import dev.classifier.http.UploadClient;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/classify}: images as multipart parts named {@code image}, or one image as the raw
 * body, already read by the transport. The declared content type only picks the variant; the image
 * format is always sniffed from the bytes. The answer is produced asynchronously, so no thread
 * waits for inference.
 */
@RestController
@RequestMapping("/v1")
class ClassifyController {

  private final ClassificationService service;
  private final ClassificationCache cache;
  private final int defaultTopK;

  ClassifyController(
      ClassificationService service, ClassificationCache cache, ClassifierProperties properties) {
    this.service = service;
    this.cache = cache;
    this.defaultTopK = properties.topKDefault();
  }

  @PostMapping(path = "/classify", produces = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ResponseEntity<ClassificationResponse>> classify(
      @Parameter(
              description =
                  "How many classes to return per image, most likely first (default: the"
                      + " service's `classifier.top-k-default`, 5 unless configured)",
              example = "3")
          @RequestParam(name = "topK", required = false)
          @Min(ApiContract.TOP_K_MIN)
          @Max(ApiContract.TOP_K_MAX)
          Integer topK,
      @Parameter(
              description =
                  "Add to each prediction its class activation map `map` (raw values, row-major,"
                      + " upright; the map's mean plus the class's bias is its logit) and to each"
                      + " result `timings.explainMs`. Needs a model whose `explanations` is true,"
                      + " else `explanations-unsupported`. Without it the model's feature map is"
                      + " not even fetched.")
          @RequestParam(name = "explain", defaultValue = "false")
          boolean explain,
      HttpServletRequest request) {
    Upload upload = UploadImages.upload(request);
    String requestId = RequestIdFilter.of(request);
    int k = topK != null ? topK : defaultTopK;
    ClassificationRequest classification =
        new ClassificationRequest(
            new Images.Encoded(upload.bytes(), UploadImages.of(upload)),
            k,
            explain,
            UploadClient.of(request, upload));
    List<CacheKey> keys = service.keys(classification);
    if (keys == null) {
      return service
          .classify(classification, null)
          .thenApply(result -> ResponseEntity.ok(ClassificationResponse.of(requestId, result)));
    }
    // The same images, model and options give the same answer: the client, or a private cache in
    // front, may keep it for as long as this service's cache would.
    String etag = CacheKey.etag(keys, k);
    CacheControl keep =
        CacheControl.maxAge(Duration.ofSeconds(cache.maxAgeSeconds())).cachePrivate();
    String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
      classification.client().release();
      return CompletableFuture.completedFuture(
          ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(keep).build());
    }
    return service
        .classify(classification, keys)
        .thenApply(
            result ->
                ResponseEntity.ok()
                    .eTag(etag)
                    .cacheControl(keep)
                    .body(ClassificationResponse.of(requestId, result)));
  }

  /**
   * Whether If-None-Match names {@code etag}: a list of entity tags compared weakly (RFC 9110
   * 13.1.2). Answered 304 although the method is POST (where RFC 9110 says 412): the request is
   * safe in effect, and 304 is what lets a client skip the body it already holds.
   */
  static boolean matches(String ifNoneMatch, String etag) {
    String opaque = etag.substring(2);
    for (String candidate : ifNoneMatch.split(",", 64)) {
      String tag = candidate.strip();
      if (tag.equals(etag) || tag.equals(opaque)) {
        return true;
      }
    }
    return false;
  }
}
