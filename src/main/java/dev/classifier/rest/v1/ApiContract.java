package dev.classifier.rest.v1;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.util.UrlPathHelper;

/**
 * The HTTP contract's constants, written once: the controllers' mappings and validation, the upload
 * reader, the request-id filter and the OpenAPI document all read them from here.
 */
public final class ApiContract {

  public static final int TOP_K_MIN = 1;
  public static final int TOP_K_MAX = 1000;

  /** The multipart part name that carries an image. */
  public static final String IMAGE_PART = "image";

  public static final String MULTIPART = MediaType.MULTIPART_FORM_DATA_VALUE;

  /** Content types a raw (non-multipart) image body may declare; the format is sniffed anyway. */
  public static final List<String> RAW_IMAGE_TYPES =
      List.of(
          MediaType.APPLICATION_OCTET_STREAM_VALUE,
          "image/jpeg",
          "image/png",
          "image/gif",
          "image/bmp",
          "image/webp",
          "image/tiff");

  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  /** A caller's request id is echoed only when it is safe in logs and headers. */
  public static final String REQUEST_ID_REGEX = "[A-Za-z0-9._:-]{1,128}";

  public static final Pattern REQUEST_ID = Pattern.compile(REQUEST_ID_REGEX);

  public static final String CLASSIFY_PATH = "/v1/classify";
  public static final String EXPLAIN_PATH = "/v1/explain";

  /** The endpoints whose bodies are uploads, read without holding a thread. */
  public static final List<String> UPLOAD_PATHS = List.of(CLASSIFY_PATH, EXPLAIN_PATH);

  private static final UrlPathHelper PATHS = UrlPathHelper.defaultInstance;

  private ApiContract() {}

  /**
   * The path a request addresses inside the application, as Spring MVC matches it: without the
   * context path and path parameters, percent-escapes decoded, doubled slashes merged. The raw
   * request URI would let {@code /v1/%63lassify} or a context path reach a controller without
   * passing the filters that read uploads.
   */
  public static String path(HttpServletRequest request) {
    return PATHS.getPathWithinApplication(request);
  }

  /** Whether a request's declared content type is one an upload endpoint takes. */
  public static boolean isUploadType(String contentType) {
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
