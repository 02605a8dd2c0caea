package dev.classifier.api;

import dev.classifier.config.ClassifierProperties;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;

/**
 * {@code POST /v1/classify}: images as multipart parts named {@code image}, or one image as the raw
 * body. The declared content type only picks the variant; the image format is always sniffed from
 * the bytes.
 */
@RestController
@RequestMapping("/v1")
class ClassifyController {

  private final ClassificationService service;
  private final int defaultTopK;
  private final int maxImages;
  private final long maxUploadBytes;

  ClassifyController(ClassificationService service, ClassifierProperties properties) {
    this.service = service;
    this.defaultTopK = properties.topKDefault();
    this.maxImages = properties.maxImagesPerRequest();
    this.maxUploadBytes = properties.maxUploadSize().toBytes();
  }

  @PostMapping(
      path = "/classify",
      consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  ClassificationResponse classifyMultipart(
      @Parameter(
              description = "top classes per image",
              schema = @Schema(minimum = "1", maximum = "1000"))
          @RequestParam(name = "topK", required = false)
          Integer topK,
      @Parameter(description = "add each prediction's class activation map")
          @RequestParam(name = "explain", defaultValue = "false")
          boolean explain,
      MultipartHttpServletRequest request)
      throws IOException {
    long start = System.nanoTime();
    int k = topK(topK);
    List<MultipartFile> parts = request.getFiles("image");
    if (parts.isEmpty()) {
      throw new ApiException(
          ProblemType.MISSING_IMAGE,
          "the multipart body has no part named 'image' (found "
              + request.getFileMap().keySet()
              + ")");
    }
    checkCount(parts.size());
    request.setAttribute(
        RequestLogFilter.IMAGE_SIZES, parts.stream().map(MultipartFile::getSize).toList());
    List<byte[]> images = new ArrayList<>(parts.size());
    for (MultipartFile part : parts) {
      images.add(part.getBytes());
    }
    return logged(
        request, service.classify(RequestIdFilter.of(request), images, k, start, explain));
  }

  @PostMapping(
      path = "/classify",
      consumes = {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/bmp",
        "image/webp",
        "image/tiff",
        MediaType.APPLICATION_OCTET_STREAM_VALUE
      },
      produces = MediaType.APPLICATION_JSON_VALUE)
  ClassificationResponse classifyRaw(
      @Parameter(
              description = "top classes per image",
              schema = @Schema(minimum = "1", maximum = "1000"))
          @RequestParam(name = "topK", required = false)
          Integer topK,
      @Parameter(description = "add each prediction's class activation map")
          @RequestParam(name = "explain", defaultValue = "false")
          boolean explain,
      HttpServletRequest request)
      throws IOException {
    long start = System.nanoTime();
    int k = topK(topK);
    byte[] body = readBody(request);
    if (body.length == 0) {
      throw new ApiException(ProblemType.MISSING_IMAGE, "the request body is empty");
    }
    request.setAttribute(RequestLogFilter.IMAGE_SIZES, List.of(body.length));
    return logged(
        request, service.classify(RequestIdFilter.of(request), List.of(body), k, start, explain));
  }

  private static ClassificationResponse logged(
      HttpServletRequest request, ClassificationResponse response) {
    request.setAttribute(RequestLogFilter.RESPONSE, response);
    return response;
  }

  private int topK(Integer requested) {
    if (requested == null) {
      return defaultTopK;
    }
    if (requested < 1 || requested > 1000) {
      throw new ApiException(
          ProblemType.INVALID_TOP_K, "topK must be between 1 and 1000, was " + requested);
    }
    return requested;
  }

  private void checkCount(int count) {
    if (count > maxImages) {
      throw new ApiException(
          ProblemType.TOO_MANY_IMAGES,
          count + " images in one request; at most " + maxImages + " are accepted");
    }
  }

  /**
   * Reads the body up to the upload limit, refusing early from Content-Length when it is declared.
   */
  private byte[] readBody(HttpServletRequest request) throws IOException {
    long declared = request.getContentLengthLong();
    if (declared > maxUploadBytes) {
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
