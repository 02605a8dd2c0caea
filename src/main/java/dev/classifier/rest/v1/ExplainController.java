package dev.classifier.rest.v1;

import dev.classifier.core.ExplainRequest;
import dev.classifier.core.ExplainService;
import dev.classifier.core.Images;
import dev.classifier.http.Upload;
import dev.classifier.http.UploadClient;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/explain}: one image (raw body, or one multipart part named {@code image}) in, the
 * heatmap of one class drawn over it out, as {@code image/png} of the image's own aspect ratio. For
 * clients that want a picture, not numbers; {@code /v1/classify?explain=true} gives the raw maps.
 *
 * <p>No {@code produces}: the PNG's content type is set on the response, and clients generated from
 * the contract send {@code Accept: application/problem+json} alone (openapi-generator prefers a
 * JSON type), which a {@code produces = image/png} mapping would answer with 406.
 */
@RestController
@RequestMapping("/v1")
class ExplainController {

  /** Which class the picture shows: asked for, or the top-1 when not. */
  static final String CLASS_HEADER = "X-Explained-Class";

  private final ExplainService service;

  ExplainController(ExplainService service) {
    this.service = service;
  }

  @PostMapping(path = "/explain")
  CompletableFuture<ResponseEntity<byte[]>> explain(
      @Parameter(
              description = "Class index to explain, 0 to classes − 1 (default: the top-1 class)",
              example = "281")
          @RequestParam(name = "class", required = false)
          @Min(0)
          Integer classIndex,
      @Parameter(
              description =
                  "Heatmap opacity from 0 (image only) to 1 (heatmap only), default "
                      + ExplainRequest.DEFAULT_OPACITY,
              example = "0.5")
          @RequestParam(name = "opacity", required = false)
          @DecimalMin("0")
          @DecimalMax("1")
          Double opacity,
      HttpServletRequest request) {
    Upload upload = UploadImages.upload(request);
    return service
        .explain(
            new ExplainRequest(
                new Images.Encoded(upload.bytes(), UploadImages.of(upload)),
                classIndex,
                opacity != null ? opacity : ExplainRequest.DEFAULT_OPACITY,
                UploadClient.of(request, upload)))
        .thenApply(
            picture ->
                ResponseEntity.ok()
                    .contentType(MediaType.IMAGE_PNG)
                    .header(CLASS_HEADER, Integer.toString(picture.classIndex()))
                    .body(picture.png()));
  }
}
