package dev.classifier.rest.v1;

/** A client error found by the API layer itself (request shape, parameters, limits). */
class ApiException extends RuntimeException {

  private final ProblemType problem;

  ApiException(ProblemType problem, String detail) {
    super(detail);
    this.problem = problem;
  }

  ProblemType problem() {
    return problem;
  }
}
