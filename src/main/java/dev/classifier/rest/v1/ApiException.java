package dev.classifier.rest.v1;

/** A client error found by the API layer itself (request shape, parameters, limits). */
public class ApiException extends RuntimeException {

  private final ProblemType problem;

  public ApiException(ProblemType problem, String detail) {
    super(detail);
    this.problem = problem;
  }

  public ProblemType problem() {
    return problem;
  }
}
