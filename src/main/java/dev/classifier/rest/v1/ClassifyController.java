package dev.classifier.rest.v1;

import dev.classifier.config.ClassifierProperties;
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
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
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
  private final int defaultTopK;
  private final int maxImages;

  ClassifyController(ClassificationService service, ClassifierProperties properties) {
    this.service = service;
    this.defaultTopK = properties.topKDefault();
    this.maxImages = properties.maxImagesPerRequest();
  }

  @PostMapping(path = "/classify", produces = MediaType.APPLICATION_JSON_VALUE)
  CompletableFuture<ClassificationResponse> classify(
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
    return service
        .classify(
            new ClassificationRequest(
                new Images.Encoded(upload.bytes(), UploadImages.of(upload, maxImages)),
                topK != null ? topK : defaultTopK,
                explain,
                UploadClient.of(request, upload)))
        .thenApply(result -> ClassificationResponse.of(requestId, result));
  }
}
