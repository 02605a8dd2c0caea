/**
 * The HTTP transport defences every HTTP front door runs behind: non-blocking body reading and its
 * limits, Tomcat valves, request id, observation and the request log, warm-up, page headers. Its
 * refusals are protocol-neutral ({@link dev.classifier.http.Refusal}) and worded by the door a path
 * belongs to ({@link dev.classifier.http.HttpDoor}). May import core's request types ({@code
 * Client}, {@code Classification}), image, inference, config and metrics; never a door.
 */
package dev.classifier.http;
