package dev.classifier.api;

import dev.classifier.config.ClassifierProperties;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

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
  private final long maxUploadBytes;

  ExplainController(ExplainService service, ClassifierProperties properties) {
    this.service = service;
    this.maxUploadBytes = properties.maxUploadSize().toBytes();
  }

  @PostMapping(path = "/explain", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  ResponseEntity<byte[]> explainMultipart(
      @Parameter(description = "class index to explain; default the top-1")
          @RequestParam(name = "class", required = false)
          Integer classIndex,
      @Parameter(description = "heatmap opacity", schema = @Schema(minimum = "0", maximum = "1"))
          @RequestParam(name = "opacity", required = false)
          Double opacity,
      MultipartHttpServletRequest request)
      throws IOException {
    long start = System.nanoTime();
    List<MultipartFile> parts = request.getFiles("image");
    if (parts.isEmpty()) {
      throw new ApiException(
          ProblemType.MISSING_IMAGE,
          "the multipart body has no part named 'image' (found "
              + request.getFileMap().keySet()
              + ")");
    }
    if (parts.size() > 1) {
      throw new ApiException(
          ProblemType.TOO_MANY_IMAGES,
          parts.size() + " images in one request; /v1/explain takes exactly one");
    }
    request.setAttribute(RequestLogFilter.IMAGE_SIZES, List.of(parts.get(0).getSize()));
    return png(
        service.explain(
            RequestIdFilter.of(request), parts.get(0).getBytes(), classIndex, opacity, start));
  }

  @PostMapping(
      path = "/explain",
      consumes = {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/bmp",
        "image/webp",
        "image/tiff",
        MediaType.APPLICATION_OCTET_STREAM_VALUE
      })
  ResponseEntity<byte[]> explainRaw(
      @Parameter(description = "class index to explain; default the top-1")
          @RequestParam(name = "class", required = false)
          Integer classIndex,
      @Parameter(description = "heatmap opacity", schema = @Schema(minimum = "0", maximum = "1"))
          @RequestParam(name = "opacity", required = false)
          Double opacity,
      HttpServletRequest request)
      throws IOException {
    long start = System.nanoTime();
    byte[] body = readBody(request);
    if (body.length == 0) {
      throw new ApiException(ProblemType.MISSING_IMAGE, "the request body is empty");
    }
    request.setAttribute(RequestLogFilter.IMAGE_SIZES, List.of(body.length));
    return png(service.explain(RequestIdFilter.of(request), body, classIndex, opacity, start));
  }

  private static ResponseEntity<byte[]> png(ExplainService.Picture picture) {
    return ResponseEntity.ok()
        .contentType(MediaType.IMAGE_PNG)
        .header(CLASS_HEADER, Integer.toString(picture.classIndex()))
        .body(picture.png());
  }

  /**
   * The body up to the upload limit, refused early from Content-Length when declared (as {@code
   * /v1/classify} does).
   */
  private byte[] readBody(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > maxUploadBytes) {
      throw tooLarge();
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUploadBytes + 1));
      if (body.length > maxUploadBytes) {
        throw tooLarge();
      }
      return body;
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        ProblemType.PAYLOAD_TOO_LARGE,
        "the upload is larger than the limit of " + maxUploadBytes + " bytes");
  }
}
