package dev.classifier.rest.v1;

import dev.classifier.core.ClassificationRequest;
import java.util.List;
import org.springframework.http.MediaType;

/**
 * The /v1 contract's constants, written once: the controllers' mappings and validation, the door's
 * upload rule and the OpenAPI document all read them from here.
 */
final class ApiContract {

  static final int TOP_K_MIN = ClassificationRequest.TOP_K_MIN;
  static final int TOP_K_MAX = ClassificationRequest.TOP_K_MAX;

  /** The multipart part name that carries an image. */
  static final String IMAGE_PART = "image";

  static final String MULTIPART = MediaType.MULTIPART_FORM_DATA_VALUE;

  /** Content types a raw (non-multipart) image body may declare; the format is sniffed anyway. */
  static final List<String> RAW_IMAGE_TYPES =
      List.of(
          MediaType.APPLICATION_OCTET_STREAM_VALUE,
          "image/jpeg",
          "image/png",
          "image/gif",
          "image/bmp",
          "image/webp",
          "image/tiff");

  static final String PREFIX = "/v1/";
  static final String CLASSIFY_PATH = "/v1/classify";
  static final String EXPLAIN_PATH = "/v1/explain";

  /** The endpoints whose bodies are uploads, read without holding a thread. */
  static final List<String> UPLOAD_PATHS = List.of(CLASSIFY_PATH, EXPLAIN_PATH);

  private ApiContract() {}

  /** Whether a request's declared content type is one an upload endpoint takes. */
  static boolean isUploadType(String contentType) {
    if (contentType == null) {
      return false;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      if (type.isCompatibleWith(MediaType.MULTIPART_FORM_DATA)) {
        return true;
      }
      return RAW_IMAGE_TYPES.stream()
          .map(MediaType::parseMediaType)
          .anyMatch(type::equalsTypeAndSubtype);
    } catch (org.springframework.util.InvalidMimeTypeException e) {
      return false;
    }
  }
}
