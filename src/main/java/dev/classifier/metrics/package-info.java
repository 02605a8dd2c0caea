/**
 * The service's Micrometer meters (requests, stages, batches, queue) and the model's entry in
 * /actuator/info. May import image and inference; never core, a door or http.
 */
package dev.classifier.metrics;
