package dev.classifier.http;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.web.util.UrlPathHelper;

/** The path a request addresses, as every filter and door must see it. */
public final class RequestPath {

  private static final UrlPathHelper PATHS = UrlPathHelper.defaultInstance;

  private RequestPath() {}

  /**
   * The path a request addresses inside the application, as Spring MVC matches it: without the
   * context path and path parameters, percent-escapes decoded, doubled slashes merged. The raw
   * request URI would let {@code /v1/%63lassify} or a context path reach a controller without
   * passing the filters that read uploads.
   */
  public static String of(HttpServletRequest request) {
    return PATHS.getPathWithinApplication(request);
  }

  /** The request path as an instance URI (RFC 9457), or null when the path cannot be one. */
  public static String instance(HttpServletRequest request) {
    String uri = request.getRequestURI();
    try {
      return uri == null ? null : URI.create(uri).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
